package dev.vecprop.kernels;

import java.util.Objects;

/**
 * Optimizer steps as fused single-pass kernels over a parameter array (and its gradient and state arrays of
 * the same layout), with PyTorch's semantics ({@code torch.optim.SGD}, {@code Adam}, {@code AdamW}, non-AMSGrad,
 * not maximizing), and global-norm gradient clipping ({@code torch.nn.utils.clip_grad_norm_}).
 *
 * <p>The caller keeps the step count {@code t} (1 for the first step, then 2, 3, …) and passes it in; the
 * kernels keep no state. Each update reads every element of its arrays once and writes the parameter and
 * the state arrays once. The gradient array is never modified. Arrays must not overlap each other.
 *
 * <p>NaN or ±∞ in a gradient propagate into the parameter, as in PyTorch. Hyperparameters are validated like
 * PyTorch does (e.g. {@code 0 ≤ beta < 1}); bad values and bad array arguments throw
 * {@link IllegalArgumentException} / {@link IndexOutOfBoundsException} / {@link NullPointerException} before
 * anything is written. Thread-safe (calls on disjoint arrays may run concurrently).
 *
 * <p>Threads: Adam and AdamW over large arrays (at least 2·32,768 = 65,536 elements) split
 * into chunks on the threads of {@link Parallelism#getDefault()} (serial unless set); each element is computed
 * the same way whatever chunk it is in, so results are identical for any thread count.
 *
 * <p>Precision: the float path computes in float on the vector path and in double (rounded once per stored
 * value) on the scalar path; the two agree to a few ulp per step.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Updates {
    private Updates() {
    }

    /** PyTorch's default Adam/AdamW learning rate. */
    public static final double DEFAULT_ADAM_LR = 1e-3;
    /** PyTorch's default β₁. */
    public static final double DEFAULT_BETA1 = 0.9;
    /** PyTorch's default β₂. */
    public static final double DEFAULT_BETA2 = 0.999;
    /** PyTorch's default ε for Adam/AdamW. */
    public static final double DEFAULT_EPS = 1e-8;
    /** PyTorch's default AdamW weight decay (Adam's is 0). */
    public static final double DEFAULT_ADAMW_WEIGHT_DECAY = 1e-2;
    /**
     * The constant {@code clip_grad_norm_} adds to the norm before dividing.
     */
    public static final double CLIP_EPS = 1e-6;

    // <float>

    /**
     * One SGD step, PyTorch semantics:
     * <pre>
     *   d = g + weightDecay·p
     *   if momentum ≠ 0:  buf = (t == 1) ? d : momentum·buf + (1 − dampening)·d
     *                     d   = nesterov ? d + momentum·buf : buf
     *   p −= lr·d
     * </pre>
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * <p>A momentum buffer value below the smallest normal number is stored as 0, for the reason given at
     * {@link #adam}: the buffer of a weight whose gradient stays 0 decays by {@code momentum} per step into the
     * subnormal range, where x86 arithmetic is ~20× slower. The step it would make is below {@code lr·1e-37}.
     *
     * @param momentumBuffer n elements of momentum state from {@code bufferOff}; may be null when momentum is 0
     * @param step           the step count t ≥ 1 (t == 1 initialises the buffer from d, as PyTorch does)
     * @throws IllegalArgumentException for lr, momentum or weightDecay negative, infinite or NaN, dampening NaN,
     *                                  step < 1, or nesterov without momentum > 0 and dampening == 0
     */
    public static void sgd(float[] param, int paramOff, float[] grad, int gradOff, float[] momentumBuffer,
                           int bufferOff, int n, float lr, float momentum, float dampening, float weightDecay,
                           boolean nesterov, int step) {
        Checks.vector("param", param, paramOff, n);
        Checks.vector("grad", grad, gradOff, n);
        nonNegative("lr", lr);
        nonNegative("momentum", momentum);
        nonNegative("weightDecay", weightDecay);
        if (Double.isNaN(dampening)) {
            throw new IllegalArgumentException("dampening must not be NaN");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("nesterov needs momentum > 0 and dampening == 0, but momentum was "
                    + momentum + " and dampening " + dampening);
        }
        checkStep(step);
        if (momentum != 0) {
            Checks.vector("momentumBuffer", momentumBuffer, bufferOff, n);
        }
        if (Vectorization.ENABLED) {
            // in calls of ReduceKernels.CALL_BLOCK elements, so that a first call gets compiled partway
            for (int i = 0, len; i < n; i += len) { // i += len ends at n exactly: no int overflow near 2³¹
                len = Math.min(ReduceKernels.CALL_BLOCK, n - i);
                ReduceKernels.sgd(param, paramOff + i, grad, gradOff + i, momentum != 0 ? momentumBuffer : null,
                        bufferOff + i, len, lr, momentum, dampening, weightDecay, nesterov, step == 1);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double p = param[paramOff + i];
            double d = grad[gradOff + i];
            if (weightDecay != 0) {
                d += (double) weightDecay * p;
            }
            if (momentum != 0) {
                double buf = step == 1 ? d
                        : (double) momentum * momentumBuffer[bufferOff + i] + (1 - (double) dampening) * d;
                buf = Math.abs((float) buf) < Float.MIN_NORMAL ? 0 : buf; // as the vector path: no subnormal state
                momentumBuffer[bufferOff + i] = (float) buf;
                d = nesterov ? d + (double) momentum * buf : buf;
            }
            param[paramOff + i] = (float) (p - (double) lr * d);
        }
    }

    /**
     * One Adam step (PyTorch {@code torch.optim.Adam}, L2 weight decay added to the gradient):
     * <pre>
     *   g = grad + weightDecay·p
     *   m = β₁·m + (1 − β₁)·g          v = β₂·v + (1 − β₂)·g²
     *   p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)
     * </pre>
     * Defaults: {@link #DEFAULT_ADAM_LR}, {@link #DEFAULT_BETA1}, {@link #DEFAULT_BETA2}, {@link #DEFAULT_EPS},
     * weight decay 0. {@code m} and {@code v} start as zeros.
     * <p>Moments that fall below the smallest normal number ({@code Float.MIN_NORMAL}) are stored as 0, as
     * PyTorch does under {@code torch.set_flush_denormal(True)}. A weight whose gradient stays 0 (a dead ReLU
     * unit) has moments that decay geometrically into the subnormal range and stay there, and x86 computes
     * on subnormal numbers through a microcode assist: measured here, a pass over 235k parameters with a
     * third of the moments subnormal took 4.1 ms instead of 0.19 ms. The update such a moment would make is
     * below {@code lr·1e-30}.
     * <p>Throws, and size 0: see the class comment.
     *
     * @param step the step count t ≥ 1 (the bias corrections use it)
     * @throws IllegalArgumentException for lr, eps or weightDecay negative, infinite or NaN, beta1 or beta2
     *                                  outside [0, 1) (NaN included), or step < 1
     */
    public static void adam(float[] param, int paramOff, float[] grad, int gradOff, float[] m, int mOff, float[] v,
                            int vOff, int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                            int step) {
        adamImpl(false, param, paramOff, grad, gradOff, m, mOff, v, vOff, n, lr, beta1, beta2, eps, weightDecay,
                step);
    }

    /**
     * One AdamW step (PyTorch {@code torch.optim.AdamW}, decoupled weight decay): first
     * {@code p *= 1 − lr·weightDecay}, then the Adam step of {@link #adam} without the L2 term.
     * PyTorch's default weight decay here is {@link #DEFAULT_ADAMW_WEIGHT_DECAY}.
     * <p>Throws, and size 0: see the class comment.
     *
     * @throws IllegalArgumentException as {@link #adam}: for lr, eps or weightDecay negative, infinite or NaN,
     *                                  beta1 or beta2 outside [0, 1), or step < 1
     */
    public static void adamW(float[] param, int paramOff, float[] grad, int gradOff, float[] m, int mOff, float[] v,
                             int vOff, int n, float lr, float beta1, float beta2, float eps, float weightDecay,
                             int step) {
        adamImpl(true, param, paramOff, grad, gradOff, m, mOff, v, vOff, n, lr, beta1, beta2, eps, weightDecay,
                step);
    }

    /**
     * The L2 norm of all the given regions together, {@code √(Σ_k Σ_i arrays[k][offsets[k] + i]²)},
     * accumulated in double.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param arrays  the arrays (e.g. one flat gradient arena, or one array per parameter)
     * @param offsets one start offset per array
     * @param lengths one element count per array
     */
    public static double globalNorm(float[][] arrays, int[] offsets, int[] lengths) {
        checkRegions(arrays, offsets, lengths);
        return Math.sqrt(squaredSum(arrays, offsets, lengths));
    }

    /**
     * Global-norm gradient clipping ({@code clip_grad_norm_}): computes the norm N of all the regions together
     * and, if {@code maxNorm / (N + 1e-6) < 1}, scales every element by that factor. If N is NaN or ∞ the
     * arrays are left untouched (the caller can then skip the step).
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @return the norm N before clipping
     * @throws IllegalArgumentException if maxNorm is negative or NaN, or the region arrays disagree in length
     */
    public static double clipGlobalNorm(float[][] arrays, int[] offsets, int[] lengths, double maxNorm) {
        checkRegions(arrays, offsets, lengths);
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0, but was " + maxNorm);
        }
        double norm = Math.sqrt(squaredSum(arrays, offsets, lengths));
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coef = maxNorm / (norm + CLIP_EPS);
        if (coef < 1) {
            for (int k = 0; k < arrays.length; k++) {
                Blas1.scale(arrays[k], offsets[k], lengths[k], (float) coef);
            }
        }
        return norm;
    }

    private static double squaredSum(float[][] arrays, int[] offsets, int[] lengths) {
        double s = 0;
        for (int k = 0; k < arrays.length; k++) {
            s += Reductions.squaredNorm(arrays[k], offsets[k], lengths[k]);
        }
        return s;
    }

    private static void checkRegions(float[][] arrays, int[] offsets, int[] lengths) {
        Objects.requireNonNull(arrays, "arrays");
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(lengths, "lengths");
        if (offsets.length != arrays.length || lengths.length != arrays.length) {
            throw new IllegalArgumentException("arrays, offsets and lengths must have the same length, but have "
                    + arrays.length + ", " + offsets.length + " and " + lengths.length);
        }
        for (int k = 0; k < arrays.length; k++) {
            float[] a = arrays[k];
            // The label is built only for a region that fails: clipping runs every training step, allocation-free.
            if (a == null || offsets[k] < 0 || lengths[k] < 0 || (long) offsets[k] + lengths[k] > a.length) {
                Checks.vector("arrays[" + k + "]", a, offsets[k], lengths[k]);
            }
        }
    }

    private static void adamImpl(boolean decoupled, float[] param, int paramOff, float[] grad, int gradOff, float[] m,
                                 int mOff, float[] v, int vOff, int n, float lr, float beta1, float beta2, float eps,
                                 float weightDecay, int step) {
        Checks.vector("param", param, paramOff, n);
        Checks.vector("grad", grad, gradOff, n);
        Checks.vector("m", m, mOff, n);
        Checks.vector("v", v, vOff, n);
        nonNegative("lr", lr);
        beta("beta1", beta1);
        beta("beta2", beta2);
        nonNegative("eps", eps);
        nonNegative("weightDecay", weightDecay);
        checkStep(step);
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        double decay = decoupled ? 1 - (double) lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        if (Vectorization.ENABLED) {
            AdamChunks.run(param, paramOff, grad, gradOff, m, mOff, v, vOff, n, (float) decay, (float) l2, beta1,
                    beta2, (float) stepSize, (float) (1 / bc2Sqrt), eps);
            return;
        }
        for (int i = 0; i < n; i++) {
            double p = param[paramOff + i] * decay;
            double g = grad[gradOff + i] + l2 * param[paramOff + i];
            double mi = beta1 * (double) m[mOff + i] + (1 - (double) beta1) * g;
            double vi = beta2 * (double) v[vOff + i] + (1 - (double) beta2) * g * g;
            mi = Math.abs((float) mi) < Float.MIN_NORMAL ? 0 : mi; // as the vector path: see adam
            vi = (float) vi < Float.MIN_NORMAL ? 0 : vi;
            m[mOff + i] = (float) mi;
            v[vOff + i] = (float) vi;
            param[paramOff + i] = (float) (p - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps));
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * One SGD step, PyTorch semantics:
     * <pre>
     *   d = g + weightDecay·p
     *   if momentum ≠ 0:  buf = (t == 1) ? d : momentum·buf + (1 − dampening)·d
     *                     d   = nesterov ? d + momentum·buf : buf
     *   p −= lr·d
     * </pre>
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * <p>A momentum buffer value below the smallest normal number is stored as 0, for the reason given at
     * {@link #adam}: the buffer of a weight whose gradient stays 0 decays by {@code momentum} per step into the
     * subnormal range, where x86 arithmetic is ~20× slower. The step it would make is below {@code lr·1e-37}.
     *
     * @param momentumBuffer n elements of momentum state from {@code bufferOff}; may be null when momentum is 0
     * @param step           the step count t ≥ 1 (t == 1 initialises the buffer from d, as PyTorch does)
     * @throws IllegalArgumentException for lr, momentum or weightDecay negative, infinite or NaN, dampening NaN,
     *                                  step < 1, or nesterov without momentum > 0 and dampening == 0
     */
    public static void sgd(double[] param, int paramOff, double[] grad, int gradOff, double[] momentumBuffer,
                           int bufferOff, int n, double lr, double momentum, double dampening, double weightDecay,
                           boolean nesterov, int step) {
        Checks.vector("param", param, paramOff, n);
        Checks.vector("grad", grad, gradOff, n);
        nonNegative("lr", lr);
        nonNegative("momentum", momentum);
        nonNegative("weightDecay", weightDecay);
        if (Double.isNaN(dampening)) {
            throw new IllegalArgumentException("dampening must not be NaN");
        }
        if (nesterov && (momentum <= 0 || dampening != 0)) {
            throw new IllegalArgumentException("nesterov needs momentum > 0 and dampening == 0, but momentum was "
                    + momentum + " and dampening " + dampening);
        }
        checkStep(step);
        if (momentum != 0) {
            Checks.vector("momentumBuffer", momentumBuffer, bufferOff, n);
        }
        if (Vectorization.ENABLED) {
            // in calls of ReduceKernels.CALL_BLOCK elements, so that a first call gets compiled partway
            for (int i = 0, len; i < n; i += len) { // i += len ends at n exactly: no int overflow near 2³¹
                len = Math.min(ReduceKernels.CALL_BLOCK, n - i);
                ReduceKernels.sgd(param, paramOff + i, grad, gradOff + i, momentum != 0 ? momentumBuffer : null,
                        bufferOff + i, len, lr, momentum, dampening, weightDecay, nesterov, step == 1);
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            double p = param[paramOff + i];
            double d = grad[gradOff + i];
            if (weightDecay != 0) {
                d += (double) weightDecay * p;
            }
            if (momentum != 0) {
                double buf = step == 1 ? d
                        : (double) momentum * momentumBuffer[bufferOff + i] + (1 - (double) dampening) * d;
                buf = Math.abs((double) buf) < Double.MIN_NORMAL ? 0 : buf; // as the vector path: no subnormal state
                momentumBuffer[bufferOff + i] = (double) buf;
                d = nesterov ? d + (double) momentum * buf : buf;
            }
            param[paramOff + i] = (p - (double) lr * d);
        }
    }

    /**
     * One Adam step (PyTorch {@code torch.optim.Adam}, L2 weight decay added to the gradient):
     * <pre>
     *   g = grad + weightDecay·p
     *   m = β₁·m + (1 − β₁)·g          v = β₂·v + (1 − β₂)·g²
     *   p −= (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + eps)
     * </pre>
     * Defaults: {@link #DEFAULT_ADAM_LR}, {@link #DEFAULT_BETA1}, {@link #DEFAULT_BETA2}, {@link #DEFAULT_EPS},
     * weight decay 0. {@code m} and {@code v} start as zeros.
     * <p>Moments that fall below the smallest normal number ({@code Double.MIN_NORMAL}) are stored as 0, as
     * PyTorch does under {@code torch.set_flush_denormal(True)}. A weight whose gradient stays 0 (a dead ReLU
     * unit) has moments that decay geometrically into the subnormal range and stay there, and x86 computes
     * on subnormal numbers through a microcode assist: measured here, a pass over 235k parameters with a
     * third of the moments subnormal took 4.1 ms instead of 0.19 ms. The update such a moment would make is
     * below {@code lr·1e-30}.
     * <p>Throws, and size 0: see the class comment.
     *
     * @param step the step count t ≥ 1 (the bias corrections use it)
     * @throws IllegalArgumentException for lr, eps or weightDecay negative, infinite or NaN, beta1 or beta2
     *                                  outside [0, 1) (NaN included), or step < 1
     */
    public static void adam(double[] param, int paramOff, double[] grad, int gradOff, double[] m, int mOff, double[] v,
                            int vOff, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                            int step) {
        adamImpl(false, param, paramOff, grad, gradOff, m, mOff, v, vOff, n, lr, beta1, beta2, eps, weightDecay,
                step);
    }

    /**
     * One AdamW step (PyTorch {@code torch.optim.AdamW}, decoupled weight decay): first
     * {@code p *= 1 − lr·weightDecay}, then the Adam step of {@link #adam} without the L2 term.
     * PyTorch's default weight decay here is {@link #DEFAULT_ADAMW_WEIGHT_DECAY}.
     * <p>Throws, and size 0: see the class comment.
     *
     * @throws IllegalArgumentException as {@link #adam}: for lr, eps or weightDecay negative, infinite or NaN,
     *                                  beta1 or beta2 outside [0, 1), or step < 1
     */
    public static void adamW(double[] param, int paramOff, double[] grad, int gradOff, double[] m, int mOff, double[] v,
                             int vOff, int n, double lr, double beta1, double beta2, double eps, double weightDecay,
                             int step) {
        adamImpl(true, param, paramOff, grad, gradOff, m, mOff, v, vOff, n, lr, beta1, beta2, eps, weightDecay,
                step);
    }

    /**
     * The L2 norm of all the given regions together, {@code √(Σ_k Σ_i arrays[k][offsets[k] + i]²)},
     * accumulated in double.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param arrays  the arrays (e.g. one flat gradient arena, or one array per parameter)
     * @param offsets one start offset per array
     * @param lengths one element count per array
     */
    public static double globalNorm(double[][] arrays, int[] offsets, int[] lengths) {
        checkRegions(arrays, offsets, lengths);
        return Math.sqrt(squaredSum(arrays, offsets, lengths));
    }

    /**
     * Global-norm gradient clipping ({@code clip_grad_norm_}): computes the norm N of all the regions together
     * and, if {@code maxNorm / (N + 1e-6) < 1}, scales every element by that factor. If N is NaN or ∞ the
     * arrays are left untouched (the caller can then skip the step).
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @return the norm N before clipping
     * @throws IllegalArgumentException if maxNorm is negative or NaN, or the region arrays disagree in length
     */
    public static double clipGlobalNorm(double[][] arrays, int[] offsets, int[] lengths, double maxNorm) {
        checkRegions(arrays, offsets, lengths);
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0, but was " + maxNorm);
        }
        double norm = Math.sqrt(squaredSum(arrays, offsets, lengths));
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coef = maxNorm / (norm + CLIP_EPS);
        if (coef < 1) {
            for (int k = 0; k < arrays.length; k++) {
                Blas1.scale(arrays[k], offsets[k], lengths[k], (double) coef);
            }
        }
        return norm;
    }

    private static double squaredSum(double[][] arrays, int[] offsets, int[] lengths) {
        double s = 0;
        for (int k = 0; k < arrays.length; k++) {
            s += Reductions.squaredNorm(arrays[k], offsets[k], lengths[k]);
        }
        return s;
    }

    private static void checkRegions(double[][] arrays, int[] offsets, int[] lengths) {
        Objects.requireNonNull(arrays, "arrays");
        Objects.requireNonNull(offsets, "offsets");
        Objects.requireNonNull(lengths, "lengths");
        if (offsets.length != arrays.length || lengths.length != arrays.length) {
            throw new IllegalArgumentException("arrays, offsets and lengths must have the same length, but have "
                    + arrays.length + ", " + offsets.length + " and " + lengths.length);
        }
        for (int k = 0; k < arrays.length; k++) {
            double[] a = arrays[k];
            // The label is built only for a region that fails: clipping runs every training step, allocation-free.
            if (a == null || offsets[k] < 0 || lengths[k] < 0 || (long) offsets[k] + lengths[k] > a.length) {
                Checks.vector("arrays[" + k + "]", a, offsets[k], lengths[k]);
            }
        }
    }

    private static void adamImpl(boolean decoupled, double[] param, int paramOff, double[] grad, int gradOff, double[] m,
                                 int mOff, double[] v, int vOff, int n, double lr, double beta1, double beta2, double eps,
                                 double weightDecay, int step) {
        Checks.vector("param", param, paramOff, n);
        Checks.vector("grad", grad, gradOff, n);
        Checks.vector("m", m, mOff, n);
        Checks.vector("v", v, vOff, n);
        nonNegative("lr", lr);
        beta("beta1", beta1);
        beta("beta2", beta2);
        nonNegative("eps", eps);
        nonNegative("weightDecay", weightDecay);
        checkStep(step);
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        double decay = decoupled ? 1 - (double) lr * weightDecay : 1;
        double l2 = decoupled ? 0 : weightDecay;
        if (Vectorization.ENABLED) {
            AdamChunks.run(param, paramOff, grad, gradOff, m, mOff, v, vOff, n, (double) decay, (double) l2, beta1,
                    beta2, (double) stepSize, (1 / bc2Sqrt), eps);
            return;
        }
        for (int i = 0; i < n; i++) {
            double p = param[paramOff + i] * decay;
            double g = grad[gradOff + i] + l2 * param[paramOff + i];
            double mi = beta1 * (double) m[mOff + i] + (1 - (double) beta1) * g;
            double vi = beta2 * (double) v[vOff + i] + (1 - (double) beta2) * g * g;
            mi = Math.abs((double) mi) < Double.MIN_NORMAL ? 0 : mi; // as the vector path: see adam
            vi = (double) vi < Double.MIN_NORMAL ? 0 : vi;
            m[mOff + i] = (double) mi;
            v[vOff + i] = (double) vi;
            param[paramOff + i] = (p - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps));
        }
    }
    // </double>

    /**
     * Adam's vector pass split into chunks over the default parallelism's threads. Reused per calling thread
     * (its fields hold one call's arguments), so a parallel step allocates nothing; the float and double
     * twins share it, one set of array fields being null.
     */
    private static final class AdamChunks implements Parallelism.Task {
        /**
         * Fewest elements per chunk: a chunk reads and writes ~28 bytes per element, ~30 µs at this size. (The
         * class comment quotes 2·MIN_CHUNK as the threshold for splitting.)
         */
        static final int MIN_CHUNK = 1 << 15;
        private static final ThreadLocal<AdamChunks> OF_THREAD = ThreadLocal.withInitial(AdamChunks::new);

        private float[] pf, gf, mf, vf;
        private double[] pd, gd, md, vd;
        private int pOff, gOff, mOff, vOff, n, tasks;
        private double decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps;

        static void run(float[] p, int pOff, float[] g, int gOff, float[] m, int mOff, float[] v, int vOff, int n,
                        float decay, float l2, float beta1, float beta2, float stepSize, float invBc2Sqrt, float eps) {
            AdamChunks c = OF_THREAD.get();
            c.pf = p;
            c.gf = g;
            c.mf = m;
            c.vf = v;
            c.start(pOff, gOff, mOff, vOff, n, decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps);
        }

        static void run(double[] p, int pOff, double[] g, int gOff, double[] m, int mOff, double[] v, int vOff,
                        int n, double decay, double l2, double beta1, double beta2, double stepSize,
                        double invBc2Sqrt, double eps) {
            AdamChunks c = OF_THREAD.get();
            c.pd = p;
            c.gd = g;
            c.md = m;
            c.vd = v;
            c.start(pOff, gOff, mOff, vOff, n, decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps);
        }

        /** Runs the call whose arrays were just set: in chunks when large enough, else as one chunk here. */
        private void start(int pOff, int gOff, int mOff, int vOff, int n, double decay, double l2, double beta1,
                           double beta2, double stepSize, double invBc2Sqrt, double eps) {
            Parallelism par = Parallelism.getDefault();
            int tasks = Math.max(1, Math.min(par.threads(), n / MIN_CHUNK));
            this.pOff = pOff;
            this.gOff = gOff;
            this.mOff = mOff;
            this.vOff = vOff;
            this.n = n;
            this.tasks = tasks;
            this.decay = decay; // float arguments are stored exactly as doubles and narrowed back in run
            this.l2 = l2;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.stepSize = stepSize;
            this.invBc2Sqrt = invBc2Sqrt;
            this.eps = eps;
            try {
                par.run(tasks, this); // one task runs on this thread, with no hand-off
            } finally {
                pf = gf = mf = vf = null; // keep no reference to the caller's arrays between calls
                pd = gd = md = vd = null;
            }
        }

        @Override
        public void run(int t) {
            // chunk bounds on multiples of 64 elements: whole vectors at every width
            int from = (int) ((long) n * t / tasks) & ~63;
            int to = t == tasks - 1 ? n : (int) ((long) n * (t + 1) / tasks) & ~63;
            // in calls of ReduceKernels.CALL_BLOCK elements, so that a first call gets compiled partway
            for (int i = from, len; i < to; i += len) { // i += len ends at to exactly: no int overflow near 2³¹
                len = Math.min(ReduceKernels.CALL_BLOCK, to - i);
                if (pf != null) {
                    ReduceKernels.adam(pf, pOff + i, gf, gOff + i, mf, mOff + i, vf, vOff + i, len,
                            (float) decay, (float) l2, (float) beta1, (float) beta2, (float) stepSize,
                            (float) invBc2Sqrt, (float) eps);
                } else {
                    ReduceKernels.adam(pd, pOff + i, gd, gOff + i, md, mOff + i, vd, vOff + i, len,
                            decay, l2, beta1, beta2, stepSize, invBc2Sqrt, eps);
                }
            }
        }
    }

    private static void checkStep(int step) {
        if (step < 1) {
            throw new IllegalArgumentException("step must be >= 1 (the first step is 1), but was " + step);
        }
    }

    private static void nonNegative(String name, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be finite and >= 0, but was " + value);
        }
    }

    private static void beta(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(name + " must be in [0, 1), but was " + value);
        }
    }
}
