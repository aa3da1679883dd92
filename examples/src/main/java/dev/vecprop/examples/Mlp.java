package dev.vecprop.examples;

import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Init;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Residual;
import dev.vecprop.nn.Sequential;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The networks of the CLI, built from nn layers.
 *
 * @param inputs     features in (784 for Fashion-MNIST)
 * @param hidden     widths of the hidden layers, input side first
 * @param activation relu, gelu, tanh or sigmoid (after every hidden layer)
 * @param classes    outputs (logits)
 */
record Mlp(int inputs, int[] hidden, String activation, int classes) {
    static final List<String> ACTIVATIONS = List.of("relu", "gelu", "tanh", "sigmoid");

    Mlp {
        hidden = hidden.clone();
        if (!ACTIVATIONS.contains(activation)) {
            throw new IllegalArgumentException("unknown activation '" + activation + "', expected one of " + ACTIVATIONS);
        }
    }

    /** A multilayer perceptron: {@code Linear → act} for each hidden width, then a {@code Linear} to the logits. */
    Layer build() {
        List<Layer> layers = new ArrayList<>();
        int in = inputs;
        for (int h : hidden) {
            layers.add(new Linear(in, h, initFor(activation), true));
            layers.add(activation(activation));
            in = h;
        }
        // the output layer feeds softmax, not an activation: Xavier keeps the first logits small
        layers.add(new Linear(in, classes, Init.XAVIER_NORMAL, true));
        return new Sequential(layers.toArray(Layer[]::new));
    }

    /** "784-256-128-10 relu": the form written into model files and parsed back by {@link #parse}. */
    String describe() {
        StringBuilder s = new StringBuilder().append(inputs);
        for (int h : hidden) {
            s.append('-').append(h);
        }
        return s.append('-').append(classes).append(' ').append(activation).toString();
    }

    /**
     * Parses {@link #describe()}'s form.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static Mlp parse(String text) {
        String[] parts = text.trim().split(" ");
        if (parts.length != 2) {
            throw new IllegalArgumentException("architecture '" + text + "' is not of the form 784-256-128-10 relu");
        }
        String[] sizes = parts[0].split("-");
        if (sizes.length < 2) {
            throw new IllegalArgumentException("architecture '" + text + "' needs at least inputs and classes");
        }
        int[] n = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            try {
                n[i] = Integer.parseInt(sizes[i]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("architecture '" + text + "': '" + sizes[i] + "' is not a width");
            }
            if (n[i] < 1) {
                throw new IllegalArgumentException("architecture '" + text + "': width " + n[i] + " is not positive");
            }
        }
        return new Mlp(n[0], Arrays.copyOfRange(n, 1, n.length - 1), parts[1].toLowerCase(Locale.ROOT),
                n[n.length - 1]);
    }

    /**
     * A deep, narrow MLP to watch gradients: {@code Linear(inputs → width)}, then {@code depth} hidden blocks
     * {@code [LayerNorm] → Linear(width → width) → act}, each wrapped as {@code x + block(x)} when residual,
     * then (with layer norm) a final {@code LayerNorm} and {@code Linear(width → classes)}.
     */
    static Layer deep(int inputs, int width, int depth, String activation, boolean residual, boolean layerNorm,
            int classes) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Linear(inputs, width, Init.XAVIER_NORMAL, true));
        for (int i = 0; i < depth; i++) {
            Layer linear = new Linear(width, width, initFor(activation), true);
            Layer block = layerNorm ? new Sequential(new LayerNorm(width), linear, activation(activation))
                    : new Sequential(linear, activation(activation));
            layers.add(residual ? new Residual(block) : block);
        }
        if (layerNorm) {
            // a residual stream grows with depth; normalizing it before the head keeps the first logits small
            layers.add(new LayerNorm(width));
        }
        layers.add(new Linear(width, classes, Init.XAVIER_NORMAL, true));
        return new Sequential(layers.toArray(Layer[]::new));
    }

    static Layer activation(String name) {
        return switch (name) {
            case "relu" -> Activation.relu();
            case "gelu" -> Activation.gelu();
            case "tanh" -> Activation.tanh();
            case "sigmoid" -> Activation.sigmoid();
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'");
        };
    }

    /** He for the ReLU family (keeps the variance through half-zeroed outputs), Xavier for tanh and sigmoid. */
    static Init initFor(String activation) {
        return activation.equals("relu") || activation.equals("gelu") ? Init.HE_NORMAL : Init.XAVIER_NORMAL;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp m && m.inputs == inputs && Arrays.equals(m.hidden, hidden)
                && m.activation.equals(activation) && m.classes == classes;
    }

    @Override
    public int hashCode() {
        return describe().hashCode();
    }

    @Override
    public String toString() {
        return describe();
    }
}
