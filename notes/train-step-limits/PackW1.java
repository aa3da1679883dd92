// notes/train-step-limits/PackW1.java — packing the first layer's weight (256 x 784, float) for its forward GEMM
// (NT: B transposed, packed by in-register 16 x 16 transposes), block by block as GemmF32Small.packed does it:
// microseconds per whole weight (best of 200) and GB/s. -Dcopies=8 cycles through 8 weights (6.4 MB: from L3, as
// in the training step, where Adam has just written the weight); -Dkc sets the block depth. Twelfth session:
// 26.3-27.6 us (29-30 GB/s) from L2, 34-35 us from L3, for kc = 196, 392 and 784 alike; a 16 x 16 transpose in one
// method (no scratch round trip) reached 40 GB/s. Package-private access, hence the package. From the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/pk notes/train-step-limits/PackW1.java
//   $J/java --add-modules jdk.incubator.vector [-Dcopies=8] -cp kernels/target/classes:/tmp/pk dev.vecprop.kernels.PackW1
package dev.vecprop.kernels;
public class PackW1 {
    public static void main(String[] x) {
        int n = Integer.getInteger("n", 256), k = Integer.getInteger("k", 784), kc = Integer.getInteger("kc", 196);
        int copies = Integer.getInteger("copies", 1);
        float[][] w = new float[copies][n * k];
        for (float[] a : w) for (int i = 0; i < a.length; i++) a[i] = i;
        float[] pb = new float[n * kc + 64];
        int[] index = new int[64];
        float[] scr = new float[kc * 16];
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 5; pass++) {
            long best = Long.MAX_VALUE;
            for (int r = 0; r < 200; r++) {
                float[] src = w[r % copies];
                long t0 = tm.getCurrentThreadCpuTime();
                for (int pc = 0; pc < k; pc += kc)
                    GemmF32Small.packB(true, src, 0, k, pc, 0, Math.min(kc, k - pc), n, pb, index, scr);
                best = Math.min(best, tm.getCurrentThreadCpuTime() - t0);
            }
            System.out.printf("T pack %dx%d kc=%d copies=%d: %.1f us, %.1f GB/s%n", n, k, kc, copies, best / 1e3, 4.0 * n * k / best);
        }
    }
}
