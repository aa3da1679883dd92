import java.io.File;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A/B of two builds (or two settings) of the kernels on the GEMMs and the Adam pass of one training step (MLP
 * 784-256-128-10, batch 128, float: the calls dev.vecprop.nn.Linear and Adam make, TrainStepGemmsBenchmark's
 * list) inside one JVM, like InJvmAB does for single GEMMs: each variant is the kernels' classes under a class
 * loader of its own, both work on the same arrays, and they take turns in slices of {@code steps} steps; the
 * ratio B / A of the time per step is taken per pair of neighbouring slices. Prints the medians and quartiles.
 *
 * <pre>
 * J=$(./vecprop java)/bin; $J/javac -d /tmp/sab notes/gemm-bench/StepAB.java
 * $J/java --add-modules jdk.incubator.vector -Dab.Acp=OLD/classes -Dab.Bcp=kernels/target/classes \
 *      [-Dab.A=prop=value,...] [-Dab.B=...] [-Dpairs=30] [-Dwarm=10] [-Dsteps=100] -cp /tmp/sab StepAB
 * </pre>
 */
public class StepAB {
    static final int P = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;

    static final class Variant {
        final MethodHandle sgemm, adam;

        Variant(String classes, String props) throws Exception {
            String[] kv = props.isBlank() ? new String[0] : props.split(",");
            String[] old = new String[kv.length];
            for (int i = 0; i < kv.length; i++) {
                String[] p = kv[i].split("=", 2);
                old[i] = System.getProperty(p[0]);
                System.setProperty(p[0], p[1]);
            }
            URLClassLoader loader = new URLClassLoader(new URL[] {new File(classes).toURI().toURL()},
                    ClassLoader.getPlatformClassLoader());
            Class<?> gemm = Class.forName("dev.vecprop.kernels.Gemm", true, loader);
            Class<?> updates = Class.forName("dev.vecprop.kernels.Updates", true, loader);
            for (String c : new String[] {"GemmF32", "GemmF64", "GemmF32Small", "GemmF64Small", "ReduceKernels"}) {
                Class.forName("dev.vecprop.kernels." + c, true, loader); // the tuning constants, under these properties
            }
            MethodHandles.Lookup l = MethodHandles.publicLookup();
            sgemm = l.findStatic(gemm, "sgemm", MethodType.methodType(void.class, boolean.class, boolean.class,
                    int.class, int.class, int.class, float.class, float[].class, int.class, int.class, float[].class,
                    int.class, int.class, float.class, float[].class, int.class, int.class));
            adam = l.findStatic(updates, "adam", MethodType.methodType(void.class, float[].class, int.class,
                    float[].class, int.class, float[].class, int.class, float[].class, int.class, int.class, float.class,
                    float.class, float.class, float.class, float.class, int.class));
            for (int i = 0; i < kv.length; i++) {
                String key = kv[i].split("=", 2)[0];
                if (old[i] == null) {
                    System.clearProperty(key);
                } else {
                    System.setProperty(key, old[i]);
                }
            }
        }
    }

