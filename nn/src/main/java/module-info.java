/**
 * vecprop nn: layers that pair a forward with a hand-written backward, losses, optimizers, a trainer and
 * safetensors model files. Loops over elements live in {@code dev.vecprop.kernels}, not here.
 */
module dev.vecprop.nn {
    requires transitive dev.vecprop.kernels;

    exports dev.vecprop.nn;
}
