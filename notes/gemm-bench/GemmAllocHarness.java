// notes/gemm-bench/GemmAllocHarness.java — bytes the caller allocates per sgemm + dgemm pair once warm, over square
// sizes 37, 64, 100, 129, 256, 300 and all four transpose cases (prints only the shapes that allocate; -Dfonly=true
// or -Ddonly=true for one precision). The eleventh session found 32-64 B per call in some JVMs with it (a masked
// load's lane-by-lane range check in the GEMM packing; fixed). Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/al notes/gemm-bench/GemmAllocHarness.java
//   $J/java [-Dvecprop.vectorBits=256] --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/al GemmAllocHarness
import dev.vecprop.kernels.*;
public class GemmAllocHarness {
    static final boolean F = !Boolean.getBoolean("donly"), D = !Boolean.getBoolean("fonly");
    public static void main(String[] x) {
        var tm = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        int[] sizes = {37, 64, 100, 129, 256, 300};
        for (int round = 0; round < 6; round++) {
            StringBuilder sb = new StringBuilder("round " + round + ":");
            for (int n : sizes) for (int op = 0; op < 4; op++) {
                boolean ta = (op & 2) != 0, tb = (op & 1) != 0;
                float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
                double[] ad = new double[n * n], bd = new double[n * n], cd = new double[n * n];
                for (int i = 0; i < a.length; i++) { a[i] = i % 7; b[i] = i % 5; ad[i] = a[i]; bd[i] = b[i]; }
                int reps = Math.max(1, 2_000_000 / (n * n));
                for (int w = 0; w < 3 * reps; w++) { if (F) Gemm.sgemm(ta, tb, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); if (D) Gemm.dgemm(ta, tb, n, n, n, 1, ad, 0, n, bd, 0, n, 0, cd, 0, n); }
                long t0 = tm.getCurrentThreadAllocatedBytes();
                for (int w = 0; w < reps; w++) { if (F) Gemm.sgemm(ta, tb, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n); if (D) Gemm.dgemm(ta, tb, n, n, n, 1, ad, 0, n, bd, 0, n, 0, cd, 0, n); }
                long bytes = (tm.getCurrentThreadAllocatedBytes() - t0) / reps;
                if (bytes > 0) sb.append(" ").append(n).append(ta ? "T" : "N").append(tb ? "T" : "N").append("=").append(bytes);
            }
            System.out.println(sb);
        }
    }
}
