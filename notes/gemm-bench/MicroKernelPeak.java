// notes/gemm-bench/MicroKernelPeak.java — the float micro-kernel alone, its A and B slivers in L1, at 16 offsets of
// the B sliver (alignment check). Package-private access, hence the package. Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/mkp notes/gemm-bench/MicroKernelPeak.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/mkp dev.vecprop.kernels.MicroKernelPeak
// Prints GFLOPS (thread CPU time, best of 30) per offset; measured 133 at every offset (2026-11-28).
package dev.vecprop.kernels;
public class MicroKernelPeak {
    public static void main(String[] x) {
        int kc = 256, MR = GemmF32.MR, NR = GemmF32.NR;
        float[] pa = new float[MR * kc * 8 + 64], pb = new float[NR * kc + 64], c = new float[MR * NR * 4 + 64], tile = new float[MR * NR];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < pa.length; i++) pa[i] = r.nextFloat();
        for (int i = 0; i < pb.length; i++) pb[i] = r.nextFloat();
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 4; pass++) {
            StringBuilder sb = new StringBuilder();
            for (int off = 0; off < 16; off++) {
                long best = Long.MAX_VALUE;
                for (int rep = 0; rep < 30; rep++) {
                    long t0 = tm.getCurrentThreadCpuTime();
                    for (int it = 0; it < 200; it++)
                        GemmF32.microKernel(kc, pa, (it & 7) * MR * kc, MR, pb, off, NR, c, 0, NR, 1, 1f, 0f, tile, MR, NR);
                    best = Math.min(best, tm.getCurrentThreadCpuTime() - t0);
                }
                double gf = 2.0 * MR * NR * kc * 200 / best;
                sb.append(String.format("%d:%.0f ", off, gf));
            }
            System.out.println(sb);
        }
    }
}
