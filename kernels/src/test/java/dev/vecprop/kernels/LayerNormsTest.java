package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Layer norm forward/backward against a float64 reference written here, and a central-difference check. */
class LayerNormsTest {

    /** Float64 reference forward of one row: returns {y..., mean, rstd}. */
    static double[] refRow(double[] x, double[] g, double[] b, double eps) {
        int n = x.length;
        double mu = 0;
        for (double v : x) {
            mu += v;
        }
        mu /= n;
        double var = 0;
        for (double v : x) {
            var += (v - mu) * (v - mu);
        }
        var /= n;
        double rstd = 1 / Math.sqrt(var + eps);
        double[] out = new double[n + 2];
        for (int j = 0; j < n; j++) {
            out[j] = (x[j] - mu) * rstd * (g == null ? 1 : g[j]) + (b == null ? 0 : b[j]);
        }
        out[n] = mu;
        out[n + 1] = rstd;
        return out;
    }

    /** Loss L = Σ w·y for one row, for central differences. */
    static double loss(double[] x, double[] g, double[] b, double eps, double[] w) {
        double[] y = refRow(x, g, b, eps);
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += w[j] * y[j];
        }
        return s;
    }

    @Test
    void forwardFloatMatchesReference() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 31);
        int v = Vectorization.floatLanes();
        int[][] shapes = {{0, 5}, {3, 0}, {1, 1}, {2, 2}, {3, v - 1 > 0 ? v - 1 : 1}, {2, v}, {3, v + 1},
            {2, 2 * v + 3}, {3, 1000}, {1, 4099}};
        for (int[] sh : shapes) {
            int m = sh[0], n = sh[1], ld = n + 1;
            for (boolean affine : new boolean[] {true, false}) {
                float[] x = Tol.randomFloats(r, 1 + m * ld, -3, 3);
                for (int k = 0; k < x.length; k++) {
                    x[k] += 100; // a common offset: the two-pass variance must not lose it
                }
                float[] g = affine ? Tol.randomFloats(r, n, 0.5, 1.5) : null;
                float[] b = affine ? Tol.randomFloats(r, n, -1, 1) : null;
                float[] y = new float[m * n];
                float[] mean = new float[m];
                float[] rstd = new float[m];
                LayerNorms.layerNorm(m, n, 1e-5f, x, 1, ld, g, 0, b, 0, y, 0, Math.max(1, n), mean, 0, rstd, 0);
                for (int i = 0; i < m && n > 0; i++) {
                    double[] row = new double[n];
                    double[] gd = g == null ? null : new double[n];
                    double[] bd = b == null ? null : new double[n];
                    for (int j = 0; j < n; j++) {
                        row[j] = x[1 + i * ld + j];
                        if (affine) {
                            gd[j] = g[j];
                            bd[j] = b[j];
                        }
                    }
                    double[] ref = refRow(row, gd, bd, 1e-5);
                    double[] refY = java.util.Arrays.copyOf(ref, n);
                    double[] scale = new double[n];
                    for (int j = 0; j < n; j++) {
                        // |x̂·γ| + |β|: the output's own magnitude can cancel
                        scale[j] = Math.abs((row[j] - ref[n]) * ref[n + 1] * (gd == null ? 1 : gd[j]))
                                + (bd == null ? 0 : Math.abs(bd[j]));
                    }
                    String what = "layerNorm " + m + "x" + n + (affine ? "" : " no affine") + " row " + i;
                    // in ulps of |x̂·γ| + |β| (the output can cancel); x ≈ 100 with |x − μ| ≈ 1 needs μ
                    // carried to more than float precision
                    Tol.assertFloats(what, refY, scale, y, i * n, 8);
                    Tol.assertFloats(what + " mean", new double[] {ref[n]}, null, mean, i, 4 + Math.sqrt(n));
                    Tol.assertFloats(what + " rstd", new double[] {ref[n + 1]}, null, rstd, i, 8 + Math.sqrt(n));
                }
            }
        }
    }

    /** Backward against central differences of the float64 reference (checks the math, not just a copy of it). */
    @Test
    void backwardMatchesCentralDifferences() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 32);
        int v = Vectorization.doubleLanes();
        for (int n : new int[] {1, 2, v + 1, 2 * v + 3, 37}) {
            int m = 3;
            double eps = 1e-5;
            double[] x = Tol.randomDoubles(r, m * n, -2, 2);
            double[] g = Tol.randomDoubles(r, n, 0.5, 1.5);
            double[] b = Tol.randomDoubles(r, n, -1, 1);
            double[] w = Tol.randomDoubles(r, m * n, -1, 1);
            double[] y = new double[m * n];
            double[] mean = new double[m];
            double[] rstd = new double[m];
            LayerNorms.layerNorm(m, n, eps, x, 0, n, g, 0, b, 0, y, 0, n, mean, 0, rstd, 0);
            double[] dx = Tol.randomDoubles(r, m * n, -1, 1);
            double[] dx0 = dx.clone();
            double[] dg = Tol.randomDoubles(r, n, -1, 1);
            double[] dg0 = dg.clone();
            double[] db = Tol.randomDoubles(r, n, -1, 1);
            double[] db0 = db.clone();
            LayerNorms.layerNormBackward(m, n, x, 0, n, g, 0, mean, 0, rstd, 0, w, 0, n, dx, 0, n, dg, 0, db, 0);
            double[] numDx = new double[m * n];
            double[] numDg = new double[n];
            double[] numDb = new double[n];
            for (int i = 0; i < m; i++) {
                double[] row = java.util.Arrays.copyOfRange(x, i * n, i * n + n);
                double[] wr = java.util.Arrays.copyOfRange(w, i * n, i * n + n);
                for (int j = 0; j < n; j++) {
                    numDx[i * n + j] = dx0[i * n + j] + central(row, j, h -> loss(h, g, b, eps, wr));
                }
                for (int j = 0; j < n; j++) {
                    numDg[j] += central(g, j, h -> loss(row, h, b, eps, wr));
                    numDb[j] += central(b, j, h -> loss(row, g, h, eps, wr));
                }
            }
            for (int j = 0; j < n; j++) {
                numDg[j] += dg0[j];
                numDb[j] += db0[j];
            }
            // finite differences carry ~1e-9 error: a gradient-check bound, not the 1e-14 kernel bound
            double[] one = new double[Math.max(m * n, n)];
            java.util.Arrays.fill(one, 1);
            Tol.assertDoubles("layerNormBackward dx n=" + n, numDx, one, dx, 0, 1e-7);
            Tol.assertDoubles("layerNormBackward dgamma n=" + n, numDg, one, dg, 0, 1e-7);
            Tol.assertDoubles("layerNormBackward dbeta n=" + n, numDb, one, db, 0, 1e-7);
            // the float path agrees with the double path run on the same (float-rounded) inputs
            float[] xf = new float[m * n];
            float[] gf = new float[n];
            float[] wf = new float[m * n];
            double[] xw = new double[m * n];
            double[] gw = new double[n];
            double[] ww = new double[m * n];
            for (int k = 0; k < m * n; k++) {
                xf[k] = (float) x[k];
                wf[k] = (float) w[k];
                xw[k] = xf[k];
                ww[k] = wf[k];
            }
            for (int j = 0; j < n; j++) {
                gf[j] = (float) g[j];
                gw[j] = gf[j];
            }
            double[] meanW = new double[m];
            double[] rstdW = new double[m];
            LayerNorms.layerNorm(m, n, eps, xw, 0, n, gw, 0, null, 0, new double[m * n], 0, n, meanW, 0, rstdW, 0);
            double[] refF = new double[m * n];
            LayerNorms.layerNormBackward(m, n, xw, 0, n, gw, 0, meanW, 0, rstdW, 0, ww, 0, n, refF, 0, n, null, 0,
                    null, 0);
            float[] meanF = new float[m];
            float[] rstdF = new float[m];
            LayerNorms.layerNorm(m, n, (float) eps, xf, 0, n, gf, 0, null, 0, new float[m * n], 0, n, meanF, 0, rstdF,
                    0);
            float[] dxf = new float[m * n];
            LayerNorms.layerNormBackward(m, n, xf, 0, n, gf, 0, meanF, 0, rstdF, 0, wf, 0, n, dxf, 0, n, null, 0, null,
                    0);
            double[] scaleF = new double[m * n];
            for (int k = 0; k < m * n; k++) {
                scaleF[k] = rstdW[k / n] * (Math.abs(ww[k] * gw[k % n]) + 1); // |dy·γ| + |mean terms| ~ 1
            }
            Tol.assertFloats("layerNormBackward float vs double n=" + n, refF, scaleF, dxf, 0, 16 + Math.sqrt(n));
        }
    }

    interface Fn {
        double at(double[] v);
    }

    static double central(double[] v, int j, Fn f) {
        double keep = v[j];
        double h = 1e-6 * Math.max(1, Math.abs(keep));
        v[j] = keep + h;
        double up = f.at(v.clone());
        v[j] = keep - h;
        double down = f.at(v.clone());
        v[j] = keep;
        return (up - down) / (2 * h);
    }

    @Test
    void plantedWrongBackwardIsCaught() {
        // dropping the x̂·mean(g·x̂) term must fail the same comparison
        double[] x = {0.3, -1.2, 2.0, 0.7};
        double[] w = {0.5, -0.25, 1, 0.125};
        double[] y = new double[4];
        double[] mean = new double[1];
        double[] rstd = new double[1];
        LayerNorms.layerNorm(1, 4, 1e-5, x, 0, 4, null, 0, null, 0, y, 0, 4, mean, 0, rstd, 0);
        double[] wrong = new double[4];
        double sumW = 0;
        for (double v : w) {
            sumW += v;
        }
        for (int j = 0; j < 4; j++) {
            wrong[j] = rstd[0] * (w[j] - sumW / 4);
        }
        double[] num = new double[4];
        for (int j = 0; j < 4; j++) {
            num[j] = central(x, j, h -> loss(h, null, null, 1e-5, w));
        }
        double[] one = {1, 1, 1, 1};
        assertThrows(AssertionFailedError.class, () -> Tol.assertDoubles("planted", num, one, wrong, 0, 1e-7));
    }

    @Test
    void badInputIsRefusedBeforeWriting() {
        float[] x = {1, 2, 3, 4};
        float[] y = {9, 9, 9, 9};
        float[] keep = y.clone();
        assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.layerNorm(2, 2, -1f, x, 0, 2, null, 0, null, 0, y, 0, 2, null, 0, null, 0));
        assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.layerNorm(2, 2, Float.NaN, x, 0, 2, null, 0, null, 0, y, 0, 2, null, 0, null, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> LayerNorms.layerNorm(2, 2, 1e-5f, x, 0, 2, new float[1], 0, null, 0, y, 0, 2, null, 0, null, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> LayerNorms.layerNorm(2, 2, 1e-5f, x, 0, 2, null, 0, null, 0, y, 0, 2, new float[1], 0, null, 0));
        assertThrows(NullPointerException.class,
                () -> LayerNorms.layerNormBackward(2, 2, x, 0, 2, null, 0, null, 0, new float[2], 0, x, 0, 2, y, 0, 2,
                        null, 0, null, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> LayerNorms.layerNormBackward(2, 2, x, 0, 2, null, 0, new float[2], 0, new float[2], 0, x, 0, 2,
                        y, 0, 2, new float[1], 0, null, 0));
        Tol.assertUntouched(keep, y);
    }
}
