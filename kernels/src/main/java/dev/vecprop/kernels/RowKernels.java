package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector loops over one matrix row for {@link Softmax}, {@link Losses} and {@link LayerNorms} (loaded only
 * on the vector path; arguments validated by the caller). A row is read a few times in a row (max, sum,
 * write), so for rows that fit in L1 the kernels cost about one pass over memory.
 */
final class RowKernels {
    private RowKernels() {
    }

    private static final ThreadLocal<double[]> PAIR = ThreadLocal.withInitial(() -> new double[2]);

    /** A per-thread pair of doubles for the two sums a row pass returns (no allocation per call). */
    static double[] pair() {
        return PAIR.get();
    }

    // <float>

    /**
     * e^(x − shift) with the rounding error of the subtraction folded back in ({@code d = x − shift} is
     * inexact when x and shift differ by more than a factor 2, and e^d has relative condition number |d|:
     * up to ~100 in float, so a plain difference would cost tens of ulp on tiny probabilities).
     * Results below the underflow threshold are 0 (also for x = −∞, where the error term is NaN).
     */
    static FloatVector expDiff(FloatVector x, float shift) {
        FloatVector d = x.sub(shift);
        FloatVector bb = d.sub(x);
        FloatVector err = x.sub(d.sub(bb)).sub(bb.add(shift)); // two-sum error of x + (−shift)
        FloatVector e = FastMath.exp(d);
        return e.fma(err, e).blend(0f, d.compare(VectorOperators.LT, FastMath.F_EXP_UNDERFLOW));
    }

    /**
     * y[j] = e^(x[j] − shift) (y may be null: only the sum is wanted) and returns Σ_j e^(x[j] − shift),
     * accumulated in float over at most a row (terms ≤ 1 when shift is the row max).
     */
    static float expShiftSum(float[] x, int xOff, float shift, float[] y, int yOff, int n) {
        FloatVector s0 = FloatVector.zero(Species.F);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector e = expDiff(FloatVector.fromArray(Species.F, x, xOff + i), shift);
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            s0 = s0.add(e);
        }
        float sum = s0.reduceLanes(VectorOperators.ADD);
        // tail in float64 (a vector helper called from a once-per-call tail would not be inlined and would box)
        for (; i < n; i++) {
            float e = (float) Math.exp((double) x[xOff + i] - shift);
            if (y != null) {
                y[yOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** y[j] = x[j] + c. */
    static void addScalar(float[] x, int xOff, float c, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, x, xOff + i).add(c).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, x, xOff + i, m).add(c).intoArray(y, yOff + i, m);
        }
    }

    /** Softmax of one row (max, exp-and-sum, scale); y may be x. */
    static void softmaxRow(float[] x, int xOff, float[] y, int yOff, int n) {
        float max = ReduceKernels.max(x, xOff, n);
        float sum = expShiftSum(x, xOff, max, y, yOff, n);
        ReduceKernels.scale(y, yOff, n, 1f / sum);
    }

    /** Log-softmax of one row: y = x − (max + log Σ e^(x − max)); y may be x. */
    static void logSoftmaxRow(float[] x, int xOff, float[] y, int yOff, int n) {
        float max = ReduceKernels.max(x, xOff, n);
        float sum = expShiftSum(x, xOff, max, null, 0, n);
        addScalar(x, xOff, -(max + (float) Math.log(sum)), y, yOff, n);
    }

