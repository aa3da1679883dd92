// notes/train-step-limits/WeightLayout.java — the training step's GEMMs and Adam (MLP 784-256-128-10, batch 128,
// float, one thread) with Linear's weights stored out x in (PyTorch's layout, vecprop's: the forward is NT and its
// weight is transpose-packed every step) against in x out (numpy's and Flax's: the forward is NN and reads the
// weight in place), the two taking turns in one JVM, which goes first alternating. Prints the median of the per-round
// ratios. Twelfth session, three runs: out x in / in x out 1.006, 1.016 and 1.006 (the same GEMM alone: NN 7% faster
// than NT). Run from the repository root:
//   J=$(./vecprop java)/bin; $J/javac -cp kernels/target/classes -d /tmp/wl notes/train-step-limits/WeightLayout.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/wl WeightLayout
import dev.vecprop.kernels.*;
import java.util.SplittableRandom;
public class WeightLayout {
    static final int P = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    static float[] r(SplittableRandom s, int n) { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) s.nextDouble(-1, 1); return a; }
    public static void main(String[] args) {
        int b = 128;
        SplittableRandom s = new SplittableRandom(1);
        float[] p = r(s, P), g = r(s, P), m = new float[P], v = new float[P];
        int o1 = 0, o2 = 784 * 256 + 256, o3 = o2 + 256 * 128 + 128;
        float[] x = r(s, b * 784), y1 = new float[b * 256], y2 = new float[b * 128], y3 = new float[b * 10];
        float[] d3 = r(s, b * 10), d2 = r(s, b * 128), d1 = r(s, b * 256), dh2 = new float[b * 128], dh1 = new float[b * 256];
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int steps = 200, t = 0;
        double[][] res = new double[2][30];
        for (int round = 0; round < 30; round++) {
            for (int turn = 0; turn < 2; turn++) {
                int lay = (round & 1) == 0 ? turn : 1 - turn; // which layout goes first alternates
                long t0 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < steps; q++) {
                    if (lay == 0) { // W stored out×in (PyTorch)
                        Gemm.sgemm(false, true, b, 256, 784, 1f, x, 0, 784, p, o1, 784, 1f, y1, 0, 256);
                        Gemm.sgemm(false, true, b, 128, 256, 1f, y1, 0, 256, p, o2, 256, 1f, y2, 0, 128);
                        Gemm.sgemm(false, true, b, 10, 128, 1f, y2, 0, 128, p, o3, 128, 1f, y3, 0, 10);
                        Gemm.sgemm(true, false, 10, 128, b, 1f, d3, 0, 10, y2, 0, 128, 0f, g, o3, 128);
                        Gemm.sgemm(false, false, b, 128, 10, 1f, d3, 0, 10, p, o3, 128, 0f, dh2, 0, 128);
                        Gemm.sgemm(true, false, 128, 256, b, 1f, d2, 0, 128, y1, 0, 256, 0f, g, o2, 256);
                        Gemm.sgemm(false, false, b, 256, 128, 1f, d2, 0, 128, p, o2, 256, 0f, dh1, 0, 256);
                        Gemm.sgemm(true, false, 256, 784, b, 1f, d1, 0, 256, x, 0, 784, 0f, g, o1, 784);
                    } else { // W stored in×out (numpy, Flax)
                        Gemm.sgemm(false, false, b, 256, 784, 1f, x, 0, 784, p, o1, 256, 1f, y1, 0, 256);
                        Gemm.sgemm(false, false, b, 128, 256, 1f, y1, 0, 256, p, o2, 128, 1f, y2, 0, 128);
                        Gemm.sgemm(false, false, b, 10, 128, 1f, y2, 0, 128, p, o3, 10, 1f, y3, 0, 10);
                        Gemm.sgemm(true, false, 128, 10, b, 1f, y2, 0, 128, d3, 0, 10, 0f, g, o3, 10);
                        Gemm.sgemm(false, true, b, 128, 10, 1f, d3, 0, 10, p, o3, 10, 0f, dh2, 0, 128);
                        Gemm.sgemm(true, false, 256, 128, b, 1f, y1, 0, 256, d2, 0, 128, 0f, g, o2, 128);
                        Gemm.sgemm(false, true, b, 256, 128, 1f, d2, 0, 128, p, o2, 128, 0f, dh1, 0, 256);
                        Gemm.sgemm(true, false, 784, 256, b, 1f, x, 0, 784, d1, 0, 256, 0f, g, o1, 256);
                    }
                    Updates.adam(p, 0, g, 0, m, 0, v, 0, P, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, ++t);
                    // keep values bounded
                    if ((t & 63) == 0) { java.util.Arrays.fill(y1, 0f); java.util.Arrays.fill(y2, 0f); java.util.Arrays.fill(y3, 0f); }
                }
                res[lay][round] = (tm.getCurrentThreadCpuTime() - t0) / 1e3 / steps;
            }
        }
        for (int lay = 0; lay < 2; lay++) {
            double[] a = java.util.Arrays.copyOfRange(res[lay], 10, 30); java.util.Arrays.sort(a);
            System.out.printf("%s: median %.1f us (p25 %.1f, p75 %.1f)%n", lay == 0 ? "out x in (NT fwd)" : "in x out (NN fwd)", a[10], a[5], a[15]);
        }
        double[] rr = new double[20]; for (int i = 0; i < 20; i++) rr[i] = res[0][i + 10] / res[1][i + 10]; java.util.Arrays.sort(rr);
        System.out.printf("ratio outxin / inxout per round: median %.3f (%.3f-%.3f)%n", rr[10], rr[5], rr[15]);
    }
}
