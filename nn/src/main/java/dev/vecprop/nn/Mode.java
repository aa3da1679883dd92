package dev.vecprop.nn;

/** Whether a forward pass is part of training (Dropout active) or inference (Dropout is the identity). */
public enum Mode {
    /** Training: stochastic layers draw their masks; the context keeps what backward needs. */
    TRAIN,
    /** Inference: deterministic; every stochastic layer is the identity. */
    INFERENCE
}
