package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector loops of {@link Reductions}, {@link Blas1} and {@link Updates} (loaded only on the vector path;
 * arguments validated by the caller). Float sums, dots and norms accumulate in double lanes (float values
 * widened exactly), so their error does not grow with n the way a float accumulator's does.
 */
final class ReduceKernels {
    private ReduceKernels() {
    }

    /** Per-thread buffers of one vector's lanes, for {@link #sumLanes}. */
    static final ThreadLocal<float[]> F_LANES = ThreadLocal.withInitial(() -> new float[Species.FL]);
    static final ThreadLocal<double[]> D_LANES = ThreadLocal.withInitial(() -> new double[Species.DL]);
    /** Per-thread accumulators of {@link #dot} carried between its blocks (four vectors of double lanes). */
    private static final ThreadLocal<double[]> D_ACC = ThreadLocal.withInitial(() -> new double[4 * Species.DL]);

    /**
     * Elements per call of the vector loop of a kernel that sweeps a long array once per call (the norms of a
     * gradient arena, the optimizer updates). A multiple of every loop step in use: FL and 4·DL (at most 128, for
     * 2048-bit vectors). Steady state does not care, but the first calls do: until the JIT has compiled a loop,
     * each Vector API operation runs boxed through the API's Java fallback, and a JVM swaps in compiled code only
     * between calls unless on-stack replacement is on (the examples CLI turns it off, see ./vecprop). Called once
     * per training step over the 235,146 parameters of the CLI's MLP, the gradient norms and Adam took 170-190 ms
     * and ~100 ms of the second step; in blocks they are compiled within it (0 and 4-44 ms; epoch 1 of the CLI
     * 2.6-3.3 s instead of 3.3-4.1 s, 4 runs each).
     */
    static final int CALL_BLOCK = 1 << 13;

    /**
     * Σ of a vector's lanes in lane order (0, 1, 2, …), after the caller stored them with
     * {@code v.intoArray(lanes, 0)}. Used instead of {@code reduceLanes(ADD)} at the end of every reduction:
     * reduceLanes' order is unspecified and may differ between the interpreter/C1 and C2-compiled code, so a
     * result could change when the JIT compiles a kernel (same seed → bitwise same weights needs a fixed
     * order). The vector is stored by the caller so that no vector crosses this call (C2 can refuse to inline
     * it in a large caller, NodeCountInliningCutoff, and a vector argument would then be boxed).
     */
    static float sumLanes(float[] lanes) {
        float s = lanes[0];
        for (int k = 1; k < lanes.length; k++) {
            s += lanes[k];
        }
        return s;
    }

    /** {@link #sumLanes(float[])} for double lanes. */
    static double sumLanes(double[] lanes) {
        double s = lanes[0];
        for (int k = 1; k < lanes.length; k++) {
            s += lanes[k];
        }
        return s;
    }

