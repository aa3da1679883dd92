// notes/gemm-bench/PackRate.java — packing alone: GB/s (bytes packed / thread CPU time, best of 20) of packA and
// packB from a 1024-wide matrix, both transposes, float. Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/pr notes/gemm-bench/PackRate.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/pr dev.vecprop.kernels.PackRate
package dev.vecprop.kernels;

public class PackRate {
    public static void main(String[] x) {
        int ld = Integer.getInteger("ld", 1024), kc = 256, mc = 96, nc = 1024;
        float[] src = new float[ld * ld];
        for (int i = 0; i < src.length; i++) src[i] = i;
        float[] pa = new float[mc * kc + 64], pb = new float[nc * kc + 64];
        int[] index = new int[64];
        float[] scr = new float[kc * 16];
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int pass = 0; pass < 3; pass++) {
            StringBuilder sb = new StringBuilder();
            for (int what = 0; what < 4; what++) {
                boolean trans = (what & 1) != 0, isA = what < 2;
                long best = Long.MAX_VALUE;
                int reps = isA ? 200 : 20;
                for (int r = 0; r < 20; r++) {
                    long t0 = tm.getCurrentThreadCpuTime();
                    for (int it = 0; it < reps; it++) {
                        int off = (it & 3) * 96; // different rows/columns each time: mostly from L2/L3, not L1
                        if (isA) GemmF32.packA(trans, src, 0, ld, off, off, mc, kc, pa, index, scr);
                        else GemmF32.packB(trans, src, 0, ld, off, 0, kc, nc, pb, index, scr);
                    }
                    best = Math.min(best, tm.getCurrentThreadCpuTime() - t0);
                }
                double bytes = 4.0 * reps * (isA ? mc * kc : nc * kc);
                sb.append(String.format("%s%s %.1f GB/s  ", isA ? "packA" : "packB", trans ? "(T)" : "(N)", bytes / best));
            }
            System.out.println(sb);
        }
    }
}
