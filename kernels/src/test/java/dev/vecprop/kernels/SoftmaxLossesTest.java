package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Softmax, log-softmax, fused softmax + cross-entropy and MSE against float64 references written here. */
class SoftmaxLossesTest {

    /** Row softmax in float64 (the reference). */
    static double[] refSoftmax(double[] x, int n) {
        double[] p = new double[n];
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            p[j] = Math.exp(x[j] - max);
            s += p[j];
        }
        for (int j = 0; j < n; j++) {
            p[j] /= s;
        }
        return p;
    }

    /**
     * Magnitude a log-softmax output y = (x − max) − log Σ is measured against: |y|, plus |x − max| (its
     * rounding), plus 1 (log Σ with Σ ∈ [1, n] inherits Σ's relative rounding error as an absolute error).
     * Not |x| + |lse|, which accepted an lse rounded to float: thousands of ulp of y for logits ≈ 1000.
     */
    static double logSoftmaxScale(double y, double xMinusMax) {
        return Math.abs(y) + Math.abs(xMinusMax) + 1;
    }

    static double rowMax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        return max;
    }

    static double refLse(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** Float tolerance for a row of length n: 4 ulp plus one rounding per summed element. */
    static double rowUlps(int n) {
        return 4 + Math.sqrt(n);
    }

    static int[][] shapes(int v) {
        return new int[][] {{0, 4}, {2, 0}, {1, 1}, {3, 2}, {2, v - 1 > 0 ? v - 1 : 1}, {3, v}, {2, v + 1},
            {3, 2 * v + 3}, {4, 1000}, {1, 4099}};
    }

    @Test
    void softmaxAndLogSoftmaxFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 21);
        for (int[] sh : shapes(Vectorization.floatLanes())) {
            int m = sh[0], n = sh[1], ldx = n + 3, ldy = n + 1;
            for (boolean inPlace : new boolean[] {false, true}) {
                float[] x = Tol.randomFloats(r, 2 + m * ldx, -20, 20);
                float[] x0 = x.clone();
                float[] y = inPlace ? x : new float[1 + m * ldy];
                int yOff = inPlace ? 2 : 1, ly = inPlace ? ldx : ldy;
                Softmax.softmax(m, n, x, 2, ldx, y, yOff, ly);
                float[] xl = x0.clone();
                float[] yl = inPlace ? xl : new float[1 + m * ldy];
                Softmax.logSoftmax(m, n, xl, 2, ldx, yl, yOff, ly);
                for (int i = 0; i < m; i++) {
                    double[] row = new double[n];
                    for (int j = 0; j < n; j++) {
                        row[j] = x0[2 + i * ldx + j];
                    }
                    double[] p = refSoftmax(row, n);
                    double lse = refLse(row);
                    double[] lp = new double[n];
                    double[] lscale = new double[n];
                    for (int j = 0; j < n; j++) {
                        lp[j] = row[j] - lse;
                        // relative to |y| plus the rounding of x − max: not |x| + |lse|, which accepted an lse
                        // rounded to float (thousands of ulp of y for logits ≈ 1000)
                        lscale[j] = logSoftmaxScale(lp[j], row[j] - rowMax(row));
                    }
                    String what = m + "x" + n + " row " + i + (inPlace ? " in place" : "");
                    Tol.assertFloats("softmax " + what, p, null, y, yOff + i * ly, rowUlps(n));
                    Tol.assertFloats("logSoftmax " + what, lp, lscale, yl, yOff + i * ly, rowUlps(n));
                }
            }
        }
    }

    @Test
    void softmaxDouble() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 22);
        for (int[] sh : shapes(Vectorization.doubleLanes())) {
            int m = sh[0], n = sh[1], ld = Math.max(1, n);
            double[] x = Tol.randomDoubles(r, m * n, -20, 20);
            double[] y = new double[m * n];
            double[] yl = new double[m * n];
            Softmax.softmax(m, n, x, 0, ld, y, 0, ld);
            Softmax.logSoftmax(m, n, x, 0, ld, yl, 0, ld);
            for (int i = 0; i < m; i++) {
                double[] row = java.util.Arrays.copyOfRange(x, i * n, i * n + n);
                double lse = refLse(row);
                double[] lp = new double[n];
                double[] lscale = new double[n];
                for (int j = 0; j < n; j++) {
                    lp[j] = row[j] - lse;
                    lscale[j] = logSoftmaxScale(lp[j], row[j] - rowMax(row));
                }
                Tol.assertDoubles("softmax double " + m + "x" + n, refSoftmax(row, n), null, y, i * n, Tol.DOUBLE_REL);
                Tol.assertDoubles("logSoftmax double " + m + "x" + n, lp, lscale, yl, i * n, Tol.DOUBLE_REL);
            }
        }
    }

    @Test
    void softmaxBackwardsFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 23);
        for (int[] sh : shapes(Vectorization.floatLanes())) {
            int m = sh[0], n = sh[1], ld = Math.max(1, n);
            float[] x = Tol.randomFloats(r, m * n, -5, 5);
            float[] y = new float[m * n];
            float[] ly = new float[m * n];
            Softmax.softmax(m, n, x, 0, ld, y, 0, ld);
            Softmax.logSoftmax(m, n, x, 0, ld, ly, 0, ld);
            float[] dy = Tol.randomFloats(r, m * n, -1, 1);
            float[] dx = Tol.randomFloats(r, m * n, -1, 1);
            float[] dxl = dx.clone();
            double[] ref = new double[m * n];
            double[] scale = new double[m * n];
            double[] refl = new double[m * n];
            double[] scalel = new double[m * n];
            for (int i = 0; i < m; i++) {
                double dot = 0, sum = 0, dotAbs = 0, sumAbs = 0;
                for (int j = 0; j < n; j++) {
                    dot += (double) dy[i * n + j] * y[i * n + j];
                    dotAbs += Math.abs((double) dy[i * n + j] * y[i * n + j]);
                    sum += dy[i * n + j];
                    sumAbs += Math.abs(dy[i * n + j]);
                }
                for (int j = 0; j < n; j++) {
                    int k = i * n + j;
                    ref[k] = dx[k] + y[k] * (dy[k] - dot);
                    scale[k] = Math.abs(dx[k]) + Math.abs(y[k]) * (Math.abs(dy[k]) + dotAbs);
                    refl[k] = dxl[k] + dy[k] - Math.exp(ly[k]) * sum;
                    scalel[k] = Math.abs(dxl[k]) + Math.abs(dy[k]) + Math.exp(ly[k]) * sumAbs;
                }
            }
            Softmax.softmaxBackward(m, n, y, 0, ld, dy, 0, ld, dx, 0, ld);
            Softmax.logSoftmaxBackward(m, n, ly, 0, ld, dy, 0, ld, dxl, 0, ld);
            Tol.assertFloats("softmaxBackward " + m + "x" + n, ref, scale, dx, 0, rowUlps(n));
            Tol.assertFloats("logSoftmaxBackward " + m + "x" + n, refl, scalel, dxl, 0, rowUlps(n));
        }
    }

    @Test
    void crossEntropyLabelsAndTargetsFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 24);
        for (int[] sh : shapes(Vectorization.floatLanes())) {
            int m = sh[0], n = sh[1];
            if (n == 0 && m > 0) {
                continue; // no valid label exists
            }
            int ld = n + 2;
            float[] logits = Tol.randomFloats(r, 1 + m * ld, -10, 10);
            int[] labels = new int[m + 1];
            float[] targets = new float[m * n];
            for (int i = 0; i < m; i++) {
                labels[i + 1] = r.nextInt(n);
                double s = 0;
                for (int j = 0; j < n; j++) {
                    targets[i * n + j] = j % 3 == 0 ? 0 : (float) r.nextDouble();
                    s += targets[i * n + j];
                }
                for (int j = 0; j < n; j++) {
                    targets[i * n + j] = s == 0 ? 0 : (float) (targets[i * n + j] / s);
                }
            }
            float[] probs = new float[m * ld];
            float[] rowLoss = new float[m];
            float mean = Losses.crossEntropy(m, n, logits, 1, ld, labels, 1, probs, 0, ld, rowLoss, 0);
            float[] probsT = new float[m * n];
            float[] rowLossT = new float[m];
            int ldn = Math.max(1, n);
            float meanT = Losses.crossEntropy(m, n, logits, 1, ld, targets, 0, ldn, probsT, 0, ldn, rowLossT, 0);
            double[] refLoss = new double[m];
            double[] refLossT = new double[m];
            double total = 0, totalT = 0;
            float[] dl = Tol.randomFloats(r, m * n, -1, 1);
            float[] dlT = dl.clone();
            double[] refD = new double[m * n];
            double[] refDT = new double[m * n];
            double[] scaleD = new double[m * n];
            for (int i = 0; i < m; i++) {
                double[] row = new double[n];
                for (int j = 0; j < n; j++) {
                    row[j] = logits[1 + i * ld + j];
                }
                double lse = refLse(row);
                double[] p = refSoftmax(row, n);
                refLoss[i] = lse - row[labels[i + 1]];
                for (int j = 0; j < n; j++) {
                    refLossT[i] += targets[i * n + j] * (lse - row[j]);
                    int k = i * n + j;
                    refD[k] = dl[k] + (p[j] - (j == labels[i + 1] ? 1 : 0)) / m;
                    refDT[k] = dlT[k] + (p[j] - targets[k]) / m;
                    scaleD[k] = Math.abs(dl[k]) + 1.0 / m;
                }
                total += refLoss[i];
                totalT += refLossT[i];
                Tol.assertFloats("CE probs " + m + "x" + n, p, null, probs, i * ld, rowUlps(n));
                Tol.assertFloats("CE(targets) probs " + m + "x" + n, p, null, probsT, i * n, rowUlps(n));
            }
            Tol.assertFloats("CE rowLoss " + m + "x" + n, refLoss, null, rowLoss, 0, rowUlps(n) + 16);
            Tol.assertFloats("CE(targets) rowLoss " + m + "x" + n, refLossT, null, rowLossT, 0, 2 * rowUlps(n) + 16);
            Tol.assertFloats("CE mean", new double[] {m == 0 ? 0 : total / m}, null, new float[] {mean}, 0, 16 + m);
            Tol.assertFloats("CE(targets) mean", new double[] {m == 0 ? 0 : totalT / m}, null, new float[] {meanT}, 0,
                    16 + m);
            Losses.crossEntropyBackward(m, n, probs, 0, ld, labels, 1, dl, 0, ldn);
            Losses.crossEntropyBackward(m, n, probsT, 0, ldn, targets, 0, ldn, dlT, 0, ldn);
            Tol.assertFloats("CE backward " + m + "x" + n, refD, scaleD, dl, 0, rowUlps(n));
            Tol.assertFloats("CE(targets) backward " + m + "x" + n, refDT, scaleD, dlT, 0, rowUlps(n));
        }
    }

    @Test
    void crossEntropyDouble() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 25);
        int m = 7, n = 2 * Vectorization.doubleLanes() + 3;
        double[] logits = Tol.randomDoubles(r, m * n, -10, 10);
        int[] labels = new int[m];
        for (int i = 0; i < m; i++) {
            labels[i] = r.nextInt(n);
        }
        double[] probs = new double[m * n];
        double[] rowLoss = new double[m];
        double mean = Losses.crossEntropy(m, n, logits, 0, n, labels, 0, probs, 0, n, rowLoss, 0);
        double total = 0;
        double[] ref = new double[m];
        for (int i = 0; i < m; i++) {
            double[] row = java.util.Arrays.copyOfRange(logits, i * n, i * n + n);
            ref[i] = refLse(row) - row[labels[i]];
            total += ref[i];
            Tol.assertDoubles("CE double probs", refSoftmax(row, n), null, probs, i * n, Tol.DOUBLE_REL);
        }
        Tol.assertDoubles("CE double rowLoss", ref, null, rowLoss, 0, Tol.DOUBLE_REL);
        assertEquals(total / m, mean, 1e-14 * Math.abs(total / m));
    }

    /** Logits of ±1e4 stay finite; the loss of a confident wrong answer is the logit gap. */
    @Test
    void extremeLogitsStayFinite() {
        float[] logits = {1e4f, -1e4f, 0, -1e4f, 1e4f, 1e4f};
        int[] labels = {1, 0};
        float[] probs = new float[6];
        float[] rowLoss = new float[2];
        float mean = Losses.crossEntropy(2, 3, logits, 0, 3, labels, 0, probs, 0, 3, rowLoss, 0);
        assertEquals(2e4f, rowLoss[0], 1e-3f);
        assertEquals((float) (2e4 + Math.log(2)), rowLoss[1], 1e-2f); // {−1e4, 1e4, 1e4}, label 0
        assertTrue(Float.isFinite(mean));
        for (float p : probs) {
            assertTrue(Float.isFinite(p) && p >= 0 && p <= 1);
        }
        float[] y = new float[6];
        Softmax.softmax(2, 3, logits, 0, 3, y, 0, 3);
        Softmax.logSoftmax(2, 3, logits, 0, 3, y, 0, 3);
        for (float v : y) {
            assertTrue(Float.isFinite(v));
        }
        double[] ld = {1e4, -1e4, 0};
        double[] pd = new double[3];
        double loss = Losses.crossEntropy(1, 3, ld, 0, 3, new int[] {1}, 0, pd, 0, 3, null, 0);
        assertEquals(2e4, loss, 1e-9);
        // a NaN logit gives NaN, never a silent number
        float[] nan = {0, Float.NaN, 1};
        Softmax.softmax(1, 3, nan, 0, 3, y, 0, 3);
        assertTrue(Float.isNaN(y[0]) && Float.isNaN(y[2]));
    }

    @Test
    void badLabelsAreRefusedBeforeWriting() {
        float[] logits = {1, 2, 3, 4, 5, 6};
        float[] probs = {7, 7, 7, 7, 7, 7};
        float[] rowLoss = {7, 7};
        float[] keepP = probs.clone();
        float[] keepL = rowLoss.clone();
        for (int bad : new int[] {-1, 3, Integer.MIN_VALUE}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.crossEntropy(2, 3,
                    logits, 0, 3, new int[] {0, bad}, 0, probs, 0, 3, rowLoss, 0));
            assertTrue(e.getMessage().contains("labels[1]"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> Losses.crossEntropyBackward(2, 3, logits, 0, 3, new int[] {bad, 0}, 0, probs, 0, 3));
        }
        assertThrows(IndexOutOfBoundsException.class,
                () -> Losses.crossEntropy(2, 3, logits, 0, 3, new int[] {0}, 0, probs, 0, 3, rowLoss, 0));
        assertThrows(NullPointerException.class,
                () -> Losses.crossEntropy(2, 3, logits, 0, 3, (int[]) null, 0, probs, 0, 3, rowLoss, 0));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Losses.crossEntropy(2, 3, logits, 0, 3, new int[] {0, 1}, 0, probs, 0, 3, new float[1], 0));
        assertThrows(IllegalArgumentException.class,
                () -> Softmax.softmax(2, -3, logits, 0, 3, probs, 0, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Softmax.softmax(2, 3, logits, 0, 3, probs, 1, 3));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Losses.mseBackward(logits, 0, logits, 0, probs, 1, 6));
        Tol.assertUntouched(keepP, probs);
        Tol.assertUntouched(keepL, rowLoss);
    }

    @Test
    void mseAndGradient() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 26);
        for (int n : Tol.floatLengths()) {
            float[] p = Tol.randomFloats(r, n + 1, -3, 3);
            float[] t = Tol.randomFloats(r, n + 2, -3, 3);
            double s = 0;
            for (int i = 0; i < n; i++) {
                double d = (double) p[i + 1] - t[i + 2];
                s += d * d;
            }
            double ref = n == 0 ? 0 : s / n;
            float got = Losses.mse(p, 1, t, 2, n);
            Tol.assertFloats("mse n=" + n, new double[] {ref}, null, new float[] {got}, 0, 4 + Math.sqrt(n));
            float[] g = Tol.randomFloats(r, n, -1, 1);
            double[] refG = new double[n];
            double[] scale = new double[n];
            for (int i = 0; i < n; i++) {
                double d = 2 * ((double) p[i + 1] - t[i + 2]) / n;
                refG[i] = g[i] + d;
                scale[i] = Math.abs(g[i]) + Math.abs(d);
            }
            Losses.mseBackward(p, 1, t, 2, g, 0, n);
            Tol.assertFloats("mseBackward n=" + n, refG, scale, g, 0, 4);
            double[] pd = Tol.randomDoubles(r, n, -3, 3);
            double[] td = Tol.randomDoubles(r, n, -3, 3);
            double sd = 0;
            for (int i = 0; i < n; i++) {
                sd += (pd[i] - td[i]) * (pd[i] - td[i]);
            }
            Tol.assertDoubles("mse double n=" + n, new double[] {n == 0 ? 0 : sd / n}, null,
                    new double[] {Losses.mse(pd, 0, td, 0, n)}, 0, Tol.DOUBLE_REL);
        }
    }

    /** The row checker is not vacuous: a softmax missing its normalisation is caught. */
    @Test
    void plantedBugIsCaught() {
        double[] row = {0.5, -1, 2};
        float[] unnormalised = new float[3];
        for (int j = 0; j < 3; j++) {
            unnormalised[j] = (float) Math.exp(row[j] - 2);
        }
        assertThrows(AssertionFailedError.class,
                () -> Tol.assertFloats("planted", refSoftmax(row, 3), null, unnormalised, 0, rowUlps(3)));
    }
}
