package dev.vecprop.examples;

import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Vectorization;
import java.io.PrintWriter;
import java.util.SplittableRandom;

/**
 * A first look: which kernel path is active, and a GEMM timed after warm-up. A rough wall-clock figure
 * for a newcomer; the measured numbers come from the JMH suite in bench/.
 */
final class Demo {
    private Demo() {
    }

    static void run(PrintWriter out) {
        out.println(Vectorization.describe());
        int n = 512;
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        double seconds = time(() -> Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
        out.printf("sgemm %dx%dx%d: %.2f ms, %.1f GFLOPS%n", n, n, n, seconds * 1e3,
                2.0 * n * n * n / seconds / 1e9);
    }

    /** Best of several runs after a warm-up long enough for the JIT to compile the kernel. */
    private static double time(Runnable work) {
        long warmupEnd = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < warmupEnd) {
            work.run();
        }
        double best = Double.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            long t0 = System.nanoTime();
            work.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    private static float[] random(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
