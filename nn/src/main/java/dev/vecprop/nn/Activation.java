package dev.vecprop.nn;

/**
 * An elementwise activation layer: ReLU, LeakyReLU, GELU (tanh approximation or exact), Tanh, Sigmoid, SiLU,
 * Softplus, computed by the {@code dev.vecprop.kernels.Activations} kernels.
 * Any input shape; the output has the same shape. Backward {@code dx = dy ⊙ f′(x)}. No parameters, no per-call
 * state in the layer; instances are immutable. Use a new instance for each place in a model (its context state
 * is keyed by the instance).
 */
public final class Activation implements Layer {
    private final dev.vecprop.kernels.Activation act;
    private final double alpha;
    private final String label;

    private static final class State {
        Tensor x;
        Tensor y;
        Tensor dx;
    }

    private Activation(dev.vecprop.kernels.Activation act, double alpha, String label) {
        this.act = act;
        this.alpha = alpha;
        this.label = label;
    }

    /** {@code max(x, 0)}. */
    public static Activation relu() {
        return new Activation(dev.vecprop.kernels.Activation.RELU, 0, "ReLU");
    }

    /**
     * {@code x > 0 ? x : α·x}.
     *
     * @param alpha slope for negative inputs (PyTorch's default is 0.01); finite
     */
    public static Activation leakyRelu(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("LeakyReLU alpha must be finite, but was " + alpha);
        }
        return new Activation(dev.vecprop.kernels.Activation.LEAKY_RELU, alpha, "LeakyReLU(" + alpha + ")");
    }

    /** GELU, tanh approximation: {@code 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³)))}. */
    public static Activation gelu() {
        return new Activation(dev.vecprop.kernels.Activation.GELU, 0, "GELU");
    }

    /** GELU, exact form {@code x·Φ(x)} (PyTorch's default {@code approximate='none'}). */
    public static Activation geluExact() {
        return new Activation(dev.vecprop.kernels.Activation.GELU_ERF, 0, "GELU(exact)");
    }

    /** {@code tanh(x)}. */
    public static Activation tanh() {
        return new Activation(dev.vecprop.kernels.Activation.TANH, 0, "Tanh");
    }

    /** {@code 1 / (1 + e^{−x})}. */
    public static Activation sigmoid() {
        return new Activation(dev.vecprop.kernels.Activation.SIGMOID, 0, "Sigmoid");
    }

    /** SiLU / swish: {@code x·σ(x)}. */
    public static Activation silu() {
        return new Activation(dev.vecprop.kernels.Activation.SILU, 0, "SiLU");
    }

    /** {@code log(1 + e^x)}. */
    public static Activation softplus() {
        return new Activation(dev.vecprop.kernels.Activation.SOFTPLUS, 0, "Softplus");
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        if (x == null) {
            throw new NullPointerException(label + ": input is null");
        }
        State st = ctx.state(this, State::new);
        Tensor y = Tensor.workspace(st.y, x);
        st.y = y;
        st.x = x;
        Kern.activation(act, alpha, x, y);
        return y;
    }

    @Override
    public Tensor checkBackward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        return st.x;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        Tensor dx = Tensor.workspace(st.dx, dy);
        st.dx = dx;
        Kern.activationBackward(act, alpha, st.x, st.y, dy, dx);
        return dx;
    }

    /** No parameters: nothing to do (only checks dy). */
    @Override
    public void backwardParameters(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
    }

    @Override
    public String toString() {
        return label;
    }
}
