package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector loops of {@link Activations} (loaded only on the vector path). One self-contained loop per
 * activation and direction, main body plus a masked tail that evaluates the same formula, so every element
 * gets bit-identical treatment wherever it falls. Arguments are validated by the caller.
 *
 * <p>GELU in its exact erf form has a float vector formula ({@link FastMath#geluErfD}); its double
 * version and both backward kernels run the scalar float64 loop.
 *
 * <p>Tails: relu and leaky relu finish with a masked vector step (same formula). The transcendental
 * activations finish their last n mod V elements with the float64 reference ({@link ScalarMath}) instead:
 * a call into a vector helper from a once-per-call tail is not inlined by C2 and would box vectors. Tail
 * and body then differ by at most the body's error bound (≤ 4 ulp in float, 1e-14 relative in double).
 */
final class ActivationKernels {
    private ActivationKernels() {
    }

    /** Columns processed per chunk by the fused bias kernels (the chunk stays in L1 between its passes). */
    static final int CHUNK = 2048;

    /** Per-thread scratch rows of CHUNK elements for the fused bias kernels. */
    private static final ThreadLocal<float[]> F_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);
    private static final ThreadLocal<double[]> D_SCRATCH = ThreadLocal.withInitial(() -> new double[CHUNK]);

    // <float>

    /** dst = f(src) for the activation {@code act} ({@code alpha}: leaky relu's slope). */
    static void forward(Activation act, float alpha, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        switch (act) {
            case IDENTITY -> {
                if (src != dst || srcOff != dstOff) {
                    System.arraycopy(src, srcOff, dst, dstOff, n);
                }
            }
            case RELU -> relu(src, srcOff, dst, dstOff, n);
            case LEAKY_RELU -> leakyRelu(src, srcOff, dst, dstOff, n, alpha);
            case SIGMOID -> sigmoid(src, srcOff, dst, dstOff, n);
            case TANH -> tanh(src, srcOff, dst, dstOff, n);
            case GELU -> gelu(src, srcOff, dst, dstOff, n);
            case GELU_ERF -> geluErf(src, srcOff, dst, dstOff, n);
            case SILU -> silu(src, srcOff, dst, dstOff, n);
            case SOFTPLUS -> softplus(src, srcOff, dst, dstOff, n);
        }
    }

    /** dx += dy·f′(cached) for the activation {@code act}. */
    static void backward(Activation act, float alpha, float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx,
                         int dxOff, int n) {
        switch (act) {
            case IDENTITY -> add(dy, dyOff, dx, dxOff, n);
            case RELU -> reluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case LEAKY_RELU -> leakyReluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n, alpha);
            case SIGMOID -> sigmoidBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case TANH -> tanhBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case GELU -> geluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case GELU_ERF -> {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = (float) (dx[dxOff + i]
                            + dy[dyOff + i] * ScalarMath.geluErfDerivative(cached[cachedOff + i]));
                }
            }
            case SILU -> siluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case SOFTPLUS -> softplusBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
        }
    }

    /** dst = src + bias (bias may be null: plain copy). */
    static void addBias(float[] src, int srcOff, float[] bias, int biasOff, float[] dst, int dstOff, int n) {
        if (bias == null) {
            if (src != dst || srcOff != dstOff) {
                System.arraycopy(src, srcOff, dst, dstOff, n);
            }
            return;
        }
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, src, srcOff + i)
                    .add(FloatVector.fromArray(Species.F, bias, biasOff + i)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, src, srcOff + i, m)
                    .add(FloatVector.fromArray(Species.F, bias, biasOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst += src. */
    static void add(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector.fromArray(Species.F, dst, dstOff + i)
                    .add(FloatVector.fromArray(Species.F, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector.fromArray(Species.F, dst, dstOff + i, m)
                    .add(FloatVector.fromArray(Species.F, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /**
     * y = act(x + bias) over an m×n matrix, chunk by chunk: bias pass, then the activation in place in L1; relu
     * without a pre-activation output in one fused pass.
     */
    static void biasActivation(Activation act, float alpha, int m, int n, float[] x, int xOff, int ldx, float[] bias,
                               int biasOff, float[] pre, int preOff, int ldPre, float[] y, int yOff, int ldy) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j += CHUNK) {
                int len = Math.min(CHUNK, n - j);
                int xi = xOff + i * ldx + j;
                int yi = yOff + i * ldy + j;
                if (pre == null && act == Activation.RELU) {
                    // relu costs less than a second pass over the chunk: fuse (2^24 floats, JMH: bias+ReLU went
                    // from 82-85% of relu alone to 91-97%)
                    biasRelu(x, xi, bias, biasOff + j, y, yi, len);
                } else if (pre == null) {
                    addBias(x, xi, bias, biasOff + j, y, yi, len);
                    forward(act, alpha, y, yi, y, yi, len);
                } else {
                    int pi = preOff + i * ldPre + j;
                    addBias(x, xi, bias, biasOff + j, pre, pi, len);
                    forward(act, alpha, pre, pi, y, yi, len);
                }
            }
        }
    }

    /** dz += t, dbias += t with t = dy·f′(cached), chunk by chunk through a per-thread scratch row. */
    static void biasActivationBackward(Activation act, float alpha, int m, int n, float[] cached, int cachedOff,
                                       int ldc, float[] dy, int dyOff, int lddy, float[] dz, int dzOff, int lddz,
                                       float[] dbias, int dbiasOff) {
        float[] t = act == Activation.IDENTITY ? null : F_SCRATCH.get();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j += CHUNK) {
                int len = Math.min(CHUNK, n - j);
                int gi = dyOff + i * lddy + j;
                float[] src = dy;
                int srcOff = gi;
                if (t != null) {
                    java.util.Arrays.fill(t, 0, len, 0f);
                    backward(act, alpha, cached, cachedOff + i * ldc + j, dy, gi, t, 0, len);
                    src = t;
                    srcOff = 0;
                }
                if (dz != null) {
                    add(src, srcOff, dz, dzOff + i * lddz + j, len);
                }
                if (dbias != null) {
                    add(src, srcOff, dbias, dbiasOff + j, len);
                }
            }
        }
    }

    /** dst = relu(src + bias) in one pass (bias may be null); the same values as addBias, then relu. */
    static void biasRelu(float[] src, int srcOff, float[] bias, int biasOff, float[] dst, int dstOff, int n) {
        if (bias == null) {
            relu(src, srcOff, dst, dstOff, n);
            return;
        }
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector z = FloatVector.fromArray(Species.F, src, srcOff + i)
                    .add(FloatVector.fromArray(Species.F, bias, biasOff + i));
            z.blend(0f, z.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector z = FloatVector.fromArray(Species.F, src, srcOff + i, m)
                    .add(FloatVector.fromArray(Species.F, bias, biasOff + i, m));
            z.blend(0f, z.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i, m);
        }
    }

    static void relu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            x.blend(0f, x.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i, m);
            x.blend(0f, x.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i, m);
        }
    }

    static void leakyRelu(float[] src, int srcOff, float[] dst, int dstOff, int n, float alpha) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i, m);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0f)).intoArray(dst, dstOff + i, m);
        }
    }

    static void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            FastMath.sigmoid(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(Activation.SIGMOID, src[srcOff + i]);
        }
    }

    static void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            FastMath.tanh(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(Activation.TANH, src[srcOff + i]);
        }
    }

    static void gelu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            FastMath.gelu(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(Activation.GELU, src[srcOff + i]);
        }
    }

    static void silu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            FastMath.silu(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(Activation.SILU, src[srcOff + i]);
        }
    }

    static void softplus(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector x = FloatVector.fromArray(Species.F, src, srcOff + i);
            FastMath.softplus(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(Activation.SOFTPLUS, src[srcOff + i]);
        }
    }

    /** dx += x > 0 ? dy : 0, and NaN where x is NaN (the NaN lanes add x itself). */
    static void reluBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            d.add(g, c.compare(VectorOperators.GT, 0f)).add(c, c.compare(VectorOperators.NE, c)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i, m);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i, m);
            d.add(g, c.compare(VectorOperators.GT, 0f)).add(c, c.compare(VectorOperators.NE, c)).intoArray(dx, dxOff + i, m);
        }
    }

    static void leakyReluBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n, float alpha) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            d.add(g.mul(alpha).blend(g, c.compare(VectorOperators.GT, 0f)).blend(c, c.compare(VectorOperators.NE, c))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Float> m = Species.F.indexInRange(i, n);
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i, m);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i, m);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i, m);
            d.add(g.mul(alpha).blend(g, c.compare(VectorOperators.GT, 0f)).blend(c, c.compare(VectorOperators.NE, c))).intoArray(dx, dxOff + i, m);
        }
    }

    static void sigmoidBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            g.fma(c.mul(FloatVector.broadcast(Species.F, 1f).sub(c)), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SIGMOID, cached[cachedOff + i]));
        }
    }

    static void tanhBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            g.fma(c.fma(c.neg(), FloatVector.broadcast(Species.F, 1f)), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.TANH, cached[cachedOff + i]));
        }
    }

    static void geluBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            // FastMath.geluDerivative(c), inlined by hand: C2 can compile that helper on its own first (it is
            // called from the interpreted/C1 loop) and then refuse to inline it ("already compiled into a big
            // method"), boxing the vectors across the call. Keep the two copies identical.
            FloatVector xc = FastMath.clampGelu(c);
            FloatVector x2 = xc.mul(xc);
            FloatVector q = x2.mul(FastMath.F_K3_HI);
            FloatVector p = q.add(FastMath.F_K1_HI);
            FloatVector plo = FastMath.geluPTail(xc, x2, q, p);
            FloatVector v = p.mul(xc);
            FloatVector vlo = plo.fma(xc, p.fma(xc, v.neg()));
            FloatVector a = FastMath.expNeg(v.abs());
            FloatVector rd = FloatVector.broadcast(Species.F, 1f).div(a.add(1f));
            FloatVector ar = a.mul(rd);
            FloatVector ss = ar.mul(rd);
            FloatVector s0 = rd.blend(ar, v.compare(VectorOperators.LT, 0f));
            FloatVector s = ss.fma(vlo, s0);
            ss = ss.mul(vlo).fma(s0.mul(-2f).add(1f), ss);
            FloatVector fp = xc.mul(x2.fma(3f * FastMath.F_K3_HI, FastMath.F_K1_HI)).fma(ss, s);
            g.fma(fp, d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.GELU, cached[cachedOff + i]));
        }
    }

    static void siluBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            g.fma(FastMath.siluDerivative(c), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SILU, cached[cachedOff + i]));
        }
    }

    static void softplusBackward(float[] cached, int cachedOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.F.loopBound(n); i < bound; i += Species.FL) {
            FloatVector c = FloatVector.fromArray(Species.F, cached, cachedOff + i);
            FloatVector g = FloatVector.fromArray(Species.F, dy, dyOff + i);
            FloatVector d = FloatVector.fromArray(Species.F, dx, dxOff + i);
            g.fma(FastMath.sigmoid(c), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SOFTPLUS, cached[cachedOff + i]));
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /** dst = f(src) for the activation {@code act} ({@code alpha}: leaky relu's slope). */
    static void forward(Activation act, double alpha, double[] src, int srcOff, double[] dst, int dstOff, int n) {
        switch (act) {
            case IDENTITY -> {
                if (src != dst || srcOff != dstOff) {
                    System.arraycopy(src, srcOff, dst, dstOff, n);
                }
            }
            case RELU -> relu(src, srcOff, dst, dstOff, n);
            case LEAKY_RELU -> leakyRelu(src, srcOff, dst, dstOff, n, alpha);
            case SIGMOID -> sigmoid(src, srcOff, dst, dstOff, n);
            case TANH -> tanh(src, srcOff, dst, dstOff, n);
            case GELU -> gelu(src, srcOff, dst, dstOff, n);
            case GELU_ERF -> geluErf(src, srcOff, dst, dstOff, n);
            case SILU -> silu(src, srcOff, dst, dstOff, n);
            case SOFTPLUS -> softplus(src, srcOff, dst, dstOff, n);
        }
    }

    /** dx += dy·f′(cached) for the activation {@code act}. */
    static void backward(Activation act, double alpha, double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx,
                         int dxOff, int n) {
        switch (act) {
            case IDENTITY -> add(dy, dyOff, dx, dxOff, n);
            case RELU -> reluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case LEAKY_RELU -> leakyReluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n, alpha);
            case SIGMOID -> sigmoidBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case TANH -> tanhBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case GELU -> geluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case GELU_ERF -> {
                for (int i = 0; i < n; i++) {
                    dx[dxOff + i] = (dx[dxOff + i]
                            + dy[dyOff + i] * ScalarMath.geluErfDerivative(cached[cachedOff + i]));
                }
            }
            case SILU -> siluBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
            case SOFTPLUS -> softplusBackward(cached, cachedOff, dy, dyOff, dx, dxOff, n);
        }
    }

    /** dst = src + bias (bias may be null: plain copy). */
    static void addBias(double[] src, int srcOff, double[] bias, int biasOff, double[] dst, int dstOff, int n) {
        if (bias == null) {
            if (src != dst || srcOff != dstOff) {
                System.arraycopy(src, srcOff, dst, dstOff, n);
            }
            return;
        }
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, src, srcOff + i)
                    .add(DoubleVector.fromArray(Species.D, bias, biasOff + i)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, src, srcOff + i, m)
                    .add(DoubleVector.fromArray(Species.D, bias, biasOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /** dst += src. */
    static void add(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector.fromArray(Species.D, dst, dstOff + i)
                    .add(DoubleVector.fromArray(Species.D, src, srcOff + i)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector.fromArray(Species.D, dst, dstOff + i, m)
                    .add(DoubleVector.fromArray(Species.D, src, srcOff + i, m)).intoArray(dst, dstOff + i, m);
        }
    }

    /**
     * y = act(x + bias) over an m×n matrix, chunk by chunk: bias pass, then the activation in place in L1; relu
     * without a pre-activation output in one fused pass.
     */
    static void biasActivation(Activation act, double alpha, int m, int n, double[] x, int xOff, int ldx, double[] bias,
                               int biasOff, double[] pre, int preOff, int ldPre, double[] y, int yOff, int ldy) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j += CHUNK) {
                int len = Math.min(CHUNK, n - j);
                int xi = xOff + i * ldx + j;
                int yi = yOff + i * ldy + j;
                if (pre == null && act == Activation.RELU) {
                    // relu costs less than a second pass over the chunk: fuse (2^24 floats, JMH: bias+ReLU went
                    // from 82-85% of relu alone to 91-97%)
                    biasRelu(x, xi, bias, biasOff + j, y, yi, len);
                } else if (pre == null) {
                    addBias(x, xi, bias, biasOff + j, y, yi, len);
                    forward(act, alpha, y, yi, y, yi, len);
                } else {
                    int pi = preOff + i * ldPre + j;
                    addBias(x, xi, bias, biasOff + j, pre, pi, len);
                    forward(act, alpha, pre, pi, y, yi, len);
                }
            }
        }
    }

    /** dz += t, dbias += t with t = dy·f′(cached), chunk by chunk through a per-thread scratch row. */
    static void biasActivationBackward(Activation act, double alpha, int m, int n, double[] cached, int cachedOff,
                                       int ldc, double[] dy, int dyOff, int lddy, double[] dz, int dzOff, int lddz,
                                       double[] dbias, int dbiasOff) {
        double[] t = act == Activation.IDENTITY ? null : D_SCRATCH.get();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j += CHUNK) {
                int len = Math.min(CHUNK, n - j);
                int gi = dyOff + i * lddy + j;
                double[] src = dy;
                int srcOff = gi;
                if (t != null) {
                    java.util.Arrays.fill(t, 0, len, 0);
                    backward(act, alpha, cached, cachedOff + i * ldc + j, dy, gi, t, 0, len);
                    src = t;
                    srcOff = 0;
                }
                if (dz != null) {
                    add(src, srcOff, dz, dzOff + i * lddz + j, len);
                }
                if (dbias != null) {
                    add(src, srcOff, dbias, dbiasOff + j, len);
                }
            }
        }
    }

    /** dst = relu(src + bias) in one pass (bias may be null); the same values as addBias, then relu. */
    static void biasRelu(double[] src, int srcOff, double[] bias, int biasOff, double[] dst, int dstOff, int n) {
        if (bias == null) {
            relu(src, srcOff, dst, dstOff, n);
            return;
        }
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector z = DoubleVector.fromArray(Species.D, src, srcOff + i)
                    .add(DoubleVector.fromArray(Species.D, bias, biasOff + i));
            z.blend(0, z.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector z = DoubleVector.fromArray(Species.D, src, srcOff + i, m)
                    .add(DoubleVector.fromArray(Species.D, bias, biasOff + i, m));
            z.blend(0, z.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i, m);
        }
    }

    static void relu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            x.blend(0, x.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i, m);
            x.blend(0, x.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i, m);
        }
    }

    static void leakyRelu(double[] src, int srcOff, double[] dst, int dstOff, int n, double alpha) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i, m);
            x.blend(x.mul(alpha), x.compare(VectorOperators.LT, 0)).intoArray(dst, dstOff + i, m);
        }
    }

    static void sigmoid(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            FastMath.sigmoid(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(Activation.SIGMOID, src[srcOff + i]);
        }
    }

    static void tanh(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            FastMath.tanh(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(Activation.TANH, src[srcOff + i]);
        }
    }

    static void gelu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            FastMath.gelu(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(Activation.GELU, src[srcOff + i]);
        }
    }

    static void silu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            FastMath.silu(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(Activation.SILU, src[srcOff + i]);
        }
    }

    static void softplus(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector x = DoubleVector.fromArray(Species.D, src, srcOff + i);
            FastMath.softplus(x).intoArray(dst, dstOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(Activation.SOFTPLUS, src[srcOff + i]);
        }
    }

    /** dx += x > 0 ? dy : 0, and NaN where x is NaN (the NaN lanes add x itself). */
    static void reluBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            d.add(g, c.compare(VectorOperators.GT, 0)).add(c, c.compare(VectorOperators.NE, c)).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i, m);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i, m);
            d.add(g, c.compare(VectorOperators.GT, 0)).add(c, c.compare(VectorOperators.NE, c)).intoArray(dx, dxOff + i, m);
        }
    }

    static void leakyReluBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n, double alpha) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            d.add(g.mul(alpha).blend(g, c.compare(VectorOperators.GT, 0)).blend(c, c.compare(VectorOperators.NE, c))).intoArray(dx, dxOff + i);
        }
        if (i < n) {
            VectorMask<Double> m = Species.D.indexInRange(i, n);
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i, m);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i, m);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i, m);
            d.add(g.mul(alpha).blend(g, c.compare(VectorOperators.GT, 0)).blend(c, c.compare(VectorOperators.NE, c))).intoArray(dx, dxOff + i, m);
        }
    }

    static void sigmoidBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            g.fma(c.mul(DoubleVector.broadcast(Species.D, 1).sub(c)), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SIGMOID, cached[cachedOff + i]));
        }
    }

    static void tanhBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            g.fma(c.fma(c.neg(), DoubleVector.broadcast(Species.D, 1)), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.TANH, cached[cachedOff + i]));
        }
    }

    static void geluBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            // FastMath.geluDerivative(c), inlined by hand: C2 can compile that helper on its own first (it is
            // called from the interpreted/C1 loop) and then refuse to inline it ("already compiled into a big
            // method"), boxing the vectors across the call. Keep the two copies identical.
            DoubleVector xc = FastMath.clampGelu(c);
            DoubleVector x2 = xc.mul(xc);
            DoubleVector q = x2.mul(FastMath.D_K3_HI);
            DoubleVector p = q.add(FastMath.D_K1_HI);
            DoubleVector plo = FastMath.geluPTail(xc, x2, q, p);
            DoubleVector v = p.mul(xc);
            DoubleVector vlo = plo.fma(xc, p.fma(xc, v.neg()));
            DoubleVector a = FastMath.expNeg(v.abs());
            DoubleVector rd = DoubleVector.broadcast(Species.D, 1).div(a.add(1));
            DoubleVector ar = a.mul(rd);
            DoubleVector ss = ar.mul(rd);
            DoubleVector s0 = rd.blend(ar, v.compare(VectorOperators.LT, 0));
            DoubleVector s = ss.fma(vlo, s0);
            ss = ss.mul(vlo).fma(s0.mul(-2).add(1), ss);
            DoubleVector fp = xc.mul(x2.fma(3 * FastMath.D_K3_HI, FastMath.D_K1_HI)).fma(ss, s);
            g.fma(fp, d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.GELU, cached[cachedOff + i]));
        }
    }

    static void siluBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            g.fma(FastMath.siluDerivative(c), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SILU, cached[cachedOff + i]));
        }
    }

    static void softplusBackward(double[] cached, int cachedOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        int i = 0;
        for (int bound = Species.D.loopBound(n); i < bound; i += Species.DL) {
            DoubleVector c = DoubleVector.fromArray(Species.D, cached, cachedOff + i);
            DoubleVector g = DoubleVector.fromArray(Species.D, dy, dyOff + i);
            DoubleVector d = DoubleVector.fromArray(Species.D, dx, dxOff + i);
            g.fma(FastMath.sigmoid(c), d).intoArray(dx, dxOff + i);
        }
        // tail: the float64 reference (a call into a vector helper here would not be inlined and would box)
        for (; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(Activation.SOFTPLUS, cached[cachedOff + i]));
        }
    }
    // </double>

    // Hand-written (not twinned): GELU in its erf form has a float vector formula (FastMath.geluErfD, float
    // accuracy) but no double one, which runs the float64 reference.

    /** Per-thread double buffer of CHUNK elements for geluErf's float path. */
    private static final ThreadLocal<double[]> ERF_SCRATCH = ThreadLocal.withInitial(() -> new double[CHUNK]);

    /**
     * Float geluErf, chunk by chunk through a double buffer: widen (a plain loop C2 vectorizes), one vector
     * loop of {@link FastMath#geluErfD} over the doubles (a single call site: two inlined copies, one per
     * half of a float vector, exceed C2's inlining node budget), narrow (rounded once). The last n mod V_double
     * elements of a chunk take the float64 reference, within the same 4-ulp bound.
     */
    static void geluErf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        double[] b = ERF_SCRATCH.get();
        for (int j = 0; j < n; j += CHUNK) {
            int len = Math.min(CHUNK, n - j);
            for (int k = 0; k < len; k++) {
                b[k] = src[srcOff + j + k];
            }
            int k = 0;
            for (int bound = Species.D.loopBound(len); k < bound; k += Species.DL) {
                FastMath.geluErfD(DoubleVector.fromArray(Species.D, b, k)).intoArray(b, k);
            }
            for (; k < len; k++) {
                b[k] = ScalarMath.geluErf(b[k]);
            }
            for (k = 0; k < len; k++) {
                dst[dstOff + j + k] = (float) b[k];
            }
        }
    }

    static void geluErf(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = ScalarMath.geluErf(src[srcOff + i]);
        }
    }
}
