package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Optimizer steps against PyTorch's update rules written out in float64 here, plus the optimizer laws. */
class UpdatesTest {

    /** PyTorch Adam/AdamW for one element over several steps, in double. */
    static double[] refAdam(boolean decoupled, double p, double[] grads, double lr, double b1, double b2, double eps,
                            double wd) {
        double m = 0, v = 0;
        for (int t = 1; t <= grads.length; t++) {
            double g = grads[t - 1];
            if (decoupled) {
                p *= 1 - lr * wd;
            } else {
                g += wd * p;
            }
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            double mhat = m / (1 - Math.pow(b1, t));
            double vhat = v / (1 - Math.pow(b2, t));
            p -= lr * mhat / (Math.sqrt(vhat) + eps);
        }
        return new double[] {p, m, v};
    }

    static double refSgd(double p, double[] grads, double lr, double mom, double damp, double wd, boolean nesterov) {
        double buf = 0;
        for (int t = 1; t <= grads.length; t++) {
            double d = grads[t - 1] + wd * p;
            if (mom != 0) {
                buf = t == 1 ? d : mom * buf + (1 - damp) * d;
                d = nesterov ? d + mom * buf : buf;
            }
            p -= lr * d;
        }
        return p;
    }

    static final int STEPS = 4;

    @Test
    void adamAndAdamWFloatMatchPyTorchRule() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 51);
        for (boolean decoupled : new boolean[] {false, true}) {
            for (int n : Tol.floatLengths()) {
                float[] p = Tol.randomFloats(r, n + 1, -1, 1);
                float[] p0 = p.clone();
                float[] m = new float[n + 2];
                float[] v = new float[n];
                float[][] g = new float[STEPS][];
                for (int t = 0; t < STEPS; t++) {
                    g[t] = Tol.randomFloats(r, n + 3, -1, 1);
                }
                float lr = 1e-2f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f, wd = decoupled ? 0.01f : 0.1f;
                for (int t = 0; t < STEPS; t++) {
                    if (decoupled) {
                        Updates.adamW(p, 1, g[t], 3, m, 2, v, 0, n, lr, b1, b2, eps, wd, t + 1);
                    } else {
                        Updates.adam(p, 1, g[t], 3, m, 2, v, 0, n, lr, b1, b2, eps, wd, t + 1);
                    }
                }
                double[] refP = new double[n];
                double[] scale = new double[n];
                for (int i = 0; i < n; i++) {
                    double[] gs = new double[STEPS];
                    for (int t = 0; t < STEPS; t++) {
                        gs[t] = g[t][i + 3];
                    }
                    refP[i] = refAdam(decoupled, p0[i + 1], gs, lr, b1, b2, eps, wd)[0];
                    scale[i] = Math.abs(p0[i + 1]) + STEPS * lr; // each step moves p by ≤ ~lr
                }
                // per step: a few roundings of p plus the update's relative error (~1e-6 of lr)
                Tol.assertFloats((decoupled ? "adamW" : "adam") + " n=" + n, refP, scale, p, 1, 8 * STEPS);
                assertEquals(p0[0], p[0]);
            }
        }
    }

    /**
     * A weight whose gradient is 0 keeps a decaying m and v; once they fall below the smallest normal number
     * they are stored as exactly 0 (subnormal arithmetic is ~20× slower), while a moment just above it is kept,
     * as are NaN moments. Every length, so both the vector body and its tail are covered.
     */
    @Test
    void adamFlushesSubnormalMomentsToZero() {
        for (int n : Tol.floatLengths()) {
            float[] p = new float[n];
            float[] g = new float[n];
            float[] m = new float[n];
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = 1;
                // lane pattern: below the threshold after one step (1e-38·0.9, 1e-38·0.999), kept (1e-30), NaN
                m[i] = i % 3 == 0 ? 1e-38f : i % 3 == 1 ? -1e-30f : Float.NaN;
                v[i] = i % 3 == 0 ? 1.1e-38f : i % 3 == 1 ? 1e-30f : 1e-30f;
            }
            Updates.adam(p, 0, g, 0, m, 0, v, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0, 5);
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    assertEquals(0f, m[i], "m[" + i + "] of n=" + n + " (0.9e-38 is subnormal)");
                    assertEquals(0f, v[i], "v[" + i + "] of n=" + n + " (1.0989e-38 is subnormal)");
                } else if (i % 3 == 1) {
                    assertEquals(-0.9e-30f, m[i], 1e-36f, "m[" + i + "] of n=" + n + " is normal: kept");
                    assertEquals(0.999e-30f, v[i], 1e-36f, "v[" + i + "] of n=" + n + " is normal: kept");
                } else {
                    assertTrue(Float.isNaN(m[i]), "a NaN moment stays NaN, m[" + i + "] of n=" + n);
                }
            }
        }
        double[] pd = {1, 1};
        double[] md = {1e-308, 1e-300};
        double[] vd = {2e-308, 1e-300};
        Updates.adam(pd, 0, new double[2], 0, md, 0, vd, 0, 2, 1e-3, 0.9, 0.999, 1e-8, 0, 5);
        assertEquals(0.0, md[0], "double m below Double.MIN_NORMAL");
        assertEquals(0.0, vd[0], "double v below Double.MIN_NORMAL");
        assertEquals(0.9e-300, md[1], 1e-310, "double m kept");
    }

    /** SGD's momentum buffer follows the same rule as Adam's moments: below the smallest normal number it is 0. */
    @Test
    void sgdFlushesSubnormalMomentumToZero() {
        for (int n : Tol.floatLengths()) {
            float[] p = new float[n];
            float[] g = new float[n];
            float[] buf = new float[n];
            for (int i = 0; i < n; i++) {
                p[i] = 1;
                buf[i] = i % 3 == 0 ? 1e-38f : i % 3 == 1 ? -1e-30f : Float.NaN; // 0.9e-38 after a step: subnormal
            }
            Updates.sgd(p, 0, g, 0, buf, 0, n, 0.1f, 0.9f, 0, 0, false, 5);
            for (int i = 0; i < n; i++) {
                if (i % 3 == 0) {
                    assertEquals(0f, buf[i], "buf[" + i + "] of n=" + n + " (0.9e-38 is subnormal)");
                } else if (i % 3 == 1) {
                    assertEquals(-0.9e-30f, buf[i], 1e-36f, "buf[" + i + "] of n=" + n + " is normal: kept");
                } else {
                    assertTrue(Float.isNaN(buf[i]), "a NaN buffer stays NaN, buf[" + i + "] of n=" + n);
                }
            }
        }
        double[] pd = {1, 1};
        double[] bd = {1e-308, -1e-300};
        Updates.sgd(pd, 0, new double[2], 0, bd, 0, 2, 0.1, 0.9, 0, 0, true, 5);
        assertEquals(0.0, bd[0], "double buffer below Double.MIN_NORMAL");
        assertEquals(-0.9e-300, bd[1], 1e-310, "double buffer kept");
    }

    /** Large Adam/AdamW calls split over the default parallelism; the result is bitwise the serial one. */
    @Test
    void adamOnSeveralThreadsEqualsSerialBitwise() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 58);
        int n = 5 * (1 << 15) + 77; // several chunks, bounds not on vector multiples
        float[] p = Tol.randomFloats(r, n, -1, 1);
        float[] g = Tol.randomFloats(r, n, -1, 1);
        double[] pd = Tol.randomDoubles(r, n, -1, 1);
        double[] gd = Tol.randomDoubles(r, n, -1, 1);
        Parallelism before = Parallelism.getDefault();
        // the threaded run goes through an executor that counts what it is handed, so the test also shows that
        // the work was split (a serial run compared with a serial run would pass as well)
        java.util.concurrent.atomic.AtomicInteger handed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            float[][] results = new float[2][];
            double[][] resultsD = new double[2][];
            for (int run = 0; run < 2; run++) {
                Parallelism.setDefault(run == 0 ? Parallelism.serial() : Parallelism.of(task -> {
                    handed.incrementAndGet();
                    pool.execute(task);
                }, 3));
                float[] pr = p.clone();
                float[] m = new float[n];
                float[] v = new float[n];
                double[] prd = pd.clone();
                double[] md = new double[n];
                double[] vd = new double[n];
                for (int step = 1; step <= 3; step++) {
                    Updates.adam(pr, 0, g, 0, m, 0, v, 0, n, 1e-2f, 0.9f, 0.999f, 1e-8f, 0.1f, step);
                    Updates.adamW(prd, 0, gd, 0, md, 0, vd, 0, n, 1e-2, 0.9, 0.999, 1e-8, 0.01, step);
                }
                results[run] = pr;
                resultsD[run] = prd;
            }
            if (Vectorization.ENABLED) { // the scalar path runs Adam in one piece
                assertTrue(handed.get() > 0, "Adam over " + n + " elements was not split among threads");
            }
            org.junit.jupiter.api.Assertions.assertArrayEquals(results[0], results[1], "float adam, 3 threads vs serial");
            org.junit.jupiter.api.Assertions.assertArrayEquals(resultsD[0], resultsD[1], "double adamW, 3 threads vs serial");
            // control: the comparison sees a one-ulp difference in one element
            results[1][n - 1] = Math.nextUp(results[1][n - 1]);
            assertThrows(AssertionFailedError.class, () -> org.junit.jupiter.api.Assertions.assertArrayEquals(results[0], results[1]));
        } finally {
            Parallelism.setDefault(before);
            pool.shutdownNow();
        }
    }

    @Test
    void adamDouble() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 52);
        int n = 2 * Vectorization.doubleLanes() + 3;
        double[] p = Tol.randomDoubles(r, n, -1, 1);
        double[] p0 = p.clone();
        double[] m = new double[n];
        double[] v = new double[n];
        double[][] g = new double[STEPS][];
        for (int t = 0; t < STEPS; t++) {
            g[t] = Tol.randomDoubles(r, n, -1, 1);
            Updates.adamW(p, 0, g[t], 0, m, 0, v, 0, n, 1e-2, 0.9, 0.999, 1e-8, 0.01, t + 1);
        }
        double[] ref = new double[n];
        for (int i = 0; i < n; i++) {
            double[] gs = new double[STEPS];
            for (int t = 0; t < STEPS; t++) {
                gs[t] = g[t][i];
            }
            ref[i] = refAdam(true, p0[i], gs, 1e-2, 0.9, 0.999, 1e-8, 0.01)[0];
        }
        Tol.assertDoubles("adamW double", ref, null, p, 0, 1e-13);
    }

    @Test
    void sgdVariantsFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 53);
        float[][] configs = {{0.1f, 0, 0, 0}, {0.1f, 0.9f, 0, 0}, {0.1f, 0.9f, 0.1f, 1e-2f}, {0.05f, 0.8f, 0, 1e-3f}};
        for (int c = 0; c < configs.length; c++) {
            for (boolean nesterov : new boolean[] {false, true}) {
                float lr = configs[c][0], mom = configs[c][1], damp = configs[c][2], wd = configs[c][3];
                if (nesterov && (mom == 0 || damp != 0)) {
                    continue;
                }
                for (int n : Tol.floatLengths()) {
                    float[] p = Tol.randomFloats(r, n, -1, 1);
                    float[] p0 = p.clone();
                    float[] buf = mom == 0 ? null : new float[n + 1];
                    float[][] g = new float[STEPS][];
                    for (int t = 0; t < STEPS; t++) {
                        g[t] = Tol.randomFloats(r, n, -1, 1);
                        Updates.sgd(p, 0, g[t], 0, buf, 1, n, lr, mom, damp, wd, nesterov, t + 1);
                    }
                    double[] ref = new double[n];
                    double[] scale = new double[n];
                    for (int i = 0; i < n; i++) {
                        double[] gs = new double[STEPS];
                        for (int t = 0; t < STEPS; t++) {
                            gs[t] = g[t][i];
                        }
                        ref[i] = refSgd(p0[i], gs, lr, mom, damp, wd, nesterov);
                        scale[i] = Math.abs(p0[i]) + 4 * STEPS * lr;
                    }
                    Tol.assertFloats("sgd " + java.util.Arrays.toString(configs[c]) + " nesterov=" + nesterov
                            + " n=" + n, ref, scale, p, 0, 4 * STEPS);
                }
            }
        }
    }

    @Test
    void optimizerLaws() {
        int n = 3 * Vectorization.floatLanes() + 1;
        SplittableRandom r = new SplittableRandom(Tol.SEED + 54);
        float[] p = Tol.randomFloats(r, n, -1, 1);
        float[] g = Tol.randomFloats(r, n, -1, 1);
        // lr = 0 is the identity on the parameters
        float[] q = p.clone();
        Updates.adam(q, 0, g, 0, new float[n], 0, new float[n], 0, n, 0f, 0.9f, 0.999f, 1e-8f, 0.1f, 1);
        assertTrue(java.util.Arrays.equals(p, q));
        // AdamW with g = 0 decays by exactly 1 − lr·wd
        q = p.clone();
        Updates.adamW(q, 0, new float[n], 0, new float[n], 0, new float[n], 0, n, 0.1f, 0.9f, 0.999f, 1e-8f, 0.5f, 1);
        for (int i = 0; i < n; i++) {
            assertEquals(p[i] * (1 - 0.1f * 0.5f), q[i], Math.ulp(p[i]) * 2);
        }
        // Adam's first step moves every element by lr·g/(|g| + eps) ≈ lr·sign(g)
        q = p.clone();
        Updates.adam(q, 0, g, 0, new float[n], 0, new float[n], 0, n, 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 1);
        for (int i = 0; i < n; i++) {
            assertEquals(p[i] - 0.01f * Math.signum(g[i]), q[i], 1e-6f);
        }
    }

    @Test
    void clipGlobalNorm() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 55);
        float[] a = Tol.randomFloats(r, 1000, -1, 1);
        float[] b = Tol.randomFloats(r, 37, -1, 1);
        double sq = 0;
        for (int i = 2; i < 1000; i++) {
            sq += (double) a[i] * a[i];
        }
        for (int i = 0; i < 30; i++) {
            sq += (double) b[i] * b[i];
        }
        double norm = Math.sqrt(sq);
        float[][] arrays = {a, b};
        int[] offs = {2, 0};
        int[] lens = {998, 30};
        assertEquals(norm, Updates.globalNorm(arrays, offs, lens), 1e-9 * norm);
        float[] a0 = a.clone();
        float[] b0 = b.clone();
        // above the norm: untouched
        assertEquals(norm, Updates.clipGlobalNorm(arrays, offs, lens, norm * 2), 1e-9 * norm);
        assertTrue(java.util.Arrays.equals(a0, a) && java.util.Arrays.equals(b0, b));
        // below: scaled to maxNorm (up to the 1e-6 PyTorch adds)
        assertEquals(norm, Updates.clipGlobalNorm(arrays, offs, lens, 1.0), 1e-9 * norm);
        assertEquals(1.0, Updates.globalNorm(arrays, offs, lens), 1e-5);
        assertEquals(a0[0], a[0]);
        assertEquals(b0[30], b[30]);
        double coef = 1.0 / (norm + 1e-6);
        assertEquals(a0[5] * (float) coef, a[5], Math.ulp(a[5]));
        // non-finite norm: left untouched, reported
        float[] c = {1, Float.POSITIVE_INFINITY, 2};
        float[] c0 = c.clone();
        double n2 = Updates.clipGlobalNorm(new float[][] {c}, new int[] {0}, new int[] {3}, 1.0);
        assertTrue(Double.isInfinite(n2));
        assertTrue(java.util.Arrays.equals(c0, c));
    }

    @Test
    void badArgumentsAreRefusedBeforeWriting() {
        float[] p = {1, 2, 3};
        float[] keep = p.clone();
        float[] g = {1, 1, 1};
        assertThrows(IllegalArgumentException.class,
                () -> Updates.adam(p, 0, g, 0, new float[3], 0, new float[3], 0, 3, 1e-3f, 1f, 0.999f, 1e-8f, 0f, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.adam(p, 0, g, 0, new float[3], 0, new float[3], 0, 3, -1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.adam(p, 0, g, 0, new float[3], 0, new float[3], 0, 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Updates.adamW(p, 0, g, 0, new float[2], 0, new float[3], 0, 3, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.sgd(p, 0, g, 0, new float[3], 0, 3, 0.1f, 0f, 0f, 0f, true, 1));
        assertThrows(NullPointerException.class,
                () -> Updates.sgd(p, 0, g, 0, null, 0, 3, 0.1f, 0.9f, 0f, 0f, false, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.sgd(p, 0, g, 0, null, 0, 3, Float.NaN, 0f, 0f, 0f, false, 1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.clipGlobalNorm(new float[][] {p}, new int[] {0}, new int[] {3}, -1));
        assertThrows(IllegalArgumentException.class,
                () -> Updates.clipGlobalNorm(new float[][] {p}, new int[] {0, 0}, new int[] {3}, 1));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Updates.clipGlobalNorm(new float[][] {p}, new int[] {1}, new int[] {3}, 0.001));
        Tol.assertUntouched(keep, p);
    }

    /**
     * Adam's and AdamW's eps must be finite and >= 0 (PyTorch's 0 <= eps, and finite so the update stays finite):
     * NaN, ±∞ and every negative value, down to the smallest, are refused before anything is written, in both
     * precisions; 0 and the smallest positive value are accepted.
     */
    @Test
    void badEpsIsRefusedBeforeWriting() {
        float[] p = {1, 2, 3};
        float[] g = {1, -1, 0.5f};
        float[] keep = p.clone();
        for (float eps : new float[] {Float.NaN, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, -1f,
                -Float.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> Updates.adam(p, 0, g, 0, new float[3], 0,
                    new float[3], 0, 3, 1e-3f, 0.9f, 0.999f, eps, 0f, 1), "adam float eps " + eps);
            assertThrows(IllegalArgumentException.class, () -> Updates.adamW(p, 0, g, 0, new float[3], 0,
                    new float[3], 0, 3, 1e-3f, 0.9f, 0.999f, eps, 0.01f, 1), "adamW float eps " + eps);
        }
        Tol.assertUntouched(keep, p);
        double[] pd = {1, 2, 3};
        double[] gd = {1, -1, 0.5};
        double[] keepD = pd.clone();
        for (double eps : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -1,
                -1e-300, -Double.MIN_VALUE}) {
            assertThrows(IllegalArgumentException.class, () -> Updates.adam(pd, 0, gd, 0, new double[3], 0,
                    new double[3], 0, 3, 1e-3, 0.9, 0.999, eps, 0, 1), "adam double eps " + eps);
            assertThrows(IllegalArgumentException.class, () -> Updates.adamW(pd, 0, gd, 0, new double[3], 0,
                    new double[3], 0, 3, 1e-3, 0.9, 0.999, eps, 0.01, 1), "adamW double eps " + eps);
        }
        assertTrue(java.util.Arrays.equals(keepD, pd), "a refused call wrote to its output");
        // the control: the boundary values are accepted (so the refusals above are not of everything)
        Updates.adam(new float[3], 0, g, 0, new float[3], 0, new float[3], 0, 3, 1e-3f, 0.9f, 0.999f, 0f, 0f, 1);
        Updates.adam(new double[3], 0, gd, 0, new double[3], 0, new double[3], 0, 3, 1e-3, 0.9, 0.999,
                Double.MIN_VALUE, 0, 1);
    }

    /** The comparison is not vacuous: Adam without bias correction is caught. */
    @Test
    void plantedBugIsCaught() {
        double[] gs = {0.5, -0.25, 0.75, 0.1};
        double ref = refAdam(false, 0.3, gs, 1e-2, 0.9, 0.999, 1e-8, 0)[0];
        double m = 0, v = 0, p = 0.3;
        for (double g : gs) {
            m = 0.9 * m + 0.1 * g;
            v = 0.999 * v + 0.001 * g * g;
            p -= 1e-2 * m / (Math.sqrt(v) + 1e-8);
        }
        float got = (float) p;
        assertThrows(AssertionFailedError.class, () -> Tol.assertFloats("planted", new double[] {ref},
                new double[] {0.3 + 0.04}, new float[] {got}, 0, 8 * STEPS));
    }
}