    /** dx += y·(dy − Σ dy·y) for one row. */
    static void softmaxBackwardRow(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        float dot = (float) ReduceKernels.dot(dy, dyOff, y, yOff, n);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector yv = FloatVector.fromArray(Species.F, y, yOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            yv.fma(g.sub(dot), FloatVector.fromArray(Species.F, dx, dxOff + i)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector yv = FloatVector.fromArray(Species.F, y, yOff + i, m);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            yv.fma(g.sub(dot), FloatVector.fromArray(Species.F, dx, dxOff + i, m)).intoArray(dx, dxOff + i, m);
        }
    }

    /** dx += dy − e^y·Σ dy for one row (y = log-probabilities). */
    static void logSoftmaxBackwardRow(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        float sum = (float) ReduceKernels.sum(dy, dyOff, n);
        FloatVector negSum = FloatVector.broadcast(Species.F, -sum);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector e = FastMath.exp(FloatVector.fromArray(Species.F, y, yOff + i));
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            e.fma(negSum, g).add(FloatVector.fromArray(Species.F, dx, dxOff + i)).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] - Math.exp(y[yOff + i]) * sum);
        }
    }

    /** Σ_j t[j]·(lse − x[j]) over the entries with t[j] ≠ 0. */
    static float targetLoss(float[] x, int xOff, float[] t, int tOff, float lse, int n) {
        FloatVector s = FloatVector.zero(Species.F);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector tv = FloatVector.fromArray(Species.F, t, tOff + i);
            FloatVector xv = FloatVector.fromArray(Species.F, x, xOff + i);
            s = s.add(tv.mul(xv.neg().add(lse)), tv.compare(VectorOperators.NE, 0f));
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector tv = FloatVector.fromArray(Species.F, t, tOff + i, m);
            FloatVector xv = FloatVector.fromArray(Species.F, x, xOff + i, m);
            s = s.add(tv.mul(xv.neg().add(lse)), tv.compare(VectorOperators.NE, 0f).and(m));
        }
        return s.reduceLanes(VectorOperators.ADD);
    }

    /** dl += (p − t)·scale over one row. */
    static void subScaledAdd(float[] p, int pOff, float[] t, int tOff, float scale, float[] dl, int dlOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector d = FloatVector.fromArray(Species.F, p, pOff + i).sub(FloatVector.fromArray(Species.F, t, tOff + i));
            d.fma(FloatVector.broadcast(Species.F, scale), FloatVector.fromArray(Species.F, dl, dlOff + i))
                    .intoArray(dl, dlOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(Species.F, p, pOff + i, m)
                    .sub(FloatVector.fromArray(Species.F, t, tOff + i, m));
            d.fma(FloatVector.broadcast(Species.F, scale), FloatVector.fromArray(Species.F, dl, dlOff + i, m))
                    .intoArray(dl, dlOff + i, m);
        }
    }

    /** Σ (p − t)², as a double (blocked like {@link ReduceKernels#sum}). */
    static double squaredDistance(float[] p, int pOff, float[] t, int tOff, int n) {
        double total = 0;
        for (int b = 0; b < n; b += ReduceKernels.BLOCK) {
            int len = Math.min(ReduceKernels.BLOCK, n - b);
            FloatVector s0 = FloatVector.zero(Species.F);
            FloatVector s1 = FloatVector.zero(Species.F);
            int i = 0;
            for (int bound = len - 2 * Species.FL; i <= bound; i += 2 * Species.FL) {
                FloatVector d0 = FloatVector.fromArray(Species.F, p, pOff + b + i)
                        .sub(FloatVector.fromArray(Species.F, t, tOff + b + i));
                FloatVector d1 = FloatVector.fromArray(Species.F, p, pOff + b + i + Species.FL)
                        .sub(FloatVector.fromArray(Species.F, t, tOff + b + i + Species.FL));
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            for (; i < len; i += Species.FL) {
                VectorMask<Float> m = Species.F.indexInRange(i, len);
                FloatVector d = FloatVector.fromArray(Species.F, p, pOff + b + i, m)
                        .sub(FloatVector.fromArray(Species.F, t, tOff + b + i, m));
                s0 = d.fma(d, s0);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        return total;
    }

    /**
     * Σ (x − c) and Σ (x − c)² over one row, for the corrected two-pass variance; returns them in
     * {@code out[0]}, {@code out[1]} (as doubles of float partial sums).
     */
    static void centredSums(float[] x, int xOff, float c, int n, double[] out) {
        FloatVector s = FloatVector.zero(Species.F);
        FloatVector q = FloatVector.zero(Species.F);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector d = FloatVector.fromArray(Species.F, x, xOff + i).sub(c);
            s = s.add(d);
            q = d.fma(d, q);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(c);
            s = s.add(d, m);
            q = q.add(d.mul(d), m);
        }
        out[0] = s.reduceLanes(VectorOperators.ADD);
        out[1] = q.reduceLanes(VectorOperators.ADD);
    }

    /**
     * y = ((x − muHi) − muLo)·rstd·γ + β for one row (γ, β may be null). Subtracting the mean as a head
     * and a small tail keeps x̂ accurate when |mean| ≫ standard deviation.
     */
    static void normalizeRow(float[] x, int xOff, float muHi, float muLo, float rstd, float[] gamma, int gOff,
                             float[] beta, int bOff, float[] y, int yOff, int n) {
        if (gamma == null || beta == null) {
            normalizeRowPartial(x, xOff, muHi, muLo, rstd, gamma, gOff, beta, bOff, y, yOff, n);
            return;
        }
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector v = FloatVector.fromArray(Species.F, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            v.fma(FloatVector.fromArray(Species.F, gamma, gOff + i), FloatVector.fromArray(Species.F, beta, bOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            v.fma(FloatVector.fromArray(Species.F, gamma, gOff + i, m),
                    FloatVector.fromArray(Species.F, beta, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** {@link #normalizeRow} when γ or β is absent (masked throughout: the rarer configuration). */
    private static void normalizeRowPartial(float[] x, int xOff, float muHi, float muLo, float rstd, float[] gamma,
                                            int gOff, float[] beta, int bOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector v = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            if (gamma != null) {
                v = v.mul(FloatVector.fromArray(Species.F, gamma, gOff + i, m));
            }
            if (beta != null) {
                v = v.add(FloatVector.fromArray(Species.F, beta, bOff + i, m));
            }
            v.intoArray(y, yOff + i, m);
        }
    }

    /**
     * Layer-norm backward, first pass over one row: accumulates dγ += dy·x̂ and dβ += dy (either may be null)
     * and returns Σ g and Σ g·x̂ (g = dy·γ) in out[0], out[1].
     */
    static void layerNormBackwardSums(float[] x, int xOff, float mu, float rstd, float[] gamma, int gOff, float[] dy,
                                      int dyOff, float[] dgamma, int dgOff, float[] dbeta, int dbOff, int n,
                                      double[] out) {
        FloatVector sg = FloatVector.zero(Species.F);
        FloatVector sgx = FloatVector.zero(Species.F);
        for (int i = 0; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(mu).mul(rstd);
            FloatVector d = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(Species.F, gamma, gOff + i, m));
            sg = sg.add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, FloatVector.fromArray(Species.F, dgamma, dgOff + i, m)).intoArray(dgamma, dgOff + i, m);
            }
            if (dbeta != null) {
                d.add(FloatVector.fromArray(Species.F, dbeta, dbOff + i, m)).intoArray(dbeta, dbOff + i, m);
            }
        }
        out[0] = sg.reduceLanes(VectorOperators.ADD);
        out[1] = sgx.reduceLanes(VectorOperators.ADD);
    }

    /** Layer-norm backward, second pass: dx += rstd·(g − meanG − x̂·meanGXhat). */
    static void layerNormBackwardDx(float[] x, int xOff, float mu, float rstd, float[] gamma, int gOff, float[] dy,
                                    int dyOff, float meanG, float meanGXhat, float[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(mu).mul(rstd);
            FloatVector d = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(Species.F, gamma, gOff + i, m));
            FloatVector t = xhat.fma(FloatVector.broadcast(Species.F, -meanGXhat), g.sub(meanG));
            t.fma(FloatVector.broadcast(Species.F, rstd), FloatVector.fromArray(Species.F, dx, dxOff + i, m))
                    .intoArray(dx, dxOff + i, m);
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * e^(x − shift) with the rounding error of the subtraction folded back in ({@code d = x − shift} is
     * inexact when x and shift differ by more than a factor 2, and e^d has relative condition number |d|:
     * up to ~100 in double, so a plain difference would cost tens of ulp on tiny probabilities).
     * Results below the underflow threshold are 0 (also for x = −∞, where the error term is NaN).
     */
    static DoubleVector expDiff(DoubleVector x, double shift) {
        DoubleVector d = x.sub(shift);
        DoubleVector bb = d.sub(x);
        DoubleVector err = x.sub(d.sub(bb)).sub(bb.add(shift)); // two-sum error of x + (−shift)
        DoubleVector e = FastMath.exp(d);
        return e.fma(err, e).blend(0, d.compare(VectorOperators.LT, FastMath.D_EXP_UNDERFLOW));
    }

    /**
     * y[j] = e^(x[j] − shift) (y may be null: only the sum is wanted) and returns Σ_j e^(x[j] − shift),
     * accumulated in double over at most a row (terms ≤ 1 when shift is the row max).
     */
    static double expShiftSum(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        DoubleVector s0 = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector e = expDiff(DoubleVector.fromArray(Species.D, x, xOff + i), shift);
            if (y != null) {
                e.intoArray(y, yOff + i);
            }
            s0 = s0.add(e);
        }
        double sum = s0.reduceLanes(VectorOperators.ADD);
        // tail in float64 (a vector helper called from a once-per-call tail would not be inlined and would box)
        for (; i < n; i++) {
            double e = (double) Math.exp((double) x[xOff + i] - shift);
            if (y != null) {
                y[yOff + i] = e;
            }
            sum += e;
        }
        return sum;
    }

    /** y[j] = x[j] + c. */
    static void addScalar(double[] x, int xOff, double c, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, x, xOff + i).add(c).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, x, xOff + i, m).add(c).intoArray(y, yOff + i, m);
        }
    }

    /** Softmax of one row (max, exp-and-sum, scale); y may be x. */
    static void softmaxRow(double[] x, int xOff, double[] y, int yOff, int n) {
        double max = ReduceKernels.max(x, xOff, n);
        double sum = expShiftSum(x, xOff, max, y, yOff, n);
        ReduceKernels.scale(y, yOff, n, 1 / sum);
    }

    /** Log-softmax of one row: y = x − (max + log Σ e^(x − max)); y may be x. */
    static void logSoftmaxRow(double[] x, int xOff, double[] y, int yOff, int n) {
        double max = ReduceKernels.max(x, xOff, n);
        double sum = expShiftSum(x, xOff, max, null, 0, n);
        addScalar(x, xOff, -(max + (double) Math.log(sum)), y, yOff, n);
    }

    /** dx += y·(dy − Σ dy·y) for one row. */
    static void softmaxBackwardRow(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        double dot = (double) ReduceKernels.dot(dy, dyOff, y, yOff, n);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector yv = DoubleVector.fromArray(Species.D, y, yOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            yv.fma(g.sub(dot), DoubleVector.fromArray(Species.D, dx, dxOff + i)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector yv = DoubleVector.fromArray(Species.D, y, yOff + i, m);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            yv.fma(g.sub(dot), DoubleVector.fromArray(Species.D, dx, dxOff + i, m)).intoArray(dx, dxOff + i, m);
        }
    }

    /** dx += dy − e^y·Σ dy for one row (y = log-probabilities). */
    static void logSoftmaxBackwardRow(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        double sum = (double) ReduceKernels.sum(dy, dyOff, n);
        DoubleVector negSum = DoubleVector.broadcast(Species.D, -sum);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector e = FastMath.exp(DoubleVector.fromArray(Species.D, y, yOff + i));
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            e.fma(negSum, g).add(DoubleVector.fromArray(Species.D, dx, dxOff + i)).intoArray(dx, dxOff + i);
        }
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] - Math.exp(y[yOff + i]) * sum);
        }
    }

    /** Σ_j t[j]·(lse − x[j]) over the entries with t[j] ≠ 0. */
    static double targetLoss(double[] x, int xOff, double[] t, int tOff, double lse, int n) {
        DoubleVector s = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector tv = DoubleVector.fromArray(Species.D, t, tOff + i);
            DoubleVector xv = DoubleVector.fromArray(Species.D, x, xOff + i);
            s = s.add(tv.mul(xv.neg().add(lse)), tv.compare(VectorOperators.NE, 0));
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector tv = DoubleVector.fromArray(Species.D, t, tOff + i, m);
            DoubleVector xv = DoubleVector.fromArray(Species.D, x, xOff + i, m);
            s = s.add(tv.mul(xv.neg().add(lse)), tv.compare(VectorOperators.NE, 0).and(m));
        }
        return s.reduceLanes(VectorOperators.ADD);
    }

    /** dl += (p − t)·scale over one row. */
    static void subScaledAdd(double[] p, int pOff, double[] t, int tOff, double scale, double[] dl, int dlOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector d = DoubleVector.fromArray(Species.D, p, pOff + i).sub(DoubleVector.fromArray(Species.D, t, tOff + i));
            d.fma(DoubleVector.broadcast(Species.D, scale), DoubleVector.fromArray(Species.D, dl, dlOff + i))
                    .intoArray(dl, dlOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector d = DoubleVector.fromArray(Species.D, p, pOff + i, m)
                    .sub(DoubleVector.fromArray(Species.D, t, tOff + i, m));
            d.fma(DoubleVector.broadcast(Species.D, scale), DoubleVector.fromArray(Species.D, dl, dlOff + i, m))
                    .intoArray(dl, dlOff + i, m);
        }
    }

    /** Σ (p − t)², as a double (blocked like {@link ReduceKernels#sum}). */
    static double squaredDistance(double[] p, int pOff, double[] t, int tOff, int n) {
        double total = 0;
        for (int b = 0; b < n; b += ReduceKernels.BLOCK) {
            int len = Math.min(ReduceKernels.BLOCK, n - b);
            DoubleVector s0 = DoubleVector.zero(Species.D);
            DoubleVector s1 = DoubleVector.zero(Species.D);
            int i = 0;
            for (int bound = len - 2 * Species.DL; i <= bound; i += 2 * Species.DL) {
                DoubleVector d0 = DoubleVector.fromArray(Species.D, p, pOff + b + i)
                        .sub(DoubleVector.fromArray(Species.D, t, tOff + b + i));
                DoubleVector d1 = DoubleVector.fromArray(Species.D, p, pOff + b + i + Species.DL)
                        .sub(DoubleVector.fromArray(Species.D, t, tOff + b + i + Species.DL));
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            for (; i < len; i += Species.DL) {
                VectorMask<Double> m = Species.D.indexInRange(i, len);
                DoubleVector d = DoubleVector.fromArray(Species.D, p, pOff + b + i, m)
                        .sub(DoubleVector.fromArray(Species.D, t, tOff + b + i, m));
                s0 = d.fma(d, s0);
            }
            total += s0.add(s1).reduceLanes(VectorOperators.ADD);
        }
        return total;
    }

    /**
     * Σ (x − c) and Σ (x − c)² over one row, for the corrected two-pass variance; returns them in
     * {@code out[0]}, {@code out[1]} (as doubles of double partial sums).
     */
    static void centredSums(double[] x, int xOff, double c, int n, double[] out) {
        DoubleVector s = DoubleVector.zero(Species.D);
        DoubleVector q = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector d = DoubleVector.fromArray(Species.D, x, xOff + i).sub(c);
            s = s.add(d);
            q = d.fma(d, q);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector d = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(c);
            s = s.add(d, m);
            q = q.add(d.mul(d), m);
        }
        out[0] = s.reduceLanes(VectorOperators.ADD);
        out[1] = q.reduceLanes(VectorOperators.ADD);
    }

    /**
     * y = ((x − muHi) − muLo)·rstd·γ + β for one row (γ, β may be null). Subtracting the mean as a head
     * and a small tail keeps x̂ accurate when |mean| ≫ standard deviation.
     */
    static void normalizeRow(double[] x, int xOff, double muHi, double muLo, double rstd, double[] gamma, int gOff,
                             double[] beta, int bOff, double[] y, int yOff, int n) {
        if (gamma == null || beta == null) {
            normalizeRowPartial(x, xOff, muHi, muLo, rstd, gamma, gOff, beta, bOff, y, yOff, n);
            return;
        }
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector v = DoubleVector.fromArray(Species.D, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            v.fma(DoubleVector.fromArray(Species.D, gamma, gOff + i), DoubleVector.fromArray(Species.D, beta, bOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            v.fma(DoubleVector.fromArray(Species.D, gamma, gOff + i, m),
                    DoubleVector.fromArray(Species.D, beta, bOff + i, m)).intoArray(y, yOff + i, m);
        }
    }

    /** {@link #normalizeRow} when γ or β is absent (masked throughout: the rarer configuration). */
    private static void normalizeRowPartial(double[] x, int xOff, double muHi, double muLo, double rstd, double[] gamma,
                                            int gOff, double[] beta, int bOff, double[] y, int yOff, int n) {
        for (int i = 0; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector v = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            if (gamma != null) {
                v = v.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i, m));
            }
            if (beta != null) {
                v = v.add(DoubleVector.fromArray(Species.D, beta, bOff + i, m));
            }
            v.intoArray(y, yOff + i, m);
        }
    }

    /**
     * Layer-norm backward, first pass over one row: accumulates dγ += dy·x̂ and dβ += dy (either may be null)
     * and returns Σ g and Σ g·x̂ (g = dy·γ) in out[0], out[1].
     */
    static void layerNormBackwardSums(double[] x, int xOff, double mu, double rstd, double[] gamma, int gOff, double[] dy,
                                      int dyOff, double[] dgamma, int dgOff, double[] dbeta, int dbOff, int n,
                                      double[] out) {
        DoubleVector sg = DoubleVector.zero(Species.D);
        DoubleVector sgx = DoubleVector.zero(Species.D);
        for (int i = 0; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(mu).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i, m));
            sg = sg.add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, DoubleVector.fromArray(Species.D, dgamma, dgOff + i, m)).intoArray(dgamma, dgOff + i, m);
            }
            if (dbeta != null) {
                d.add(DoubleVector.fromArray(Species.D, dbeta, dbOff + i, m)).intoArray(dbeta, dbOff + i, m);
            }
        }
        out[0] = sg.reduceLanes(VectorOperators.ADD);
        out[1] = sgx.reduceLanes(VectorOperators.ADD);
    }

    /** Layer-norm backward, second pass: dx += rstd·(g − meanG − x̂·meanGXhat). */
    static void layerNormBackwardDx(double[] x, int xOff, double mu, double rstd, double[] gamma, int gOff, double[] dy,
                                    int dyOff, double meanG, double meanGXhat, double[] dx, int dxOff, int n) {
        for (int i = 0; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(mu).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i, m));
            DoubleVector t = xhat.fma(DoubleVector.broadcast(Species.D, -meanGXhat), g.sub(meanG));
            t.fma(DoubleVector.broadcast(Species.D, rstd), DoubleVector.fromArray(Species.D, dx, dxOff + i, m))
                    .intoArray(dx, dxOff + i, m);
        }
    }
    // </double>

}
