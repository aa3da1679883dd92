package dev.vecprop.kernels;
import jdk.incubator.vector.*;
import java.lang.management.*;

public class Pollute2 {
    static float sink;
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "clean";
        if (mode.equals("pollute")) {
            VectorSpecies<Float> s64 = FloatVector.SPECIES_64, s128 = FloatVector.SPECIES_128;
            float[] x = new float[64];
            for (int i = 0; i < 20000; i++) {
                VectorSpecies<Float> s = (i % 2 == 0) ? s64 : s128;
                FloatVector v = FloatVector.fromArray(s, x, 0);
                FloatVector w = v.mul(v).add(v).fma(v, v);
                w.intoArray(x, 8);
                sink += w.reduceLanes(VectorOperators.ADD);
            }
        } else if (mode.equals("softmax")) {
            // the float reductions that use Species.FH
            float[] x = new float[1000];
            for (int i = 0; i < 20000; i++) sink += (float) Reductions.squaredNorm(x, 0, 1000 - (i % 7));
        }
        GemmTestSupport.minTaskWork(300);
        int m = 64, n = 2 * GemmTestSupport.floatSmallNR(), k = 32, n2 = GemmTestSupport.SMALL_MAX_N + 8;
        float[] a = new float[m * k], b = new float[k * n2], c = new float[m * n2];
        double[] ad = new double[m * k], bd = new double[k * n2], cd = new double[m * n2];
        java.util.Arrays.fill(a, 0.5f); java.util.Arrays.fill(b, 0.25f);
        java.util.Arrays.fill(ad, 0.5); java.util.Arrays.fill(bd, 0.25);
        Parallelism par = Parallelism.threads(2);
        com.sun.management.ThreadMXBean bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 15; round++) {
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 2000; i++) {
                Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n, par);
                Gemm.dgemm(false, true, m, n, k, 1.0, ad, 0, k, bd, 0, k, 0.0, cd, 0, n, par);
                Gemm.sgemm(false, false, m, n2, k, 1f, a, 0, k, b, 0, n2, 0f, c, 0, n2, par);
                Gemm.dgemm(false, true, m, n2, k, 1.0, ad, 0, k, bd, 0, k, 0.0, cd, 0, n2, par);
                Gemm.sgemm(true, false, m, n2, k, 1f, a, 0, m, b, 0, n2, 0f, c, 0, n2, par);
                Gemm.dgemm(true, false, m, n2, k, 1.0, ad, 0, m, bd, 0, n2, 0.0, cd, 0, n2, par);
            }
            System.out.println("round " + round + ": " + (bean.getCurrentThreadAllocatedBytes() - before) / 2000 + " B/round");
        }
        System.exit(0);
    }
}
