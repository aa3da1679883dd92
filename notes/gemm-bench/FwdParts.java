// notes/gemm-bench/FwdParts.java — how much of the first layer's forward GEMM (128×784×256 NT: X·Wᵀ, W 256×784)
// is the gather-packing of the transposed weight: times the whole sgemm and, separately, packB(T) of every k block
// of W at the same block depth, in the class Gemm sends the product to (thread CPU time, best of 20 × 50 calls).
// Package-private access, hence the package.
// Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/fp notes/gemm-bench/FwdParts.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/fp dev.vecprop.kernels.FwdParts
// Measured 2026-11-29 (eighth session): see the README's "Eighth session".
// kc = 196 is kcFor(784) at KC = 256 (four equal blocks).
package dev.vecprop.kernels;
public class FwdParts {
    public static void main(String[] x) {
        int m = 128, k = 784, n = 256;
        float[] a = new float[m * k], w = new float[n * k], c = new float[m * n];
        java.util.Random r = new java.util.Random(1);
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
        for (int i = 0; i < w.length; i++) w[i] = r.nextFloat();
        int kc = 196;
        float[] pb = new float[n * kc + 64];
        int[] index = new int[64];
        float[] scr = new float[1 << 16];
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 6; pass++) {
            long bg = Long.MAX_VALUE, bp = Long.MAX_VALUE;
            for (int rep = 0; rep < 20; rep++) {
                long t0 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 50; it++) Gemm.sgemm(false, true, m, n, k, 1f, a, 0, k, w, 0, k, 0f, c, 0, n);
                long t1 = tm.getCurrentThreadCpuTime();
                for (int it = 0; it < 50; it++) for (int pc = 0; pc < k; pc += kc) {
                    // the class Gemm sends this product to: GemmF32Small (6x4 tile, NR = 4 vectors) at 512 bits
                    if (GemmF32Small.DISTINCT) GemmF32Small.packB(true, w, 0, k, pc, 0, kc, n, pb, index, scr);
                    else GemmF32.packB(true, w, 0, k, pc, 0, kc, n, pb, index, scr);
                }
                long t2 = tm.getCurrentThreadCpuTime();
                bg = Math.min(bg, t1 - t0); bp = Math.min(bp, t2 - t1);
            }
            System.out.printf("gemm %.1f us  packB(T) all blocks %.1f us  (%.0f%%)  %.1f GB/s%n", bg / 50e3, bp / 50e3, 100.0 * bp / bg, 4.0 * n * k * 50 / bp);
        }
    }
}
