package dev.vecprop.nn;

/**
 * Stochastic gradient descent with PyTorch's semantics (dampening 0): {@code g = ∇ + wd·θ};
 * with momentum μ: {@code b = μ·b + g} ({@code b = g} on the first step) and {@code g = b}, or
 * {@code g = g + μ·b} with Nesterov; then {@code θ −= lr·g}.
 */
public final class Sgd extends Optimizer {
    private final double momentum;
    private final boolean nesterov;
    private final double weightDecay;
    private Tensor buffer;

    /** Plain SGD at a constant rate. */
    public Sgd(double lr) {
        this(LearningRate.constant(lr), 0, false, 0);
    }

    /**
     * @param lr          the schedule
     * @param momentum    μ >= 0
     * @param nesterov    Nesterov momentum (needs μ > 0)
     * @param weightDecay L2 coefficient added to the gradient, >= 0
     */
    public Sgd(LearningRate lr, double momentum, boolean nesterov, double weightDecay) {
        super(lr);
        checkNonNegative("momentum", momentum);
        checkNonNegative("weightDecay", weightDecay);
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("Nesterov momentum needs momentum > 0");
        }
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
    }

    @Override
    void allocate(Model model) {
        buffer = Tensor.zeros(model.dtype(), momentum != 0 ? model.parameterCount() : 0);
    }

    @Override
    void update(Tensor values, Tensor grads, double lr, long t) {
        Kern.sgd(values, grads, buffer, lr, momentum, nesterov, weightDecay, t);
    }
}
