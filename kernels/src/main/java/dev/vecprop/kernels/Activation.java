package dev.vecprop.kernels;

/**
 * The pointwise activations, for callers that pick one at run time (a layer's configuration) and call
 * {@link Activations#apply}, {@link Activations#backward} or the fused bias kernels
 * {@link Activations#biasActivation} / {@link Activations#biasActivationBackward}.
 *
 * <p>Each backward needs one cached tensor: the activation's <em>input</em> z, or, for {@link #SIGMOID}
 * and {@link #TANH}, its <em>output</em> y (their derivatives are cheapest from y, and the layer then needs
 * no copy of z). {@link #backwardUsesOutput()} says which.
 */
public enum Activation {
    /** f(z) = z. */
    IDENTITY(false),
    /** f(z) = max(z, 0). Backward takes z (y works as well: y > 0 exactly when z > 0). */
    RELU(false),
    /** f(z) = z for z ≥ 0, {@link #LEAKY_RELU_ALPHA}·z below (PyTorch's default slope). */
    LEAKY_RELU(false),
    /** f(z) = 1/(1 + e^−z). Backward takes the output y. */
    SIGMOID(true),
    /** f(z) = tanh z. Backward takes the output y. */
    TANH(true),
    /** GELU, tanh approximation (PyTorch {@code approximate='tanh'}). */
    GELU(false),
    /** GELU, exact erf form (PyTorch's default {@code approximate='none'}). */
    GELU_ERF(false),
    /** SiLU / swish: z·σ(z). */
    SILU(false),
    /** softplus: log(1 + e^z). */
    SOFTPLUS(false);

    /** The negative slope {@link #LEAKY_RELU} uses (PyTorch's default); other slopes: {@link Activations#leakyRelu}. */
    public static final double LEAKY_RELU_ALPHA = 0.01;

    private final boolean backwardUsesOutput;

    Activation(boolean backwardUsesOutput) {
        this.backwardUsesOutput = backwardUsesOutput;
    }

    /**
     * @return true if the backward kernels of this activation take the forward output y as their cached
     *         tensor, false if they take the forward input z
     */
    public boolean backwardUsesOutput() {
        return backwardUsesOutput;
    }
}
