package dev.vecprop.kernels;

import java.util.Objects;

/**
 * Pointwise activations and their backward kernels, plus bias-add fused with an activation.
 *
 * <p><b>Forward</b> kernels read {@code n} elements of {@code src} from {@code srcOff} and write
 * {@code f(src)} to {@code dst} from {@code dstOff}. In place ({@code src == dst}, same offset) is allowed
 * for every forward kernel; other overlaps are not.
 *
 * <p><b>Backward</b> kernels <em>accumulate</em>: {@code dx[i] += dy[i]·f′(…)}, so a tensor used twice
 * receives the sum of its gradients; zero {@code dx} first ({@link Blas1#fill}) for a plain assignment.
 * Each takes the tensor the layer cached: the forward <em>input</em> x for relu, leaky relu, gelu, gelu-erf,
 * silu and softplus; the forward <em>output</em> y for sigmoid and tanh (said again on each method).
 * {@code dx} must not overlap {@code dy} or the cached tensor.
 *
 * <p><b>Special values.</b> NaN propagates through every forward kernel; ±∞ give the mathematical limit
 * (σ(−∞) = 0, σ(+∞) = 1, tanh(±∞) = ±1, relu(−∞) = 0, gelu(−∞) = silu(−∞) = 0, gelu(+∞) = +∞,
 * softplus(−∞) = 0). Exp never overflows into a NaN (σ of −100 is ~4e-44, not NaN). The backward kernels at
 * ±∞ use the limit of f′ (0 or 1). relu and leaky relu pass NaN through forward; their backward uses
 * {@code x > 0} and give a NaN gradient for a NaN input (NaN never silently becomes 0; PyTorch's
 * threshold_backward would pass dy through instead).
 *
 * <p><b>GELU.</b> {@link #gelu} is the tanh approximation {@code 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))},
 * evaluated as {@code x·σ(2u)} (identical mathematically, without the cancellation that turns
 * {@code 1 + tanh u} into 0 in the negative tail); {@link #geluErf} is the exact {@code x·Φ(x)}.
 *
 * <p><b>Accuracy</b> (vs the function evaluated exactly at the given input): float kernels ≤ 4 ulp, or an
 * absolute error ≤ 1e-20 where the result is that small; double kernels relative error ≤ 1e-14 (absolute
 * ≤ 1e-300 for tinier results). Exceptions, if any, are stated on the method.
 *
 * <p>Bad arguments (null array, negative {@code n}, an offset or array too short) throw before anything is
 * written: {@link NullPointerException}, {@link IllegalArgumentException} or
 * {@link IndexOutOfBoundsException}, naming the argument. Thread-safe: no shared mutable state.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Activations {
    private Activations() {
    }

    // <float>

    /** {@code dst = max(src, 0)}; NaN passes through. Throws, and size 0: see the class comment. */
    public static void relu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.RELU, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * {@code dst = src ≥ 0 ? src : alpha·src}; NaN passes through. Any finite {@code alpha} is accepted.
     * Throws, and size 0: see the class comment.
     */
    public static void leakyRelu(float[] src, int srcOff, float[] dst, int dstOff, int n, float alpha) {
        forward(Activation.LEAKY_RELU, alpha, src, srcOff, dst, dstOff, n);
    }

    /** {@code dst = 1/(1 + e^−src)}. Throws, and size 0: see the class comment. */
    public static void sigmoid(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.SIGMOID, 0, src, srcOff, dst, dstOff, n);
    }

    /** {@code dst = tanh(src)}. Throws, and size 0: see the class comment. */
    public static void tanh(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.TANH, 0, src, srcOff, dst, dstOff, n);
    }

    /** GELU, tanh approximation (see the class comment). Throws, and size 0: see the class comment. */
    public static void gelu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.GELU, 0, src, srcOff, dst, dstOff, n);
    }

    /** GELU, exact: {@code dst = src·Φ(src) = 0.5·src·erfc(−src/√2)}. Throws, and size 0: see the class comment. */
    public static void geluErf(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.GELU_ERF, 0, src, srcOff, dst, dstOff, n);
    }

    /** SiLU / swish: {@code dst = src·σ(src)}. Throws, and size 0: see the class comment. */
    public static void silu(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.SILU, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * softplus: {@code dst = log(1 + e^src)}, computed as {@code max(src, 0) + log1p(e^−|src|)}.
     * Throws, and size 0: see the class comment.
     */
    public static void softplus(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        forward(Activation.SOFTPLUS, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * The activation {@code act} selects ({@link Activation#LEAKY_RELU} with its default slope).
     * In place allowed.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void apply(Activation act, float[] src, int srcOff, float[] dst, int dstOff, int n) {
        Objects.requireNonNull(act, "act");
        forward(act, Activation.LEAKY_RELU_ALPHA, src, srcOff, dst, dstOff, n);
    }

    /**
     * relu backward from the cached <em>input</em> x: {@code dx += x > 0 ? dy : 0} (NaN where x is NaN).
     * Throws, and size 0: see the class comment.
     */
    public static void reluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.RELU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * leaky relu backward from the cached <em>input</em> x: {@code dx += x > 0 ? dy : alpha·dy} (NaN where x is NaN).
     * Throws, and size 0: see the class comment.
     */
    public static void leakyReluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n,
                                         float alpha) {
        backwardImpl(Activation.LEAKY_RELU, alpha, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * sigmoid backward from the cached <em>output</em> y: {@code dx += dy·y(1 − y)}.
     * Throws, and size 0: see the class comment.
     */
    public static void sigmoidBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.SIGMOID, 0, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * tanh backward from the cached <em>output</em> y: {@code dx += dy·(1 − y²)}.
     * Throws, and size 0: see the class comment.
     */
    public static void tanhBackward(float[] y, int yOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.TANH, 0, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * GELU (tanh form) backward from the cached <em>input</em> x:
     * {@code dx += dy·(s + x·s(1 − s)·2√(2/π)(1 + 3·0.044715x²))}, s = σ(2u).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void geluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.GELU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Exact GELU backward from the cached <em>input</em> x: {@code dx += dy·(Φ(x) + x·φ(x))}.
     * Throws, and size 0: see the class comment.
     */
    public static void geluErfBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.GELU_ERF, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * SiLU backward from the cached <em>input</em> x: {@code dx += dy·σ(x)(1 + x(1 − σ(x)))}.
     * Throws, and size 0: see the class comment.
     */
    public static void siluBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.SILU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * softplus backward from the cached <em>input</em> x: {@code dx += dy·σ(x)}.
     * Throws, and size 0: see the class comment.
     */
    public static void softplusBackward(float[] x, int xOff, float[] dy, int dyOff, float[] dx, int dxOff, int n) {
        backwardImpl(Activation.SOFTPLUS, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Backward of the activation {@code act} selects: {@code dx += dy·f′}. {@code cached} is the forward
     * output y when {@link Activation#backwardUsesOutput() act.backwardUsesOutput()}, else the forward input.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void backward(Activation act, float[] cached, int cachedOff, float[] dy, int dyOff,
                                float[] dx, int dxOff, int n) {
        Objects.requireNonNull(act, "act");
        backwardImpl(act, Activation.LEAKY_RELU_ALPHA, cached, cachedOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Bias add broadcast over rows fused with an activation, in one pass: {@code y[i][j] = act(x[i][j] + bias[j])}
     * for an m×n row-major x (leading dimension {@code ldx}) and y ({@code ldy}). {@code bias} may be null
     * (no bias). In place ({@code x == y}, same offset and leading dimension) allowed.
     * {@link Activation#LEAKY_RELU} uses its default slope {@link Activation#LEAKY_RELU_ALPHA} (0.01) here and
     * in {@link #biasActivationBackward}; the overloads with a trailing {@code alpha} take another slope.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, float[] x, int xOff, int ldx,
                                      float[] bias, int biasOff, float[] y, int yOff, int ldy) {
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, null, 0, 0, y, yOff, ldy,
                Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As {@link #biasActivation(Activation, int, int, float[], int, int, float[], int, float[], int, int)},
     * with {@code alpha} as the negative slope of {@link Activation#LEAKY_RELU} (ignored by the other
     * activations; any finite value is accepted, as in {@link #leakyRelu}).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, float[] x, int xOff, int ldx,
                                      float[] bias, int biasOff, float[] y, int yOff, int ldy, float alpha) {
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, null, 0, 0, y, yOff, ldy, alpha);
    }

    /**
     * As {@link #biasActivation(Activation, int, int, float[], int, int, float[], int, float[], int, int)},
     * also storing the pre-activation {@code pre = x + bias} (m×n, leading dimension {@code ldPre}), which
     * the backward of activations that take their input needs. {@code pre} may equal {@code x} (same
     * offset and leading dimension) but must not overlap {@code y}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, float[] x, int xOff, int ldx,
                                      float[] bias, int biasOff, float[] pre, int preOff, int ldPre,
                                      float[] y, int yOff, int ldy) {
        Objects.requireNonNull(pre, "pre");
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre, y, yOff, ldy,
                Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As the overload above that stores {@code pre}, with {@code alpha} as the negative slope of
     * {@link Activation#LEAKY_RELU} (ignored by the other activations).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, float[] x, int xOff, int ldx,
                                      float[] bias, int biasOff, float[] pre, int preOff, int ldPre,
                                      float[] y, int yOff, int ldy, float alpha) {
        Objects.requireNonNull(pre, "pre");
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre, y, yOff, ldy, alpha);
    }

    /**
     * Backward of {@link #biasActivation}: {@code dz[i][j] += dy[i][j]·f′(cached[i][j])} and, when
     * {@code dbias} is not null, {@code dbias[j] += Σ_i dy[i][j]·f′(cached[i][j])} (the bias gradient).
     * {@code cached} is the output y when {@link Activation#backwardUsesOutput() act.backwardUsesOutput()},
     * else the pre-activation. {@code dz} may be null when only the bias gradient is wanted. For
     * {@link Activation#IDENTITY} this is the plain bias gradient (then {@code cached} is not read and may be
     * null). Sums over rows are taken in row order.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivationBackward(Activation act, int m, int n, float[] cached, int cachedOff, int ldc,
                                              float[] dy, int dyOff, int lddy, float[] dz, int dzOff, int lddz,
                                              float[] dbias, int dbiasOff) {
        biasActivationBackward(act, m, n, cached, cachedOff, ldc, dy, dyOff, lddy, dz, dzOff, lddz, dbias, dbiasOff,
                (float) Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As the overload above, with {@code alpha} as the negative slope of {@link Activation#LEAKY_RELU} (the
     * one the forward used; ignored by the other activations).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivationBackward(Activation act, int m, int n, float[] cached, int cachedOff, int ldc,
                                              float[] dy, int dyOff, int lddy, float[] dz, int dzOff, int lddz,
                                              float[] dbias, int dbiasOff, float alpha) {
        Objects.requireNonNull(act, "act");
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (act != Activation.IDENTITY) {
            Checks.matrix("cached", cached, cachedOff, m, n, ldc);
        }
        Checks.matrix("dy", dy, dyOff, m, n, lddy);
        if (dz != null) {
            Checks.matrix("dz", dz, dzOff, m, n, lddz);
        }
        if (dbias != null) {
            Checks.vector("dbias", dbias, dbiasOff, n);
        }
        if (Vectorization.ENABLED) {
            ActivationKernels.biasActivationBackward(act, alpha, m, n, cached, cachedOff, ldc, dy, dyOff, lddy,
                    dz, dzOff, lddz, dbias, dbiasOff);
            return;
        }
        for (int i = 0; i < m; i++) {
            int c = cachedOff + i * ldc;
            int g = dyOff + i * lddy;
            int d = dzOff + i * lddz;
            for (int j = 0; j < n; j++) {
                double fp = act == Activation.IDENTITY ? 1.0 : ScalarMath.derivative(act, cached[c + j], alpha);
                float t = (float) (dy[g + j] * fp);
                if (dz != null) {
                    dz[d + j] += t;
                }
                if (dbias != null) {
                    dbias[dbiasOff + j] += t;
                }
            }
        }
    }

    private static void forward(Activation act, double alpha, float[] src, int srcOff, float[] dst, int dstOff,
                                int n) {
        Checks.vector("src", src, srcOff, n);
        Checks.vector("dst", dst, dstOff, n);
        if (Vectorization.ENABLED) {
            ActivationKernels.forward(act, (float) alpha, src, srcOff, dst, dstOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = (float) ScalarMath.apply(act, src[srcOff + i], alpha);
        }
    }

    private static void backwardImpl(Activation act, double alpha, float[] cached, int cachedOff, float[] dy,
                                     int dyOff, float[] dx, int dxOff, int n) {
        Checks.vector(act.backwardUsesOutput() ? "y" : "x", cached, cachedOff, n);
        Checks.vector("dy", dy, dyOff, n);
        Checks.vector("dx", dx, dxOff, n);
        if (Vectorization.ENABLED) {
            ActivationKernels.backward(act, (float) alpha, cached, cachedOff, dy, dyOff, dx, dxOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (float) (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(act, cached[cachedOff + i], alpha));
        }
    }

    private static void biasActivationImpl(Activation act, int m, int n, float[] x, int xOff, int ldx,
                                           float[] bias, int biasOff, float[] pre, int preOff, int ldPre,
                                           float[] y, int yOff, int ldy, double alpha) {
        Objects.requireNonNull(act, "act");
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (bias != null) {
            Checks.vector("bias", bias, biasOff, n);
        }
        if (pre != null) {
            Checks.matrix("pre", pre, preOff, m, n, ldPre);
        }
        Checks.matrix("y", y, yOff, m, n, ldy);
        if (Vectorization.ENABLED) {
            ActivationKernels.biasActivation(act, (float) alpha, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre,
                    y, yOff, ldy);
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            int pi = preOff + i * ldPre;
            for (int j = 0; j < n; j++) {
                float z = bias == null ? x[xi + j] : x[xi + j] + bias[biasOff + j];
                if (pre != null) {
                    pre[pi + j] = z;
                }
                y[yi + j] = (float) ScalarMath.apply(act, z, alpha);
            }
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /** {@code dst = max(src, 0)}; NaN passes through. Throws, and size 0: see the class comment. */
    public static void relu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.RELU, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * {@code dst = src ≥ 0 ? src : alpha·src}; NaN passes through. Any finite {@code alpha} is accepted.
     * Throws, and size 0: see the class comment.
     */
    public static void leakyRelu(double[] src, int srcOff, double[] dst, int dstOff, int n, double alpha) {
        forward(Activation.LEAKY_RELU, alpha, src, srcOff, dst, dstOff, n);
    }

    /** {@code dst = 1/(1 + e^−src)}. Throws, and size 0: see the class comment. */
    public static void sigmoid(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.SIGMOID, 0, src, srcOff, dst, dstOff, n);
    }

    /** {@code dst = tanh(src)}. Throws, and size 0: see the class comment. */
    public static void tanh(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.TANH, 0, src, srcOff, dst, dstOff, n);
    }

    /** GELU, tanh approximation (see the class comment). Throws, and size 0: see the class comment. */
    public static void gelu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.GELU, 0, src, srcOff, dst, dstOff, n);
    }

    /** GELU, exact: {@code dst = src·Φ(src) = 0.5·src·erfc(−src/√2)}. Throws, and size 0: see the class comment. */
    public static void geluErf(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.GELU_ERF, 0, src, srcOff, dst, dstOff, n);
    }

    /** SiLU / swish: {@code dst = src·σ(src)}. Throws, and size 0: see the class comment. */
    public static void silu(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.SILU, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * softplus: {@code dst = log(1 + e^src)}, computed as {@code max(src, 0) + log1p(e^−|src|)}.
     * Throws, and size 0: see the class comment.
     */
    public static void softplus(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        forward(Activation.SOFTPLUS, 0, src, srcOff, dst, dstOff, n);
    }

    /**
     * The activation {@code act} selects ({@link Activation#LEAKY_RELU} with its default slope).
     * In place allowed.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void apply(Activation act, double[] src, int srcOff, double[] dst, int dstOff, int n) {
        Objects.requireNonNull(act, "act");
        forward(act, Activation.LEAKY_RELU_ALPHA, src, srcOff, dst, dstOff, n);
    }

    /**
     * relu backward from the cached <em>input</em> x: {@code dx += x > 0 ? dy : 0} (NaN where x is NaN).
     * Throws, and size 0: see the class comment.
     */
    public static void reluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.RELU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * leaky relu backward from the cached <em>input</em> x: {@code dx += x > 0 ? dy : alpha·dy} (NaN where x is NaN).
     * Throws, and size 0: see the class comment.
     */
    public static void leakyReluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n,
                                         double alpha) {
        backwardImpl(Activation.LEAKY_RELU, alpha, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * sigmoid backward from the cached <em>output</em> y: {@code dx += dy·y(1 − y)}.
     * Throws, and size 0: see the class comment.
     */
    public static void sigmoidBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.SIGMOID, 0, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * tanh backward from the cached <em>output</em> y: {@code dx += dy·(1 − y²)}.
     * Throws, and size 0: see the class comment.
     */
    public static void tanhBackward(double[] y, int yOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.TANH, 0, y, yOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * GELU (tanh form) backward from the cached <em>input</em> x:
     * {@code dx += dy·(s + x·s(1 − s)·2√(2/π)(1 + 3·0.044715x²))}, s = σ(2u).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void geluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.GELU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Exact GELU backward from the cached <em>input</em> x: {@code dx += dy·(Φ(x) + x·φ(x))}.
     * Throws, and size 0: see the class comment.
     */
    public static void geluErfBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.GELU_ERF, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * SiLU backward from the cached <em>input</em> x: {@code dx += dy·σ(x)(1 + x(1 − σ(x)))}.
     * Throws, and size 0: see the class comment.
     */
    public static void siluBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.SILU, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * softplus backward from the cached <em>input</em> x: {@code dx += dy·σ(x)}.
     * Throws, and size 0: see the class comment.
     */
    public static void softplusBackward(double[] x, int xOff, double[] dy, int dyOff, double[] dx, int dxOff, int n) {
        backwardImpl(Activation.SOFTPLUS, 0, x, xOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Backward of the activation {@code act} selects: {@code dx += dy·f′}. {@code cached} is the forward
     * output y when {@link Activation#backwardUsesOutput() act.backwardUsesOutput()}, else the forward input.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void backward(Activation act, double[] cached, int cachedOff, double[] dy, int dyOff,
                                double[] dx, int dxOff, int n) {
        Objects.requireNonNull(act, "act");
        backwardImpl(act, Activation.LEAKY_RELU_ALPHA, cached, cachedOff, dy, dyOff, dx, dxOff, n);
    }

    /**
     * Bias add broadcast over rows fused with an activation, in one pass: {@code y[i][j] = act(x[i][j] + bias[j])}
     * for an m×n row-major x (leading dimension {@code ldx}) and y ({@code ldy}). {@code bias} may be null
     * (no bias). In place ({@code x == y}, same offset and leading dimension) allowed.
     * {@link Activation#LEAKY_RELU} uses its default slope {@link Activation#LEAKY_RELU_ALPHA} (0.01) here and
     * in {@link #biasActivationBackward}; the overloads with a trailing {@code alpha} take another slope.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, double[] x, int xOff, int ldx,
                                      double[] bias, int biasOff, double[] y, int yOff, int ldy) {
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, null, 0, 0, y, yOff, ldy,
                Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As {@link #biasActivation(Activation, int, int, double[], int, int, double[], int, double[], int, int)},
     * with {@code alpha} as the negative slope of {@link Activation#LEAKY_RELU} (ignored by the other
     * activations; any finite value is accepted, as in {@link #leakyRelu}).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, double[] x, int xOff, int ldx,
                                      double[] bias, int biasOff, double[] y, int yOff, int ldy, double alpha) {
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, null, 0, 0, y, yOff, ldy, alpha);
    }

    /**
     * As {@link #biasActivation(Activation, int, int, double[], int, int, double[], int, double[], int, int)},
     * also storing the pre-activation {@code pre = x + bias} (m×n, leading dimension {@code ldPre}), which
     * the backward of activations that take their input needs. {@code pre} may equal {@code x} (same
     * offset and leading dimension) but must not overlap {@code y}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, double[] x, int xOff, int ldx,
                                      double[] bias, int biasOff, double[] pre, int preOff, int ldPre,
                                      double[] y, int yOff, int ldy) {
        Objects.requireNonNull(pre, "pre");
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre, y, yOff, ldy,
                Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As the overload above that stores {@code pre}, with {@code alpha} as the negative slope of
     * {@link Activation#LEAKY_RELU} (ignored by the other activations).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivation(Activation act, int m, int n, double[] x, int xOff, int ldx,
                                      double[] bias, int biasOff, double[] pre, int preOff, int ldPre,
                                      double[] y, int yOff, int ldy, double alpha) {
        Objects.requireNonNull(pre, "pre");
        biasActivationImpl(act, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre, y, yOff, ldy, alpha);
    }

    /**
     * Backward of {@link #biasActivation}: {@code dz[i][j] += dy[i][j]·f′(cached[i][j])} and, when
     * {@code dbias} is not null, {@code dbias[j] += Σ_i dy[i][j]·f′(cached[i][j])} (the bias gradient).
     * {@code cached} is the output y when {@link Activation#backwardUsesOutput() act.backwardUsesOutput()},
     * else the pre-activation. {@code dz} may be null when only the bias gradient is wanted. For
     * {@link Activation#IDENTITY} this is the plain bias gradient (then {@code cached} is not read and may be
     * null). Sums over rows are taken in row order.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivationBackward(Activation act, int m, int n, double[] cached, int cachedOff, int ldc,
                                              double[] dy, int dyOff, int lddy, double[] dz, int dzOff, int lddz,
                                              double[] dbias, int dbiasOff) {
        biasActivationBackward(act, m, n, cached, cachedOff, ldc, dy, dyOff, lddy, dz, dzOff, lddz, dbias, dbiasOff,
                (double) Activation.LEAKY_RELU_ALPHA);
    }

    /**
     * As the overload above, with {@code alpha} as the negative slope of {@link Activation#LEAKY_RELU} (the
     * one the forward used; ignored by the other activations).
     * <p>Throws, and size 0: see the class comment.
     */
    public static void biasActivationBackward(Activation act, int m, int n, double[] cached, int cachedOff, int ldc,
                                              double[] dy, int dyOff, int lddy, double[] dz, int dzOff, int lddz,
                                              double[] dbias, int dbiasOff, double alpha) {
        Objects.requireNonNull(act, "act");
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (act != Activation.IDENTITY) {
            Checks.matrix("cached", cached, cachedOff, m, n, ldc);
        }
        Checks.matrix("dy", dy, dyOff, m, n, lddy);
        if (dz != null) {
            Checks.matrix("dz", dz, dzOff, m, n, lddz);
        }
        if (dbias != null) {
            Checks.vector("dbias", dbias, dbiasOff, n);
        }
        if (Vectorization.ENABLED) {
            ActivationKernels.biasActivationBackward(act, alpha, m, n, cached, cachedOff, ldc, dy, dyOff, lddy,
                    dz, dzOff, lddz, dbias, dbiasOff);
            return;
        }
        for (int i = 0; i < m; i++) {
            int c = cachedOff + i * ldc;
            int g = dyOff + i * lddy;
            int d = dzOff + i * lddz;
            for (int j = 0; j < n; j++) {
                double fp = act == Activation.IDENTITY ? 1.0 : ScalarMath.derivative(act, cached[c + j], alpha);
                double t = (dy[g + j] * fp);
                if (dz != null) {
                    dz[d + j] += t;
                }
                if (dbias != null) {
                    dbias[dbiasOff + j] += t;
                }
            }
        }
    }

    private static void forward(Activation act, double alpha, double[] src, int srcOff, double[] dst, int dstOff,
                                int n) {
        Checks.vector("src", src, srcOff, n);
        Checks.vector("dst", dst, dstOff, n);
        if (Vectorization.ENABLED) {
            ActivationKernels.forward(act, (double) alpha, src, srcOff, dst, dstOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dst[dstOff + i] = ScalarMath.apply(act, src[srcOff + i], alpha);
        }
    }

    private static void backwardImpl(Activation act, double alpha, double[] cached, int cachedOff, double[] dy,
                                     int dyOff, double[] dx, int dxOff, int n) {
        Checks.vector(act.backwardUsesOutput() ? "y" : "x", cached, cachedOff, n);
        Checks.vector("dy", dy, dyOff, n);
        Checks.vector("dx", dx, dxOff, n);
        if (Vectorization.ENABLED) {
            ActivationKernels.backward(act, (double) alpha, cached, cachedOff, dy, dyOff, dx, dxOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dx[dxOff + i] = (dx[dxOff + i] + dy[dyOff + i] * ScalarMath.derivative(act, cached[cachedOff + i], alpha));
        }
    }

    private static void biasActivationImpl(Activation act, int m, int n, double[] x, int xOff, int ldx,
                                           double[] bias, int biasOff, double[] pre, int preOff, int ldPre,
                                           double[] y, int yOff, int ldy, double alpha) {
        Objects.requireNonNull(act, "act");
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (bias != null) {
            Checks.vector("bias", bias, biasOff, n);
        }
        if (pre != null) {
            Checks.matrix("pre", pre, preOff, m, n, ldPre);
        }
        Checks.matrix("y", y, yOff, m, n, ldy);
        if (Vectorization.ENABLED) {
            ActivationKernels.biasActivation(act, (double) alpha, m, n, x, xOff, ldx, bias, biasOff, pre, preOff, ldPre,
                    y, yOff, ldy);
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            int pi = preOff + i * ldPre;
            for (int j = 0; j < n; j++) {
                double z = bias == null ? x[xi + j] : x[xi + j] + bias[biasOff + j];
                if (pre != null) {
                    pre[pi + j] = z;
                }
                y[yi + j] = ScalarMath.apply(act, z, alpha);
            }
        }
    }
    // </double>
}
