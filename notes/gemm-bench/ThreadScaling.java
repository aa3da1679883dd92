// notes/gemm-bench/ThreadScaling.java — can this machine run two micro-kernels at once at full speed? Runs the float
// micro-kernel (slivers in L1, no memory traffic) on 1 thread, then on 2 threads at once, and prints the wall-clock
// GFLOPS of each (best of 10 rounds of ~60 ms). If 2 threads give < 2x, the two vCPUs share an FMA unit (SMT
// siblings on the host) or the host steals cycles: no kernel can then scale 2x. Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/ts notes/gemm-bench/ThreadScaling.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/ts dev.vecprop.kernels.ThreadScaling
package dev.vecprop.kernels;

import java.util.concurrent.CyclicBarrier;

public class ThreadScaling {
    static final int KC = 256, ITERS = 20000;

    static void work(float[] pa, float[] pb, float[] c, float[] tile) {
        for (int it = 0; it < ITERS; it++)
            GemmF32.microKernel(KC, pa, (it & 7) * GemmF32.MR * KC, GemmF32.MR, pb, 0, GemmF32.NR, c, 0, GemmF32.NR, 1, 1f, 0f, tile,
                    GemmF32.MR, GemmF32.NR);
    }

    public static void main(String[] x) throws Exception {
        int MR = GemmF32.MR, NR = GemmF32.NR;
        double flopsPerWork = 2.0 * MR * NR * KC * ITERS;
        for (int threads : new int[] {1, 2, 1, 2, 1, 2}) {
            int rounds = 10;
            CyclicBarrier go = new CyclicBarrier(threads);
            long[][] times = new long[threads][rounds];
            Thread[] ts = new Thread[threads];
            for (int t = 0; t < threads; t++) {
                final int id = t;
                ts[t] = new Thread(() -> {
                    float[] pa = new float[MR * KC * 8], pb = new float[NR * KC], c = new float[MR * NR], tile = new float[MR * NR];
                    java.util.Arrays.fill(pa, 0.5f);
                    java.util.Arrays.fill(pb, 0.25f);
                    for (int w = 0; w < 5; w++) work(pa, pb, c, tile); // warm-up (JIT)
                    try {
                        for (int r = 0; r < rounds; r++) {
                            go.await(); // each round starts together on every thread
                            long t0 = System.nanoTime();
                            work(pa, pb, c, tile);
                            times[id][r] = System.nanoTime() - t0;
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                ts[t].start();
            }
            for (Thread t : ts) t.join();
            long best = Long.MAX_VALUE; // best round, where a round takes as long as its slowest thread
            for (int r = 0; r < rounds; r++) {
                long slowest = 0;
                for (int t = 0; t < threads; t++) slowest = Math.max(slowest, times[t][r]);
                best = Math.min(best, slowest);
            }
            System.out.printf("threads=%d  best round %.1f ms  total %.0f GFLOPS  per thread %.0f%n", threads, best / 1e6,
                    threads * flopsPerWork / best, flopsPerWork / best);
        }
    }
}
