package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Regression tests for defects a review found (each failed before its fix): float SiLU backward in the deep
 * negative tail, log-softmax / probability-target cross-entropy with large logits, LayerNorm backward with
 * |mean| ≫ std, ReLU backward at NaN, and bitwise determinism of the reductions (cold vs warmed-up).
 */
class ReviewRegressionTest {

    /** d silu/dx in float64. */
    static double siluPrime(double x) {
        double s = 1 / (1 + Math.exp(-x));
        return s * (1 + x * (1 - s));
    }

    /** Relative check without the 1e-20 absolute floor: f′ is ~1e-18 … 1e-33 there, all normal floats. */
    @Test
    void siluBackwardDeepNegativeTail() {
        double[] xs = {-44.4, -45, -50, -60, -70, -79, -80};
        int v = Vectorization.floatLanes();
        int n = xs.length * (v + 1) + 3; // every value in every lane position and in the tail
        float[] x = new float[n];
        float[] ones = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) xs[i % xs.length];
            ones[i] = 1f;
        }
        float[] dx = new float[n];
        Activations.siluBackward(x, 0, ones, 0, dx, 0, n);
        for (int i = 0; i < n; i++) {
            double ref = siluPrime(x[i]);
            double ulps = Math.abs(dx[i] - ref) / Math.ulp((float) ref);
            assertTrue(ulps <= 4, "siluBackward(" + x[i] + ") = " + dx[i] + ", expected " + ref + " (" + ulps
                    + " ulp)");
        }
    }

    /** Large logits: y = (x − max) − log Σ, accurate relative to |y| plus a few ulp of |x − max|. */
    @Test
    void logSoftmaxAndTargetCrossEntropyLargeLogits() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 91);
        int v = Vectorization.floatLanes();
        for (int n : new int[] {1, 3, v + 1, 37, 1000}) {
            float[] x = Tol.randomFloats(r, n, 997, 1003);
            float[] y = new float[n];
            Softmax.logSoftmax(1, n, x, 0, n, y, 0, n);
            double[] row = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                row[j] = x[j];
                max = Math.max(max, x[j]);
            }
            double lse = SoftmaxLossesTest.refLse(row);
            double[] lp = new double[n];
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                lp[j] = row[j] - lse;
                scale[j] = SoftmaxLossesTest.logSoftmaxScale(lp[j], row[j] - max);
            }
            Tol.assertFloats("logSoftmax logits ≈ 1000, n = " + n, lp, scale, y, 0, SoftmaxLossesTest.rowUlps(n));

            // cross-entropy with a probability target: loss = Σ t·(lse − x)
            float[] t = Tol.randomFloats(r, n, 0, 1);
            double ts = 0;
            for (float tj : t) {
                ts += tj;
            }
            double ref = 0;
            double refScale = 0;
            for (int j = 0; j < n; j++) {
                t[j] = (float) (t[j] / ts);
                ref += t[j] * (lse - row[j]);
                refScale += t[j] * (Math.abs(lse - row[j]) + Math.abs(row[j] - max));
            }
            float[] rowLoss = new float[1];
            float loss = Losses.crossEntropy(1, n, x, 0, n, t, 0, n, null, 0, 0, rowLoss, 0);
            Tol.assertFloats("crossEntropy(targets) logits ≈ 1000, n = " + n, new double[] {ref},
                    new double[] {refScale}, new float[] {loss}, 0, SoftmaxLossesTest.rowUlps(n));
        }
    }

    /** x ≈ 3000 ± 0.05, n = 64: dx within the DESIGN §4 float32 bound of a float64 reference. */
    @Test
    void layerNormBackwardLargeMeanSmallStd() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 92);
        for (int n : new int[] {64, 7, 33}) {
            for (boolean affine : new boolean[] {true, false}) {
                int m = 3;
                float[] x = Tol.randomFloats(r, m * n, -0.05, 0.05);
                for (int k = 0; k < x.length; k++) {
                    x[k] += 3000;
                }
                float[] g = affine ? Tol.randomFloats(r, n, 0.5, 1.5) : null;
                float[] dy = Tol.randomFloats(r, m * n, -1, 1);
                float[] y = new float[m * n];
                float[] mean = new float[m];
                float[] rstd = new float[m];
                LayerNorms.layerNorm(m, n, 1e-5f, x, 0, n, g, 0, null, 0, y, 0, n, mean, 0, rstd, 0);
                float[] dx = new float[m * n];
                LayerNorms.layerNormBackward(m, n, x, 0, n, g, 0, mean, 0, rstd, 0, dy, 0, n, dx, 0, n, null, 0,
                        null, 0);
                for (int i = 0; i < m; i++) {
                    double mu = 0;
                    for (int j = 0; j < n; j++) {
                        mu += x[i * n + j];
                    }
                    mu /= n;
                    double var = 0;
                    for (int j = 0; j < n; j++) {
                        var += (x[i * n + j] - mu) * (x[i * n + j] - mu);
                    }
                    double rs = 1 / Math.sqrt(var / n + 1e-5);
                    double sg = 0;
                    double sgx = 0;
                    double[] xh = new double[n];
                    double[] gg = new double[n];
                    for (int j = 0; j < n; j++) {
                        xh[j] = (x[i * n + j] - mu) * rs;
                        gg[j] = dy[i * n + j] * (g == null ? 1 : g[j]);
                        sg += gg[j];
                        sgx += gg[j] * xh[j];
                    }
                    double worst = 0;
                    double big = 0;
                    for (int j = 0; j < n; j++) {
                        double ref = rs * (gg[j] - sg / n - xh[j] * sgx / n);
                        worst = Math.max(worst, Math.abs(dx[i * n + j] - ref));
                        big = Math.max(big, Math.abs(ref));
                    }
                    assertTrue(worst <= 1e-5 * big, "layerNormBackward x ≈ 3000 ± 0.05, n = " + n + ", row " + i
                            + ": max |dx − ref| = " + worst + " > 1e-5·" + big);
                }
            }
        }
    }

    /** NaN never silently becomes 0: a NaN input gives a NaN gradient for relu and leaky relu. */
    @Test
    void reluBackwardPropagatesNaN() {
        int n = 2 * Vectorization.floatLanes() + 3;
        for (int at : new int[] {0, n / 2, n - 1}) {
            float[] x = new float[n];
            float[] dy = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = i % 2 == 0 ? 1f : -1f;
                dy[i] = 1f;
            }
            x[at] = Float.NaN;
            float[] dx = new float[n];
            Activations.reluBackward(x, 0, dy, 0, dx, 0, n);
            assertTrue(Float.isNaN(dx[at]), "reluBackward(NaN) gave " + dx[at]);
            float[] dxl = new float[n];
            Activations.leakyReluBackward(x, 0, dy, 0, dxl, 0, n, 0.1f);
            assertTrue(Float.isNaN(dxl[at]), "leakyReluBackward(NaN) gave " + dxl[at]);
            for (int i = 0; i < n; i++) {
                if (i != at) {
                    assertEquals(x[i] > 0 ? 1f : 0f, dx[i]);
                    assertEquals(x[i] > 0 ? 1f : 0.1f, dxl[i]);
                }
            }
            double[] xd = new double[n];
            double[] dyd = new double[n];
            for (int i = 0; i < n; i++) {
                xd[i] = x[i];
                dyd[i] = 1;
            }
            double[] dxd = new double[n];
            Activations.reluBackward(xd, 0, dyd, 0, dxd, 0, n);
            assertTrue(Double.isNaN(dxd[at]), "reluBackward(NaN) double gave " + dxd[at]);
            double[] dxld = new double[n];
            Activations.leakyReluBackward(xd, 0, dyd, 0, dxld, 0, n, 0.1);
            assertTrue(Double.isNaN(dxld[at]), "leakyReluBackward(NaN) double gave " + dxld[at]);
        }
    }

    /**
     * centredSums in the order the kernel specifies: lane k accumulates the elements i ≡ k (mod lanes) of the
     * main loop (FMA for the squares), the masked tail adds into lanes 0…, then the lanes are summed in lane
     * order. A reduceLanes in an unspecified (JIT-dependent) order would not match this bit for bit.
     */
    static double[] emulateCentredSums(float[] x, float c, int n, int lanes) {
        float[] s = new float[lanes];
        float[] q = new float[lanes];
        int bound = n - n % lanes;
        int i = 0;
        for (; i < bound; i++) {
            float d = x[i] - c;
            s[i % lanes] += d;
            q[i % lanes] = Math.fma(d, d, q[i % lanes]);
        }
        for (; i < n; i++) {
            float d = x[i] - c;
            s[i % lanes] += d;
            q[i % lanes] += d * d;
        }
        float ss = s[0];
        float qq = q[0];
        for (int k = 1; k < lanes; k++) {
            ss += s[k];
            qq += q[k];
        }
        return new double[] {ss, qq};
    }

    /**
     * Same inputs → bitwise the same sums and outputs on the first (interpreted) call and after C2 has
     * compiled the kernels, and equal to the specified lane order.
     */
    @Test
    void reductionsAreBitwiseTheSameColdAndWarm() {
        Assumptions.assumeTrue(Vectorization.ENABLED, "vector path only");
        SplittableRandom r = new SplittableRandom(Tol.SEED + 93);
        int n = 5 * Vectorization.floatLanes() + 3;
        float[] x = Tol.randomFloats(r, n, -3, 3);
        float c = 0.25f;
        double[] out = new double[2];
        int m = 4;
        int w = 37;
        float[] logits = Tol.randomFloats(r, m * w, -5, 5);
        float[] sm = new float[m * w];
        float[] lsm = new float[m * w];
        float[] ln = new float[m * w];
        float[] mean = new float[m];
        float[] rstd = new float[m];
        double[][] sums = new double[2][];
        float[][][] outs = new float[2][][];
        for (int round = 0; round < 2; round++) {
            RowKernels.centredSums(x, 0, c, n, out);
            sums[round] = out.clone();
            Softmax.softmax(m, w, logits, 0, w, sm, 0, w);
            Softmax.logSoftmax(m, w, logits, 0, w, lsm, 0, w);
            LayerNorms.layerNorm(m, w, 1e-5f, logits, 0, w, null, 0, null, 0, ln, 0, w, mean, 0, rstd, 0);
            outs[round] = new float[][] {sm.clone(), lsm.clone(), ln.clone(), mean.clone(), rstd.clone(),
                {Reductions.sum(logits, 0, m * w)}};
            if (round == 0) {
                // warm up until C2 has compiled the loops (tens of thousands of calls)
                float[] ys = new float[m * w];
                for (int it = 0; it < 30_000; it++) {
                    RowKernels.centredSums(x, 0, c, n, out);
                    Softmax.softmax(m, w, logits, 0, w, ys, 0, w);
                    Softmax.logSoftmax(m, w, logits, 0, w, ys, 0, w);
                    LayerNorms.layerNorm(m, w, 1e-5f, logits, 0, w, null, 0, null, 0, ys, 0, w, mean, 0, rstd, 0);
                    Reductions.sum(logits, 0, m * w);
                }
            }
        }
        double[] want = emulateCentredSums(x, c, n, Vectorization.floatLanes());
        for (int round = 0; round < 2; round++) {
            assertEquals(want[0], sums[round][0], "centredSums Σ(x − c), round " + round);
            assertEquals(want[1], sums[round][1], "centredSums Σ(x − c)², round " + round);
        }
        String[] names = {"softmax", "logSoftmax", "layerNorm", "mean", "rstd", "sum"};
        for (int k = 0; k < names.length; k++) {
            for (int i = 0; i < outs[0][k].length; i++) {
                if (Float.floatToRawIntBits(outs[0][k][i]) != Float.floatToRawIntBits(outs[1][k][i])) {
                    fail(names[k] + "[" + i + "] cold " + outs[0][k][i] + " != warm " + outs[1][k][i]);
                }
            }
        }
    }
}
