// notes/parallel-probe/Scale2.java — 2 threads against 1 on one GEMM, in one JVM: the two take turns in 0.1 s slices of
// wall time (Parallelism.serial() and Parallelism.threads(2)), and the ratio is taken per pair of neighbouring slices,
// so both see the same host. Prints the median ratio (quartiles) and the best rate of each. Arguments: MxKxN:TT shapes.
// Fifth session: NT/NN shapes of the MLP 1.47-1.59, 512^3 NN 1.76, the weight gradients 256x128x784 TN 1.23 / 1.42 and
// 128x128x256 TN 1.13 / 1.29 in two JVMs, with lower quartiles near 1.0 (the second vCPU was not always there).
// Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp kernels/target/classes -d /tmp/s2 notes/parallel-probe/Scale2.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/s2 Scale2 256x128x784:TN 128x784x256:NT 512x512x512:NN
import dev.vecprop.kernels.*;
public class Scale2 {
    public static void main(String[] x) {
        Parallelism one = Parallelism.serial(), two = Parallelism.threads(2);
        for (String shape : x) {
            String[] sp = shape.split(":"); String[] d = sp[0].split("x");
            int m = Integer.parseInt(d[0]), k = Integer.parseInt(d[1]), n = Integer.parseInt(d[2]);
            boolean ta = sp[1].charAt(0) == 'T', tb = sp[1].charAt(1) == 'T';
            int lda = ta ? m : k, ldb = tb ? k : n;
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            java.util.Random r = new java.util.Random(1);
            for (int i = 0; i < a.length; i++) a[i] = r.nextFloat();
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat();
            double flop = 2.0 * m * n * k;
            int pairs = 30; double[] ratio = new double[pairs]; double b1 = 0, b2 = 0;
            for (int p = -5; p < pairs; p++) {
                double[] g = new double[2];
                for (int w = 0; w < 2; w++) {
                    int which = (p & 1) == 0 ? w : 1 - w;
                    Parallelism par = which == 0 ? one : two;
                    long t0 = System.nanoTime(), end = t0 + 100_000_000L; long calls = 0;
                    while (System.nanoTime() < end) { Gemm.sgemm(ta, tb, m, n, k, 1f, a, 0, lda, b, 0, ldb, 0f, c, 0, n, par); calls++; }
                    g[which] = flop * calls / (System.nanoTime() - t0);
                }
                if (p >= 0) { ratio[p] = g[1] / g[0]; b1 = Math.max(b1, g[0]); b2 = Math.max(b2, g[1]); }
            }
            java.util.Arrays.sort(ratio);
            System.out.printf("%-14s %s  2T/1T wall median %.2f (p25 %.2f p75 %.2f)  best 1T %.0f 2T %.0f GFLOPS%n", sp[0], sp[1], ratio[pairs/2], ratio[pairs/4], ratio[3*pairs/4], b1, b2);
        }
        System.exit(0);
    }
}
