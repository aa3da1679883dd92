package dev.vecprop.nn;

import java.util.List;
import java.util.Objects;

/**
 * Layers applied one after another; backward runs them in reverse. Parameters of layer {@code i} are named
 * {@code "i.…"} (PyTorch's {@code nn.Sequential} naming). Holds no per-call state.
 */
public final class Sequential implements Layer {
    private final List<Layer> layers;
    private final Layer[] array;

    /**
     * @param layers at least one layer, none null
     * @throws IllegalArgumentException if there is no layer
     * @throws NullPointerException     if {@code layers} or one of them is null (the message gives its index)
     */
    public Sequential(Layer... layers) {
        Objects.requireNonNull(layers, "layers");
        if (layers.length == 0) {
            throw new IllegalArgumentException("Sequential needs at least one layer");
        }
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == null) {
                throw new NullPointerException("Sequential: layer " + i + " of " + layers.length + " is null");
            }
        }
        this.layers = List.of(layers);
        this.array = layers.clone();
    }

    /** @return the layers in order (unmodifiable) */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public List<Layer> children() {
        return layers;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        Tensor h = x;
        for (Layer l : array) {
            h = l.forward(h, ctx, mode);
        }
        return h;
    }

    /** Checks every layer, last to first, each against the dx shape the next one would return. */
    @Override
    public Tensor checkBackward(Tensor dy, Context ctx) {
        Tensor g = dy;
        for (int i = array.length - 1; i >= 0 && g != null; i--) {
            g = array[i].checkBackward(g, ctx);
        }
        return g;
    }

    /** Validates the whole chain ({@link #checkBackward}) before the first layer adds a gradient. */
    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        checkBackward(dy, ctx);
        Tensor g = dy;
        for (int i = array.length - 1; i >= 0; i--) {
            g = array[i].backward(g, ctx);
        }
        return g;
    }

    /** Backward through all layers; the first one only adds its parameter gradients (no dx). */
    @Override
    public void backwardParameters(Tensor dy, Context ctx) {
        checkBackward(dy, ctx);
        Tensor g = dy;
        for (int i = array.length - 1; i >= 1; i--) {
            g = array[i].backward(g, ctx);
        }
        array[0].backwardParameters(g, ctx);
    }

    @Override
    public String toString() {
        return "Sequential" + layers;
    }
}
