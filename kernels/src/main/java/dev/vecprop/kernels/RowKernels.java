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
        return FastMath.expShifted(d, err);
    }

    /**
     * y[j] = e^(x[j] − shift) (y may be null: only the sum is wanted) and returns Σ_j e^(x[j] − shift),
     * accumulated in float over at most a row (terms ≤ 1 when shift is the row max). Every element, the
     * last n mod V included, goes through the same vector formula.
     */
    static float expShiftSum(float[] x, int xOff, float shift, float[] y, int yOff, int n) {
        FloatVector s0 = FloatVector.zero(Species.F);
        // one loop under a mask (all true but in the last step): a single inlined copy of expDiff, where a
        // second call site for a separate tail step can exceed C2's inlining node budget and box
        for (int i = 0; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector e = expDiff(FloatVector.fromArray(Species.F, x, xOff + i, m), shift);
            if (y != null) {
                e.intoArray(y, yOff + i, m);
            }
            s0 = ((FloatVector) s0.check(Species.F)).add(e, m);
        }
        float[] lanes = ReduceKernels.F_LANES.get();
        ((FloatVector) s0.check(Species.F)).intoArray(lanes, 0);
        return ReduceKernels.sumLanes(lanes);
    }

    /**
     * The row maximum for softmax: a compare-and-blend max, which lets a NaN through only where it lands
     * first; a NaN anywhere in the row still makes the row's sum, and so every output, NaN.
     */
    static float softmaxMax(float[] x, int xOff, int n) {
        FloatVector m0 = FloatVector.broadcast(Species.F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (int bound = n - 2 * Species.FL; i <= bound; i += 2 * Species.FL) {
            FloatVector a = FloatVector.fromArray(Species.F, x, xOff + i);
            FloatVector b = FloatVector.fromArray(Species.F, x, xOff + i + Species.FL);
            m0 = (FloatVector) m0.check(Species.F);
            m1 = (FloatVector) m1.check(Species.F);
            m0 = m0.blend(a, m0.compare(VectorOperators.LT, a));
            m1 = m1.blend(b, m1.compare(VectorOperators.LT, b));
        }
        for (; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector a = FloatVector.fromArray(Species.F, x, xOff + i, m);
            m0 = (FloatVector) m0.check(Species.F);
            m0 = m0.blend(a, m0.compare(VectorOperators.LT, a).and(m));
        }
        return ((FloatVector) m0.check(Species.F)).max(m1).reduceLanes(VectorOperators.MAX);
    }

    /**
     * y[j] = (x[j] − max) − ls. Subtracting the shift in two steps keeps the error relative to |y| plus half an
     * ulp of |x − max|: a single shift {@code max + ls} rounded to float would put ~ulp(max)/2 of absolute
     * error on every output (thousands of ulp for logits ≈ 1000).
     */
    static void subShift(float[] x, int xOff, float max, float ls, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, x, xOff + i).sub(max).sub(ls).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, x, xOff + i, m).sub(max).sub(ls).intoArray(y, yOff + i, m);
        }
    }

    /** Softmax of one row (max, exp-and-sum, scale); y may be x. */
    static void softmaxRow(float[] x, int xOff, float[] y, int yOff, int n) {
        float max = softmaxMax(x, xOff, n);
        float sum = expShiftSum(x, xOff, max, y, yOff, n);
        ReduceKernels.scale(y, yOff, n, 1f / sum);
    }

    /** Log-softmax of one row: y = (x − max) − log Σ e^(x − max); y may be x. */
    static void logSoftmaxRow(float[] x, int xOff, float[] y, int yOff, int n) {
        float max = softmaxMax(x, xOff, n);
        float sum = expShiftSum(x, xOff, max, null, 0, n);
        subShift(x, xOff, max, (float) Math.log(sum), y, yOff, n);
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

    /**
     * Σ_j t[j]·((max − x[j]) + ls) over the entries with t[j] ≠ 0, where lse = max + ls is the row's
     * log-sum-exp: lse is never rounded to float as a whole (see {@link #subShift}).
     */
    static float targetLoss(float[] x, int xOff, float[] t, int tOff, float max, float ls, int n) {
        FloatVector s = FloatVector.zero(Species.F);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector tv = FloatVector.fromArray(Species.F, t, tOff + i);
            FloatVector xv = FloatVector.fromArray(Species.F, x, xOff + i);
            s = ((FloatVector) s.check(Species.F)).add(tv.mul(xv.neg().add(max).add(ls)), tv.compare(VectorOperators.NE, 0f));
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector tv = FloatVector.fromArray(Species.F, t, tOff + i, m);
            FloatVector xv = FloatVector.fromArray(Species.F, x, xOff + i, m);
            s = ((FloatVector) s.check(Species.F)).add(tv.mul(xv.neg().add(max).add(ls)), tv.compare(VectorOperators.NE, 0f).and(m));
        }
        float[] lanes = ReduceKernels.F_LANES.get();
        ((FloatVector) s.check(Species.F)).intoArray(lanes, 0);
        return ReduceKernels.sumLanes(lanes);
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
            float[] lanes = ReduceKernels.F_LANES.get();
            ((FloatVector) s0.check(Species.F)).add(s1).intoArray(lanes, 0);
            total += ReduceKernels.sumLanes(lanes);
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
            s = ((FloatVector) s.check(Species.F)).add(d);
            q = d.fma(d, q);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector d = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(c);
            s = ((FloatVector) s.check(Species.F)).add(d, m);
            q = ((FloatVector) q.check(Species.F)).add(d.mul(d), m);
        }
        float[] lanes = ReduceKernels.F_LANES.get();
        ((FloatVector) s.check(Species.F)).intoArray(lanes, 0);
        out[0] = ReduceKernels.sumLanes(lanes);
        ((FloatVector) q.check(Species.F)).intoArray(lanes, 0);
        out[1] = ReduceKernels.sumLanes(lanes);
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

    /** {@link #normalizeRow} when γ or β is absent. */
    private static void normalizeRowPartial(float[] x, int xOff, float muHi, float muLo, float rstd, float[] gamma,
                                            int gOff, float[] beta, int bOff, float[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector v = FloatVector.fromArray(Species.F, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            if (gamma != null) {
                v = v.mul(FloatVector.fromArray(Species.F, gamma, gOff + i));
            }
            if (beta != null) {
                v = v.add(FloatVector.fromArray(Species.F, beta, bOff + i));
            }
            v.intoArray(y, yOff + i);
        }
        if (i < n) {
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
     * and returns Σ g and Σ g·x̂ (g = dy·γ) in out[0], out[1]. x̂ = ((x − muHi) − muLo)·rstd as in the forward
     * ({@link #normalizeRow}), so a large common offset keeps its precision.
     */
    static void layerNormBackwardSums(float[] x, int xOff, float muHi, float muLo, float rstd, float[] gamma,
                                      int gOff, float[] dy, int dyOff, float[] dgamma, int dgOff, float[] dbeta,
                                      int dbOff, int n, double[] out) {
        FloatVector sg = FloatVector.zero(Species.F);
        FloatVector sgx = FloatVector.zero(Species.F);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            FloatVector d = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(Species.F, gamma, gOff + i));
            sg = ((FloatVector) sg.check(Species.F)).add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, FloatVector.fromArray(Species.F, dgamma, dgOff + i)).intoArray(dgamma, dgOff + i);
            }
            if (dbeta != null) {
                d.add(FloatVector.fromArray(Species.F, dbeta, dbOff + i)).intoArray(dbeta, dbOff + i);
            }
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            FloatVector d = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(Species.F, gamma, gOff + i, m));
            // masked-off lanes load 0 for d, so g and g·x̂ are 0 there
            sg = ((FloatVector) sg.check(Species.F)).add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, FloatVector.fromArray(Species.F, dgamma, dgOff + i, m)).intoArray(dgamma, dgOff + i, m);
            }
            if (dbeta != null) {
                d.add(FloatVector.fromArray(Species.F, dbeta, dbOff + i, m)).intoArray(dbeta, dbOff + i, m);
            }
        }
        float[] lanes = ReduceKernels.F_LANES.get();
        ((FloatVector) sg.check(Species.F)).intoArray(lanes, 0);
        out[0] = ReduceKernels.sumLanes(lanes);
        ((FloatVector) sgx.check(Species.F)).intoArray(lanes, 0);
        out[1] = ReduceKernels.sumLanes(lanes);
    }

    /** Layer-norm backward, second pass: dx += rstd·(g − meanG − x̂·meanGXhat), x̂ as in the first pass. */
    static void layerNormBackwardDx(float[] x, int xOff, float muHi, float muLo, float rstd, float[] gamma, int gOff,
                                    float[] dy, int dyOff, float meanG, float meanGXhat, float[] dx, int dxOff,
                                    int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            FloatVector d = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector g = gamma == null ? d : d.mul(FloatVector.fromArray(Species.F, gamma, gOff + i));
            FloatVector t = xhat.fma(FloatVector.broadcast(Species.F, -meanGXhat), g.sub(meanG));
            t.fma(FloatVector.broadcast(Species.F, rstd), FloatVector.fromArray(Species.F, dx, dxOff + i))
                    .intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector xhat = FloatVector.fromArray(Species.F, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
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
        return FastMath.expShifted(d, err);
    }

    /**
     * y[j] = e^(x[j] − shift) (y may be null: only the sum is wanted) and returns Σ_j e^(x[j] − shift),
     * accumulated in double over at most a row (terms ≤ 1 when shift is the row max). Every element, the
     * last n mod V included, goes through the same vector formula.
     */
    static double expShiftSum(double[] x, int xOff, double shift, double[] y, int yOff, int n) {
        DoubleVector s0 = DoubleVector.zero(Species.D);
        // one loop under a mask (all true but in the last step): a single inlined copy of expDiff, where a
        // second call site for a separate tail step can exceed C2's inlining node budget and box
        for (int i = 0; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector e = expDiff(DoubleVector.fromArray(Species.D, x, xOff + i, m), shift);
            if (y != null) {
                e.intoArray(y, yOff + i, m);
            }
            s0 = ((DoubleVector) s0.check(Species.D)).add(e, m);
        }
        double[] lanes = ReduceKernels.D_LANES.get();
        ((DoubleVector) s0.check(Species.D)).intoArray(lanes, 0);
        return ReduceKernels.sumLanes(lanes);
    }

    /**
     * The row maximum for softmax: a compare-and-blend max, which lets a NaN through only where it lands
     * first; a NaN anywhere in the row still makes the row's sum, and so every output, NaN.
     */
    static double softmaxMax(double[] x, int xOff, int n) {
        DoubleVector m0 = DoubleVector.broadcast(Species.D, Double.NEGATIVE_INFINITY);
        DoubleVector m1 = m0;
        int i = 0;
        for (int bound = n - 2 * Species.DL; i <= bound; i += 2 * Species.DL) {
            DoubleVector a = DoubleVector.fromArray(Species.D, x, xOff + i);
            DoubleVector b = DoubleVector.fromArray(Species.D, x, xOff + i + Species.DL);
            m0 = (DoubleVector) m0.check(Species.D);
            m1 = (DoubleVector) m1.check(Species.D);
            m0 = m0.blend(a, m0.compare(VectorOperators.LT, a));
            m1 = m1.blend(b, m1.compare(VectorOperators.LT, b));
        }
        for (; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector a = DoubleVector.fromArray(Species.D, x, xOff + i, m);
            m0 = (DoubleVector) m0.check(Species.D);
            m0 = m0.blend(a, m0.compare(VectorOperators.LT, a).and(m));
        }
        return ((DoubleVector) m0.check(Species.D)).max(m1).reduceLanes(VectorOperators.MAX);
    }

    /**
     * y[j] = (x[j] − max) − ls. Subtracting the shift in two steps keeps the error relative to |y| plus half an
     * ulp of |x − max|: a single shift {@code max + ls} rounded to double would put ~ulp(max)/2 of absolute
     * error on every output (thousands of ulp for logits ≈ 1000).
     */
    static void subShift(double[] x, int xOff, double max, double ls, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, x, xOff + i).sub(max).sub(ls).intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(max).sub(ls).intoArray(y, yOff + i, m);
        }
    }

    /** Softmax of one row (max, exp-and-sum, scale); y may be x. */
    static void softmaxRow(double[] x, int xOff, double[] y, int yOff, int n) {
        double max = softmaxMax(x, xOff, n);
        double sum = expShiftSum(x, xOff, max, y, yOff, n);
        ReduceKernels.scale(y, yOff, n, 1 / sum);
    }

    /** Log-softmax of one row: y = (x − max) − log Σ e^(x − max); y may be x. */
    static void logSoftmaxRow(double[] x, int xOff, double[] y, int yOff, int n) {
        double max = softmaxMax(x, xOff, n);
        double sum = expShiftSum(x, xOff, max, null, 0, n);
        subShift(x, xOff, max, (double) Math.log(sum), y, yOff, n);
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

    /**
     * Σ_j t[j]·((max − x[j]) + ls) over the entries with t[j] ≠ 0, where lse = max + ls is the row's
     * log-sum-exp: lse is never rounded to double as a whole (see {@link #subShift}).
     */
    static double targetLoss(double[] x, int xOff, double[] t, int tOff, double max, double ls, int n) {
        DoubleVector s = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector tv = DoubleVector.fromArray(Species.D, t, tOff + i);
            DoubleVector xv = DoubleVector.fromArray(Species.D, x, xOff + i);
            s = ((DoubleVector) s.check(Species.D)).add(tv.mul(xv.neg().add(max).add(ls)), tv.compare(VectorOperators.NE, 0));
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector tv = DoubleVector.fromArray(Species.D, t, tOff + i, m);
            DoubleVector xv = DoubleVector.fromArray(Species.D, x, xOff + i, m);
            s = ((DoubleVector) s.check(Species.D)).add(tv.mul(xv.neg().add(max).add(ls)), tv.compare(VectorOperators.NE, 0).and(m));
        }
        double[] lanes = ReduceKernels.D_LANES.get();
        ((DoubleVector) s.check(Species.D)).intoArray(lanes, 0);
        return ReduceKernels.sumLanes(lanes);
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
            double[] lanes = ReduceKernels.D_LANES.get();
            ((DoubleVector) s0.check(Species.D)).add(s1).intoArray(lanes, 0);
            total += ReduceKernels.sumLanes(lanes);
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
            s = ((DoubleVector) s.check(Species.D)).add(d);
            q = d.fma(d, q);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector d = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(c);
            s = ((DoubleVector) s.check(Species.D)).add(d, m);
            q = ((DoubleVector) q.check(Species.D)).add(d.mul(d), m);
        }
        double[] lanes = ReduceKernels.D_LANES.get();
        ((DoubleVector) s.check(Species.D)).intoArray(lanes, 0);
        out[0] = ReduceKernels.sumLanes(lanes);
        ((DoubleVector) q.check(Species.D)).intoArray(lanes, 0);
        out[1] = ReduceKernels.sumLanes(lanes);
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

    /** {@link #normalizeRow} when γ or β is absent. */
    private static void normalizeRowPartial(double[] x, int xOff, double muHi, double muLo, double rstd, double[] gamma,
                                            int gOff, double[] beta, int bOff, double[] y, int yOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector v = DoubleVector.fromArray(Species.D, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            if (gamma != null) {
                v = v.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i));
            }
            if (beta != null) {
                v = v.add(DoubleVector.fromArray(Species.D, beta, bOff + i));
            }
            v.intoArray(y, yOff + i);
        }
        if (i < n) {
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
     * and returns Σ g and Σ g·x̂ (g = dy·γ) in out[0], out[1]. x̂ = ((x − muHi) − muLo)·rstd as in the forward
     * ({@link #normalizeRow}), so a large common offset keeps its precision.
     */
    static void layerNormBackwardSums(double[] x, int xOff, double muHi, double muLo, double rstd, double[] gamma,
                                      int gOff, double[] dy, int dyOff, double[] dgamma, int dgOff, double[] dbeta,
                                      int dbOff, int n, double[] out) {
        DoubleVector sg = DoubleVector.zero(Species.D);
        DoubleVector sgx = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i));
            sg = ((DoubleVector) sg.check(Species.D)).add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, DoubleVector.fromArray(Species.D, dgamma, dgOff + i)).intoArray(dgamma, dgOff + i);
            }
            if (dbeta != null) {
                d.add(DoubleVector.fromArray(Species.D, dbeta, dbOff + i)).intoArray(dbeta, dbOff + i);
            }
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i, m));
            // masked-off lanes load 0 for d, so g and g·x̂ are 0 there
            sg = ((DoubleVector) sg.check(Species.D)).add(g);
            sgx = g.fma(xhat, sgx);
            if (dgamma != null) {
                d.fma(xhat, DoubleVector.fromArray(Species.D, dgamma, dgOff + i, m)).intoArray(dgamma, dgOff + i, m);
            }
            if (dbeta != null) {
                d.add(DoubleVector.fromArray(Species.D, dbeta, dbOff + i, m)).intoArray(dbeta, dbOff + i, m);
            }
        }
        double[] lanes = ReduceKernels.D_LANES.get();
        ((DoubleVector) sg.check(Species.D)).intoArray(lanes, 0);
        out[0] = ReduceKernels.sumLanes(lanes);
        ((DoubleVector) sgx.check(Species.D)).intoArray(lanes, 0);
        out[1] = ReduceKernels.sumLanes(lanes);
    }

    /** Layer-norm backward, second pass: dx += rstd·(g − meanG − x̂·meanGXhat), x̂ as in the first pass. */
    static void layerNormBackwardDx(double[] x, int xOff, double muHi, double muLo, double rstd, double[] gamma, int gOff,
                                    double[] dy, int dyOff, double meanG, double meanGXhat, double[] dx, int dxOff,
                                    int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i).sub(muHi).sub(muLo).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i));
            DoubleVector t = xhat.fma(DoubleVector.broadcast(Species.D, -meanGXhat), g.sub(meanG));
            t.fma(DoubleVector.broadcast(Species.D, rstd), DoubleVector.fromArray(Species.D, dx, dxOff + i))
                    .intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector xhat = DoubleVector.fromArray(Species.D, x, xOff + i, m).sub(muHi).sub(muLo).mul(rstd);
            DoubleVector d = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector g = gamma == null ? d : d.mul(DoubleVector.fromArray(Species.D, gamma, gOff + i, m));
            DoubleVector t = xhat.fma(DoubleVector.broadcast(Species.D, -meanGXhat), g.sub(meanG));
            t.fma(DoubleVector.broadcast(Species.D, rstd), DoubleVector.fromArray(Species.D, dx, dxOff + i, m))
                    .intoArray(dx, dxOff + i, m);
        }
    }
    // </double>

}
