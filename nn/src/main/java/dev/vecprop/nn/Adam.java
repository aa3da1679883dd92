package dev.vecprop.nn;

/**
 * Adam (Kingma &amp; Ba) with PyTorch's semantics and defaults (β1 0.9, β2 0.999, ε 1e-8, weight decay 0 as an
 * L2 term added to the gradient), bias-corrected:
 * {@code m = β1·m + (1−β1)·g; v = β2·v + (1−β2)·g²; θ −= lr·m̂/(√v̂ + ε)}. For decoupled weight decay use
 * {@link AdamW}. Moments are kept in the model's dtype.
 */
public final class Adam extends Optimizer {
    final double beta1;
    final double beta2;
    final double eps;
    final double weightDecay;
    private final boolean decoupled;
    private Tensor m;
    private Tensor v;

    /** Adam at a constant rate with PyTorch's defaults. */
    public Adam(double lr) {
        this(LearningRate.constant(lr), 0.9, 0.999, 1e-8, 0);
    }

    /**
     * Adam with every setting given; {@code weightDecay} is L2 added to the gradient.
     *
     * @throws IllegalArgumentException if beta1 or beta2 is outside [0, 1), or eps or weightDecay is negative,
     *                                  infinite or NaN. A float32 model runs the kernel with the settings rounded
     *                                  to float: one that rounds out of range there (beta1 = 0.99999999999 rounds
     *                                  to 1, eps = 1e300 to infinity) is refused by the first {@link #step},
     *                                  before any parameter changes.
     */
    public Adam(LearningRate lr, double beta1, double beta2, double eps, double weightDecay) {
        this(lr, beta1, beta2, eps, weightDecay, false);
    }

    Adam(LearningRate lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
        super(lr);
        checkBeta("beta1", beta1);
        checkBeta("beta2", beta2);
        // PyTorch's rule (0 <= eps) as the kernel applies it (Updates: finite and >= 0), so a bad value fails
        // here, not at the first step (except a value that only float rounding puts out of range, see above)
        checkNonNegative("eps", eps);
        checkNonNegative("weightDecay", weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
    }

    @Override
    void allocate(Model model) {
        m = Tensor.zeros(model.dtype(), model.parameterCount());
        v = Tensor.zeros(model.dtype(), model.parameterCount());
    }

    @Override
    void update(Tensor values, Tensor grads, double lr, long t) {
        Kern.adam(values, grads, m, v, lr, beta1, beta2, eps, weightDecay, decoupled, t);
    }
}
