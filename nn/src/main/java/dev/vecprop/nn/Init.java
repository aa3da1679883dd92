package dev.vecprop.nn;

/**
 * How a parameter's first values are drawn (from the model's seed; see {@link Model}). {@code fanIn} and
 * {@code fanOut} come from the {@link Parameter}.
 */
public enum Init {
    /** All zeros (biases, LayerNorm β). */
    ZEROS,
    /** All ones (LayerNorm γ). */
    ONES,
    /** He/Kaiming normal: N(0, 2/fanIn), for layers followed by ReLU. */
    HE_NORMAL,
    /** He/Kaiming uniform: U(±√(6/fanIn)). */
    HE_UNIFORM,
    /** Xavier/Glorot normal: N(0, 2/(fanIn+fanOut)), for tanh/sigmoid networks. */
    XAVIER_NORMAL,
    /** Xavier/Glorot uniform: U(±√(6/(fanIn+fanOut))). */
    XAVIER_UNIFORM
}
