package dev.vecprop.nn;

/**
 * AdamW (Loshchilov &amp; Hutter): Adam with decoupled weight decay, {@code θ *= 1 − lr·wd} before the Adam
 * update, with PyTorch's defaults (β1 0.9, β2 0.999, ε 1e-8, weight decay 0.01).
 */
public final class AdamW extends Optimizer {
    private final Adam inner;

    /** AdamW at a constant rate with PyTorch's defaults (weight decay 0.01). */
    public AdamW(double lr) {
        this(LearningRate.constant(lr), 0.9, 0.999, 1e-8, 0.01);
    }

    /** AdamW with every setting given; throws as {@link Adam#Adam(LearningRate, double, double, double, double)}. */
    public AdamW(LearningRate lr, double beta1, double beta2, double eps, double weightDecay) {
        super(lr);
        inner = new Adam(lr, beta1, beta2, eps, weightDecay, true);
    }

    @Override
    void allocate(Model model) {
        inner.allocate(model);
    }

    @Override
    void update(Tensor values, Tensor grads, double lr, long t) {
        inner.update(values, grads, lr, t);
    }
}