    static float[] random(SplittableRandom s, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) s.nextDouble(-1, 1);
        }
        return a;
    }

    // the step's data: parameters, gradients and Adam moments in flat arenas (as dev.vecprop.nn lays them out)
    static final SplittableRandom RND = new SplittableRandom(1);
    static final int B = 128, O1 = 0, O2 = 784 * 256 + 256, O3 = O2 + 256 * 128 + 128;
    static final float[] p = random(RND, P), g = new float[P], m = new float[P], v = new float[P];
    static final float[] x = random(RND, B * 784), y1 = new float[B * 256], y2 = new float[B * 128], y3 = new float[B * 10];
    static final float[] d3 = random(RND, B * 10), d2 = random(RND, B * 128), d1 = random(RND, B * 256);
    static final float[] dh2 = new float[B * 128], dh1 = new float[B * 256];
    static int t;

    static final String[] PARTS = {"fwd1 NT", "fwd2 NT", "fwd3 NT", "dW3 TN", "dH2 NN", "dW2 TN", "dH1 NN", "dW1 TN", "adam"};
    static final long[][] NANOS = new long[2][PARTS.length];

    static void step(Variant w, long[] ns) throws Throwable {
        MethodHandle s = w.sgemm;
        long t0 = System.nanoTime(), t1;
        s.invokeExact(false, true, B, 256, 784, 1f, x, 0, 784, p, O1, 784, 1f, y1, 0, 256);
        t1 = System.nanoTime(); ns[0] += t1 - t0; t0 = t1;
        s.invokeExact(false, true, B, 128, 256, 1f, y1, 0, 256, p, O2, 256, 1f, y2, 0, 128);
        t1 = System.nanoTime(); ns[1] += t1 - t0; t0 = t1;
        s.invokeExact(false, true, B, 10, 128, 1f, y2, 0, 128, p, O3, 128, 1f, y3, 0, 10);
        t1 = System.nanoTime(); ns[2] += t1 - t0; t0 = t1;
        s.invokeExact(true, false, 10, 128, B, 1f, d3, 0, 10, y2, 0, 128, 0f, g, O3, 128);
        t1 = System.nanoTime(); ns[3] += t1 - t0; t0 = t1;
        s.invokeExact(false, false, B, 128, 10, 1f, d3, 0, 10, p, O3, 128, 0f, dh2, 0, 128);
        t1 = System.nanoTime(); ns[4] += t1 - t0; t0 = t1;
        s.invokeExact(true, false, 128, 256, B, 1f, d2, 0, 128, y1, 0, 256, 0f, g, O2, 256);
        t1 = System.nanoTime(); ns[5] += t1 - t0; t0 = t1;
        s.invokeExact(false, false, B, 256, 128, 1f, d2, 0, 128, p, O2, 256, 0f, dh1, 0, 256);
        t1 = System.nanoTime(); ns[6] += t1 - t0; t0 = t1;
        s.invokeExact(true, false, 256, 784, B, 1f, d1, 0, 256, x, 0, 784, 0f, g, O1, 784);
        t1 = System.nanoTime(); ns[7] += t1 - t0; t0 = t1;
        w.adam.invokeExact(p, 0, g, 0, m, 0, v, 0, P, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, ++t);
        t1 = System.nanoTime(); ns[8] += t1 - t0; t0 = t1;
        if ((t & 63) == 0) { // keep the forward's outputs (accumulated onto, as onto a bias) bounded
            Arrays.fill(y1, 0f);
            Arrays.fill(y2, 0f);
            Arrays.fill(y3, 0f);
        }
    }

    public static void main(String[] args) throws Throwable {
        String cpA = System.getProperty("ab.Acp", "kernels/target/classes");
        String cpB = System.getProperty("ab.Bcp", cpA);
        Variant[] vs = {new Variant(cpA, System.getProperty("ab.A", "")), new Variant(cpB, System.getProperty("ab.B", ""))};
        int pairs = Integer.getInteger("pairs", 30), warm = Integer.getInteger("warm", 10), steps = Integer.getInteger("steps", 100);
        java.lang.management.ThreadMXBean tm = java.lang.management.ManagementFactory.getThreadMXBean();
        double[][] us = new double[2][pairs];
        double[] ratio = new double[pairs];
        for (int pair = -warm; pair < pairs; pair++) {
            double[] t2 = new double[2];
            for (int i = 0; i < 2; i++) {
                int which = (pair & 1) == 0 ? i : 1 - i; // alternate which goes first
                long t0 = tm.getCurrentThreadCpuTime();
                for (int q = 0; q < steps; q++) {
                    step(vs[which], pair >= 0 ? NANOS[which] : new long[PARTS.length]);
                }
                t2[which] = (tm.getCurrentThreadCpuTime() - t0) / 1e3 / steps;
            }
            if (pair >= 0) {
                us[0][pair] = t2[0];
                us[1][pair] = t2[1];
                ratio[pair] = t2[1] / t2[0];
            }
        }
        System.out.printf("A %s %s: %s%nB %s %s: %s%nB / A per pair: %s%n", cpA, System.getProperty("ab.A", ""),
                quart(us[0], "us"), cpB, System.getProperty("ab.B", ""), quart(us[1], "us"), quart(ratio, ""));
        for (int i = 0; i < PARTS.length; i++) { // mean wall time per step of each call, over the counted slices
            double a = NANOS[0][i] / 1e3 / pairs / steps, b = NANOS[1][i] / 1e3 / pairs / steps;
            System.out.printf("  %-8s A %7.1f us  B %7.1f us  B/A %.3f%n", PARTS[i], a, b, b / a);
        }
    }

    static String quart(double[] a, String unit) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return String.format("median %.3f%s (quartiles %.3f-%.3f)", s[n / 2], unit, s[n / 4], s[3 * n / 4]);
    }
}