    /**
     * Σ a[off..off+n) accumulated in double lanes: each float vector's two halves are widened into two double
     * vectors ({@link #widen}, exact), so long sums of equal values do not drift as float sums do.
     */
    static double sum(float[] a, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(Species.D);
        DoubleVector s1 = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            s0 = ((DoubleVector) s0.check(Species.D)).add(widen(a, off + i, 0));
            s1 = ((DoubleVector) s1.check(Species.D)).add(widen(a, off + i, 1));
        }
        double[] lanes = D_LANES.get();
        ((DoubleVector) s0.check(Species.D)).add(s1).intoArray(lanes, 0);
        double total = sumLanes(lanes);
        for (; i < n; i++) {
            total += a[off + i];
        }
        return total;
    }

    /** Σ a[off..off+n) with four double accumulators. */
    static double sum(double[] a, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(Species.D);
        DoubleVector s1 = DoubleVector.zero(Species.D);
        DoubleVector s2 = DoubleVector.zero(Species.D);
        DoubleVector s3 = DoubleVector.zero(Species.D);
        int i = 0;
        for (int bound = n - 4 * Species.DL; i <= bound; i += 4 * Species.DL) {
            s0 = ((DoubleVector) s0.check(Species.D)).add(DoubleVector.fromArray(Species.D, a, off + i));
            s1 = ((DoubleVector) s1.check(Species.D)).add(DoubleVector.fromArray(Species.D, a, off + i + Species.DL));
            s2 = ((DoubleVector) s2.check(Species.D)).add(DoubleVector.fromArray(Species.D, a, off + i + 2 * Species.DL));
            s3 = ((DoubleVector) s3.check(Species.D)).add(DoubleVector.fromArray(Species.D, a, off + i + 3 * Species.DL));
        }
        for (; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            s0 = ((DoubleVector) s0.check(Species.D)).add(DoubleVector.fromArray(Species.D, a, off + i, m));
        }
        double[] lanes = D_LANES.get();
        ((DoubleVector) s0.check(Species.D)).add(s1).add(((DoubleVector) s2.check(Species.D)).add(s3)).intoArray(lanes, 0);
        return sumLanes(lanes);
    }

    /**
     * Σ a[i]·b[i] with the products and sums in double lanes (float products are exact in double). The vector
     * loop runs in calls of at most {@link #CALL_BLOCK} elements ({@link #dotBlock}), its two accumulators carried
     * in an array from one call to the next, so the sum is the same for every block size.
     */
    static double dot(float[] a, int aOff, float[] b, int bOff, int n) {
        double[] acc = D_ACC.get(); // s0 = acc[0, DL), s1 = acc[DL, 2·DL)
        int bound = Species.F.loopBound(n);
        for (int i = 0, len; i < bound; i += len) { // i += len ends at bound exactly: no int overflow near 2³¹
            len = Math.min(CALL_BLOCK, bound - i);
            dotBlock(a, aOff + i, b, bOff + i, len, acc, i == 0);
        }
        double total = 0;
        if (bound > 0) {
            double[] lanes = D_LANES.get();
            for (int l = 0; l < Species.DL; l++) {
                lanes[l] = acc[l] + acc[Species.DL + l]; // s0 + s1, lane by lane
            }
            total = sumLanes(lanes);
        }
        for (int i = bound; i < n; i++) {
            total += (double) a[aOff + i] * b[bOff + i];
        }
        return total;
    }

    /**
     * The floats a[off + h·DL .. + DL), h = 0 (lower half of the float vector at off) or 1 (upper half), widened
     * to doubles (exact): a half-width load where {@link Species#FH} exists (see there why), else
     * {@link #widenWhole}. Package-private for the test that compares the two.
     */
    static DoubleVector widen(float[] a, int off, int h) {
        if (Species.FH != null) {
            return (DoubleVector) FloatVector.fromArray(Species.FH, a, off + h * Species.DL)
                    .convertShape(VectorOperators.F2D, Species.D, 0);
        }
        return widenWhole(a, off, h);
    }

    /**
     * {@link #widen} where no shape has half the lanes: part h of the whole float vector at off. Not reached on
     * the machines measured (every width there has a half-width shape), so a test runs it directly.
     */
    static DoubleVector widenWhole(float[] a, int off, int h) {
        return (DoubleVector) FloatVector.fromArray(Species.F, a, off).convertShape(VectorOperators.F2D, Species.D, h);
    }

    /**
     * acc's two double accumulators (zero when {@code first}) += the products of {@code len} (a multiple of FL)
     * elements.
     */
    private static void dotBlock(float[] a, int aOff, float[] b, int bOff, int len, double[] acc, boolean first) {
        DoubleVector s0 = first ? DoubleVector.zero(Species.D) : DoubleVector.fromArray(Species.D, acc, 0);
        DoubleVector s1 = first ? DoubleVector.zero(Species.D) : DoubleVector.fromArray(Species.D, acc, Species.DL);
        if (a == b && aOff == bOff) {
            // a squared norm: widen each vector once (the widening, not the FMA, limits this loop)
            for (int i = 0; i < len; i += Species.FL) {
                DoubleVector lo = widen(a, aOff + i, 0);
                DoubleVector hi = widen(a, aOff + i, 1);
                s0 = lo.fma(lo, s0);
                s1 = hi.fma(hi, s1);
            }
        } else {
            for (int i = 0; i < len; i += Species.FL) {
                s0 = widen(a, aOff + i, 0).fma(widen(b, bOff + i, 0), s0);
                s1 = widen(a, aOff + i, 1).fma(widen(b, bOff + i, 1), s1);
            }
        }
        ((DoubleVector) s0.check(Species.D)).intoArray(acc, 0);
        ((DoubleVector) s1.check(Species.D)).intoArray(acc, Species.DL);
    }

    /**
     * Σ a[i]·b[i] with four double accumulators, carried from block to block as in the float {@link #dot}.
     */
    static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double[] acc = D_ACC.get(); // s0..s3 = acc[0, DL) .. acc[3·DL, 4·DL)
        int bound = n / (4 * Species.DL) * (4 * Species.DL);
        for (int i = 0, len; i < bound; i += len) {
            len = Math.min(CALL_BLOCK, bound - i);
            dotBlock(a, aOff + i, b, bOff + i, len, acc, i == 0);
        }
        if (bound == 0) {
            java.util.Arrays.fill(acc, 0);
        }
        DoubleVector s0 = DoubleVector.fromArray(Species.D, acc, 0);
        for (int i = bound; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            s0 = DoubleVector.fromArray(Species.D, a, aOff + i, m).fma(DoubleVector.fromArray(Species.D, b, bOff + i, m), s0);
        }
        DoubleVector s1 = DoubleVector.fromArray(Species.D, acc, Species.DL);
        DoubleVector s2 = DoubleVector.fromArray(Species.D, acc, 2 * Species.DL);
        DoubleVector s3 = DoubleVector.fromArray(Species.D, acc, 3 * Species.DL);
        double[] lanes = D_LANES.get();
        ((DoubleVector) s0.check(Species.D)).add(s1).add(s2.add(s3)).intoArray(lanes, 0);
        return sumLanes(lanes);
    }

    /**
     * acc's four double accumulators (zero when {@code first}) += the products of {@code len} (a multiple of
     * 4·DL) elements.
     */
    private static void dotBlock(double[] a, int aOff, double[] b, int bOff, int len, double[] acc, boolean first) {
        DoubleVector z = DoubleVector.zero(Species.D);
        DoubleVector s0 = first ? z : DoubleVector.fromArray(Species.D, acc, 0);
        DoubleVector s1 = first ? z : DoubleVector.fromArray(Species.D, acc, Species.DL);
        DoubleVector s2 = first ? z : DoubleVector.fromArray(Species.D, acc, 2 * Species.DL);
        DoubleVector s3 = first ? z : DoubleVector.fromArray(Species.D, acc, 3 * Species.DL);
        for (int i = 0; i < len; i += 4 * Species.DL) {
            s0 = DoubleVector.fromArray(Species.D, a, aOff + i).fma(DoubleVector.fromArray(Species.D, b, bOff + i), s0);
            s1 = DoubleVector.fromArray(Species.D, a, aOff + i + Species.DL)
                    .fma(DoubleVector.fromArray(Species.D, b, bOff + i + Species.DL), s1);
            s2 = DoubleVector.fromArray(Species.D, a, aOff + i + 2 * Species.DL)
                    .fma(DoubleVector.fromArray(Species.D, b, bOff + i + 2 * Species.DL), s2);
            s3 = DoubleVector.fromArray(Species.D, a, aOff + i + 3 * Species.DL)
                    .fma(DoubleVector.fromArray(Species.D, b, bOff + i + 3 * Species.DL), s3);
        }
        ((DoubleVector) s0.check(Species.D)).intoArray(acc, 0);
        ((DoubleVector) s1.check(Species.D)).intoArray(acc, Species.DL);
        ((DoubleVector) s2.check(Species.D)).intoArray(acc, 2 * Species.DL);
        ((DoubleVector) s3.check(Species.D)).intoArray(acc, 3 * Species.DL);
    }

    /** Σ a[i]², in double lanes. */
    static double squaredNorm(float[] a, int off, int n) {
        return dot(a, off, a, off, n);
    }

    static double squaredNorm(double[] a, int off, int n) {
        return dot(a, off, a, off, n);
    }

    /** Elements per partial sum before it is folded into the double total. */
    static final int BLOCK = 4096;

    // <float>

    /** max of n ≥ 0 elements (−∞ for none; NaN if any is NaN: lanewise MAX has Math.max semantics). */
    static float max(float[] a, int off, int n) {
        FloatVector m0 = FloatVector.broadcast(Species.F, Float.NEGATIVE_INFINITY);
        FloatVector m1 = m0;
        int i = 0;
        for (int bound = n - 2 * Species.FL; i <= bound; i += 2 * Species.FL) {
            m0 = ((FloatVector) m0.check(Species.F)).max(FloatVector.fromArray(Species.F, a, off + i));
            m1 = ((FloatVector) m1.check(Species.F)).max(FloatVector.fromArray(Species.F, a, off + i + Species.FL));
        }
        for (; i < n; i += Species.FL) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            m0 = ((FloatVector) m0.check(Species.F)).lanewise(VectorOperators.MAX, FloatVector.fromArray(Species.F, a, off + i, m), m);
        }
        return ((FloatVector) m0.check(Species.F)).max(m1).reduceLanes(VectorOperators.MAX);
    }

    /** y += alpha·x. */
    static void axpy(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, x, xOff + i)
                    .fma(FloatVector.broadcast(Species.F, alpha), FloatVector.fromArray(Species.F, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, x, xOff + i, m)
                    .fma(FloatVector.broadcast(Species.F, alpha), FloatVector.fromArray(Species.F, y, yOff + i, m))
                    .intoArray(y, yOff + i, m);
        }
    }

    /** x *= alpha. */
    static void scale(float[] x, int xOff, int n, float alpha) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, x, xOff + i, m).mul(alpha).intoArray(x, xOff + i, m);
        }
    }

    /**
     * Adam/AdamW in one pass: p = p·decay − stepSize·m/(√v·invBc2Sqrt + eps), with m, v updated from
     * g = grad + l2·p (l2 = weight decay for Adam, 0 for AdamW; decay = 1 − lr·wd for AdamW, 1 for Adam).
     */
    static void adam(float[] param, int pOff, float[] grad, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                     float decay, float l2, float beta1, float beta2, float stepSize, float invBc2Sqrt, float eps) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            adamVector(param, pOff + i, grad, gOff + i, m, mOff + i, v, vOff + i, decay, l2, beta1, beta2, stepSize,
                    invBc2Sqrt, eps);
        }
        if (i < n) {
            // The last n − i elements take the same vector step on a copy, not under a mask: masked loads that
            // end past the array (the arrays are often exactly n long) check each lane inside the Vector API,
            // and that code, with this body twice, went past C2's inlining budget and boxed the masks (226 B per
            // call at 235,146 floats in JMH -prof gc, README "Tenth session"). A loop under a mask throughout was
            // 2.5× slower. Lanes past n − i hold whatever the last call left there; lanewise, they do not touch
            // the others.
            int r = n - i, l = Species.FL;
            float[] t = F_ADAM_TAIL.get(); // p, g, m, v: one vector each
            System.arraycopy(param, pOff + i, t, 0, r);
            System.arraycopy(grad, gOff + i, t, l, r);
            System.arraycopy(m, mOff + i, t, 2 * l, r);
            System.arraycopy(v, vOff + i, t, 3 * l, r);
            adamVector(t, 0, t, l, t, 2 * l, t, 3 * l, decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps);
            System.arraycopy(t, 0, param, pOff + i, r);
            System.arraycopy(t, 2 * l, m, mOff + i, r);
            System.arraycopy(t, 3 * l, v, vOff + i, r);
        }
    }

    private static final ThreadLocal<float[]> F_ADAM_TAIL = ThreadLocal.withInitial(() -> new float[4 * Species.FL]);

    /** {@link #adam} on the one vector of elements at pOff, gOff, mOff, vOff. */
    private static void adamVector(float[] param, int pOff, float[] grad, int gOff, float[] m, int mOff, float[] v,
                                   int vOff, float decay, float l2, float beta1, float beta2, float stepSize,
                                   float invBc2Sqrt, float eps) {
        FloatVector p = FloatVector.fromArray(Species.F, param, pOff);
        FloatVector g = FloatVector.fromArray(Species.F, grad, gOff);
        FloatVector mi = FloatVector.fromArray(Species.F, m, mOff);
        FloatVector vi = FloatVector.fromArray(Species.F, v, vOff);
        if (l2 != 0) {
            g = p.fma(FloatVector.broadcast(Species.F, l2), g);
        }
        mi = g.sub(mi).fma(FloatVector.broadcast(Species.F, 1f - beta1), mi); // m + (1 − β₁)(g − m)
        vi = vi.mul(beta2).add(g.mul(g).mul(1f - beta2));
        // Moments below the smallest normal number are stored as 0: see Updates.adam
        mi = mi.blend(0f, mi.abs().compare(VectorOperators.LT, Float.MIN_NORMAL));
        vi = vi.blend(0f, vi.compare(VectorOperators.LT, Float.MIN_NORMAL));
        FloatVector denom = vi.lanewise(VectorOperators.SQRT).fma(FloatVector.broadcast(Species.F, invBc2Sqrt),
                FloatVector.broadcast(Species.F, eps));
        if (decay != 1) {
            p = p.mul(decay);
        }
        p = p.sub(mi.mul(stepSize).div(denom));
        mi.intoArray(m, mOff);
        vi.intoArray(v, vOff);
        p.intoArray(param, pOff);
    }

    /** SGD with momentum (buffer non-null) or plain (buffer null); see {@link Updates#sgd}. */
    static void sgd(float[] param, int pOff, float[] grad, int gOff, float[] buf, int bOff, int n, float lr,
                    float momentum, float dampening, float weightDecay, boolean nesterov, boolean first) {
        float keep = 1f - dampening;
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector p = FloatVector.fromArray(Species.F, param, pOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, grad, gOff + i);
            if (weightDecay != 0) {
                d = p.fma(FloatVector.broadcast(Species.F, weightDecay), d);
            }
            if (buf != null) {
                FloatVector b = first ? d : FloatVector.fromArray(Species.F, buf, bOff + i).fma(
                        FloatVector.broadcast(Species.F, momentum), d.mul(keep));
                b = b.blend(0f, b.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)); // see Updates.sgd: no subnormal state
                b.intoArray(buf, bOff + i);
                d = nesterov ? b.fma(FloatVector.broadcast(Species.F, momentum), d) : b;
            }
            d.fma(FloatVector.broadcast(Species.F, -lr), p).intoArray(param, pOff + i);
        }
        if (i < n) {
            VectorMask<Float> k = Species.F.indexInRange(i, n);
            FloatVector p = FloatVector.fromArray(Species.F, param, pOff + i, k);
            FloatVector d = FloatVector.fromArray(Species.F, grad, gOff + i, k);
            if (weightDecay != 0) {
                d = p.fma(FloatVector.broadcast(Species.F, weightDecay), d);
            }
            if (buf != null) {
                FloatVector b = first ? d : FloatVector.fromArray(Species.F, buf, bOff + i, k).fma(
                        FloatVector.broadcast(Species.F, momentum), d.mul(keep));
                b = b.blend(0f, b.abs().compare(VectorOperators.LT, Float.MIN_NORMAL)); // see Updates.sgd: no subnormal state
                b.intoArray(buf, bOff + i, k);
                d = nesterov ? b.fma(FloatVector.broadcast(Species.F, momentum), d) : b;
            }
            d.fma(FloatVector.broadcast(Species.F, -lr), p).intoArray(param, pOff + i, k);
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /** max of n ≥ 0 elements (−∞ for none; NaN if any is NaN: lanewise MAX has Math.max semantics). */
    static double max(double[] a, int off, int n) {
        DoubleVector m0 = DoubleVector.broadcast(Species.D, Double.NEGATIVE_INFINITY);
        DoubleVector m1 = m0;
        int i = 0;
        for (int bound = n - 2 * Species.DL; i <= bound; i += 2 * Species.DL) {
            m0 = ((DoubleVector) m0.check(Species.D)).max(DoubleVector.fromArray(Species.D, a, off + i));
            m1 = ((DoubleVector) m1.check(Species.D)).max(DoubleVector.fromArray(Species.D, a, off + i + Species.DL));
        }
        for (; i < n; i += Species.DL) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            m0 = ((DoubleVector) m0.check(Species.D)).lanewise(VectorOperators.MAX, DoubleVector.fromArray(Species.D, a, off + i, m), m);
        }
        return ((DoubleVector) m0.check(Species.D)).max(m1).reduceLanes(VectorOperators.MAX);
    }

    /** y += alpha·x. */
    static void axpy(double[] x, int xOff, double[] y, int yOff, int n, double alpha) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, x, xOff + i)
                    .fma(DoubleVector.broadcast(Species.D, alpha), DoubleVector.fromArray(Species.D, y, yOff + i))
                    .intoArray(y, yOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, x, xOff + i, m)
                    .fma(DoubleVector.broadcast(Species.D, alpha), DoubleVector.fromArray(Species.D, y, yOff + i, m))
                    .intoArray(y, yOff + i, m);
        }
    }

    /** x *= alpha. */
    static void scale(double[] x, int xOff, int n, double alpha) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, x, xOff + i, m).mul(alpha).intoArray(x, xOff + i, m);
        }
    }

    /**
     * Adam/AdamW in one pass: p = p·decay − stepSize·m/(√v·invBc2Sqrt + eps), with m, v updated from
     * g = grad + l2·p (l2 = weight decay for Adam, 0 for AdamW; decay = 1 − lr·wd for AdamW, 1 for Adam).
     */
    static void adam(double[] param, int pOff, double[] grad, int gOff, double[] m, int mOff, double[] v, int vOff, int n,
                     double decay, double l2, double beta1, double beta2, double stepSize, double invBc2Sqrt, double eps) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            adamVector(param, pOff + i, grad, gOff + i, m, mOff + i, v, vOff + i, decay, l2, beta1, beta2, stepSize,
                    invBc2Sqrt, eps);
        }
        if (i < n) {
            // The last n − i elements take the same vector step on a copy, not under a mask: masked loads that
            // end past the array (the arrays are often exactly n long) check each lane inside the Vector API,
            // and that code, with this body twice, went past C2's inlining budget and boxed the masks (226 B per
            // call at 235,146 floats in JMH -prof gc, README "Tenth session"). A loop under a mask throughout was
            // 2.5× slower. Lanes past n − i hold whatever the last call left there; lanewise, they do not touch
            // the others.
            int r = n - i, l = Species.DL;
            double[] t = D_ADAM_TAIL.get(); // p, g, m, v: one vector each
            System.arraycopy(param, pOff + i, t, 0, r);
            System.arraycopy(grad, gOff + i, t, l, r);
            System.arraycopy(m, mOff + i, t, 2 * l, r);
            System.arraycopy(v, vOff + i, t, 3 * l, r);
            adamVector(t, 0, t, l, t, 2 * l, t, 3 * l, decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps);
            System.arraycopy(t, 0, param, pOff + i, r);
            System.arraycopy(t, 2 * l, m, mOff + i, r);
            System.arraycopy(t, 3 * l, v, vOff + i, r);
        }
    }

    private static final ThreadLocal<double[]> D_ADAM_TAIL = ThreadLocal.withInitial(() -> new double[4 * Species.DL]);

    /** {@link #adam} on the one vector of elements at pOff, gOff, mOff, vOff. */
    private static void adamVector(double[] param, int pOff, double[] grad, int gOff, double[] m, int mOff, double[] v,
                                   int vOff, double decay, double l2, double beta1, double beta2, double stepSize,
                                   double invBc2Sqrt, double eps) {
        DoubleVector p = DoubleVector.fromArray(Species.D, param, pOff);
        DoubleVector g = DoubleVector.fromArray(Species.D, grad, gOff);
        DoubleVector mi = DoubleVector.fromArray(Species.D, m, mOff);
        DoubleVector vi = DoubleVector.fromArray(Species.D, v, vOff);
        if (l2 != 0) {
            g = p.fma(DoubleVector.broadcast(Species.D, l2), g);
        }
        mi = g.sub(mi).fma(DoubleVector.broadcast(Species.D, 1 - beta1), mi); // m + (1 − β₁)(g − m)
        vi = vi.mul(beta2).add(g.mul(g).mul(1 - beta2));
        // Moments below the smallest normal number are stored as 0: see Updates.adam
        mi = mi.blend(0, mi.abs().compare(VectorOperators.LT, Double.MIN_NORMAL));
        vi = vi.blend(0, vi.compare(VectorOperators.LT, Double.MIN_NORMAL));
        DoubleVector denom = vi.lanewise(VectorOperators.SQRT).fma(DoubleVector.broadcast(Species.D, invBc2Sqrt),
                DoubleVector.broadcast(Species.D, eps));
        if (decay != 1) {
            p = p.mul(decay);
        }
        p = p.sub(mi.mul(stepSize).div(denom));
        mi.intoArray(m, mOff);
        vi.intoArray(v, vOff);
        p.intoArray(param, pOff);
    }

    /** SGD with momentum (buffer non-null) or plain (buffer null); see {@link Updates#sgd}. */
    static void sgd(double[] param, int pOff, double[] grad, int gOff, double[] buf, int bOff, int n, double lr,
                    double momentum, double dampening, double weightDecay, boolean nesterov, boolean first) {
        double keep = 1 - dampening;
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector p = DoubleVector.fromArray(Species.D, param, pOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, grad, gOff + i);
            if (weightDecay != 0) {
                d = p.fma(DoubleVector.broadcast(Species.D, weightDecay), d);
            }
            if (buf != null) {
                DoubleVector b = first ? d : DoubleVector.fromArray(Species.D, buf, bOff + i).fma(
                        DoubleVector.broadcast(Species.D, momentum), d.mul(keep));
                b = b.blend(0, b.abs().compare(VectorOperators.LT, Double.MIN_NORMAL)); // see Updates.sgd: no subnormal state
                b.intoArray(buf, bOff + i);
                d = nesterov ? b.fma(DoubleVector.broadcast(Species.D, momentum), d) : b;
            }
            d.fma(DoubleVector.broadcast(Species.D, -lr), p).intoArray(param, pOff + i);
        }
        if (i < n) {
            VectorMask<Double> k = Species.D.indexInRange(i, n);
            DoubleVector p = DoubleVector.fromArray(Species.D, param, pOff + i, k);
            DoubleVector d = DoubleVector.fromArray(Species.D, grad, gOff + i, k);
            if (weightDecay != 0) {
                d = p.fma(DoubleVector.broadcast(Species.D, weightDecay), d);
            }
            if (buf != null) {
                DoubleVector b = first ? d : DoubleVector.fromArray(Species.D, buf, bOff + i, k).fma(
                        DoubleVector.broadcast(Species.D, momentum), d.mul(keep));
                b = b.blend(0, b.abs().compare(VectorOperators.LT, Double.MIN_NORMAL)); // see Updates.sgd: no subnormal state
                b.intoArray(buf, bOff + i, k);
                d = nesterov ? b.fma(DoubleVector.broadcast(Species.D, momentum), d) : b;
            }
            d.fma(DoubleVector.broadcast(Species.D, -lr), p).intoArray(param, pOff + i, k);
        }
    }
    // </double>

}
