// notes/train-step-limits/FusedAdam.java — the training step's GEMMs with Adam run once over all parameters after
// the backward (as vecprop's Optimizer.step does) against Adam run on each layer's parameters right after that layer's
// gradient GEMM, while the gradient is still in cache; the two taking turns in one JVM, which goes first alternating.
// Twelfth session, two runs: 628.1 against 627.8 us and 629.8 against 628.0 (per-round ratio 1.001 and 1.005): no
// gain worth giving up one pass over the arenas (global-norm clipping needs every gradient before any update).
//   J=$(./vecprop java)/bin; $J/javac -cp kernels/target/classes -d /tmp/fa notes/train-step-limits/FusedAdam.java
//   $J/java --add-modules jdk.incubator.vector -cp kernels/target/classes:/tmp/fa FusedAdam
import dev.vecprop.kernels.*;
import java.util.SplittableRandom;
public class FusedAdam {
    static final int P = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    static float[] r(SplittableRandom s, int n) { float[] a = new float[n]; for (int i = 0; i < n; i++) a[i] = (float) s.nextDouble(-1, 1); return a; }
    public static void main(String[] args) {
        int b = 128;
        SplittableRandom s = new SplittableRandom(1);
        float[] p = r(s, P), g = new float[P], m = new float[P], v = new float[P];
        int o1 = 0, o2 = 784 * 256 + 256, o3 = o2 + 256 * 128 + 128;
        float[] x = r(s, b * 784), y1 = new float[b * 256], y2 = new float[b * 128], y3 = new float[b * 10];
        float[] d3 = r(s, b * 10), d2 = r(s, b * 128), d1 = r(s, b * 256), dh2 = new float[b * 128], dh1 = new float[b * 256];
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        int steps = 200, t = 0;
        double[][] res = new double[2][30];
        for (int round = 0; round < 30; round++) {
            for (int turn = 0; turn < 2; turn++) {
                int mode = (round & 1) == 0 ? turn : 1 - turn;
                long t0 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < steps; q++) {
                    t++;
                    Gemm.sgemm(false, true, b, 256, 784, 1f, x, 0, 784, p, o1, 784, 1f, y1, 0, 256);
                    Gemm.sgemm(false, true, b, 128, 256, 1f, y1, 0, 256, p, o2, 256, 1f, y2, 0, 128);
                    Gemm.sgemm(false, true, b, 10, 128, 1f, y2, 0, 128, p, o3, 128, 1f, y3, 0, 10);
                    Gemm.sgemm(true, false, 10, 128, b, 1f, d3, 0, 10, y2, 0, 128, 0f, g, o3, 128);
                    Gemm.sgemm(false, false, b, 128, 10, 1f, d3, 0, 10, p, o3, 128, 0f, dh2, 0, 128);
                    if (mode == 1) Updates.adam(p, o3, g, o3, m, o3, v, o3, P - o3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, t);
                    Gemm.sgemm(true, false, 128, 256, b, 1f, d2, 0, 128, y1, 0, 256, 0f, g, o2, 256);
                    Gemm.sgemm(false, false, b, 256, 128, 1f, d2, 0, 128, p, o2, 256, 0f, dh1, 0, 256);
                    if (mode == 1) Updates.adam(p, o2, g, o2, m, o2, v, o2, o3 - o2, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, t);
                    Gemm.sgemm(true, false, 256, 784, b, 1f, d1, 0, 256, x, 0, 784, 0f, g, o1, 784);
                    if (mode == 1) Updates.adam(p, 0, g, 0, m, 0, v, 0, o2, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, t);
                    else Updates.adam(p, 0, g, 0, m, 0, v, 0, P, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, t);
                    if ((t & 63) == 0) { java.util.Arrays.fill(y1, 0f); java.util.Arrays.fill(y2, 0f); java.util.Arrays.fill(y3, 0f); }
                }
                res[mode][round] = (tm.getCurrentThreadCpuTime() - t0) / 1e3 / steps;
            }
        }
        double[] rr = new double[20]; for (int i = 0; i < 20; i++) rr[i] = res[0][i + 10] / res[1][i + 10]; java.util.Arrays.sort(rr);
        double[] a = java.util.Arrays.copyOfRange(res[0], 10, 30), c = java.util.Arrays.copyOfRange(res[1], 10, 30); java.util.Arrays.sort(a); java.util.Arrays.sort(c);
        System.out.printf("Adam after the backward %.1f us, per layer right after its gradient %.1f us; ratio per round %.3f (%.3f-%.3f)%n", a[10], c[10], rr[10], rr[5], rr[15]);
    }
}
