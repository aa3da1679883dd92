package dev.vecprop.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Init;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Residual;
import dev.vecprop.nn.Sequential;

/**
 * A generated small network: {@code depth} blocks, each a Linear to a random width, optionally a LayerNorm
 * (only on a width of 2 or more), then an activation, optionally wrapped in a Residual (then the block keeps
 * its width). A description, not the layers: {@link #build()} makes fresh layers each time (a layer instance
 * belongs to one model).
 *
 * @param batch  rows of the input to use with it
 * @param in     input features
 * @param widths output width of each block
 * @param acts   activation of each block, by name (see {@link #activation})
 * @param norm   whether each block has a LayerNorm after its Linear
 * @param skip   whether each block is wrapped in a Residual
 */
public record Network(int batch, int in, int[] widths, String[] acts, boolean[] norm, boolean[] skip) implements Sized {

    /** Names of the activations {@link #draw} picks from. */
    public static final List<String> ACTIVATIONS =
            List.of("relu", "leakyRelu", "gelu", "geluExact", "tanh", "sigmoid", "silu", "softplus");

    /** Smooth activations only (no kink): every gradient check element is then well defined. */
    public static final List<String> SMOOTH_ACTIVATIONS = List.of("gelu", "geluExact", "tanh", "sigmoid", "silu", "softplus");

    /**
     * A network of depth 1–4, widths from {@link Rng#dim(int) dim(maxWidth)}, random activations from
     * {@code activations}, Residual with probability 1/3 per block, and LayerNorm with probability 1/3 per block
     * of width 2 or more (a LayerNorm over one feature outputs its β whatever its input, so nothing before it
     * would be checked). The output width may be 1; {@link #draw(Rng, int, List, int)} sets a minimum.
     */
    public static Network draw(Rng rng, int maxWidth, List<String> activations) {
        return draw(rng, maxWidth, activations, 1);
    }

    /**
     * As {@link #draw(Rng, int, List)}, with at least {@code minOut} output features, e.g. 2 for a network under
     * cross-entropy (over one class the loss is identically 0 and so is every gradient). The last block is then
     * not a Residual when the width it would keep is below {@code minOut}. With {@code minOut = 1} it draws the
     * same networks as the three-argument form.
     *
     * @throws IllegalArgumentException if {@code minOut} is not in [1, maxWidth]
     */
    public static Network draw(Rng rng, int maxWidth, List<String> activations, int minOut) {
        if (minOut < 1 || minOut > maxWidth) {
            throw new IllegalArgumentException("minOut must be in [1, maxWidth=" + maxWidth + "], but was " + minOut);
        }
        int depth = rng.between(1, 4);
        int[] widths = new int[depth];
        String[] acts = new String[depth];
        boolean[] norm = new boolean[depth];
        boolean[] skip = new boolean[depth];
        int in = rng.dim(maxWidth);
        int width = in;
        for (int i = 0; i < depth; i++) {
            int min = i == depth - 1 ? minOut : 1;
            skip[i] = rng.chance(1.0 / 3) && width >= min;
            widths[i] = skip[i] ? width : rng.dim(min, maxWidth);
            // the draw is made whatever the width, so every later draw stays where it was
            norm[i] = rng.chance(1.0 / 3) && widths[i] >= 2;
            acts[i] = activations.get(rng.nextInt(activations.size()));
            width = widths[i];
        }
        return new Network(rng.dim(17), in, widths, acts, norm, skip);
    }

    /** @return the number of output features */
    public int out() {
        return widths[widths.length - 1];
    }

    /** @return fresh layers for this description (parameters unbound) */
    public Sequential build() {
        List<Layer> blocks = new ArrayList<>();
        int width = in;
        for (int i = 0; i < widths.length; i++) {
            List<Layer> block = new ArrayList<>();
            block.add(new Linear(width, widths[i], Init.XAVIER_NORMAL, true));
            if (norm[i]) {
                block.add(new LayerNorm(widths[i]));
            }
            block.add(activation(acts[i]).get());
            Layer b = block.size() == 1 ? block.get(0) : new Sequential(block.toArray(Layer[]::new));
            blocks.add(skip[i] ? new Residual(b) : b);
            width = widths[i];
        }
        return new Sequential(blocks.toArray(Layer[]::new));
    }

    /** @return a factory of the named activation: one of {@link #ACTIVATIONS} */
    public static Supplier<Layer> activation(String name) {
        return switch (name) {
            case "relu" -> Activation::relu;
            case "leakyRelu" -> () -> Activation.leakyRelu(0.1);
            case "gelu" -> Activation::gelu;
            case "geluExact" -> Activation::geluExact;
            case "tanh" -> Activation::tanh;
            case "sigmoid" -> Activation::sigmoid;
            case "silu" -> Activation::silu;
            case "softplus" -> Activation::softplus;
            default -> throw new IllegalArgumentException("unknown activation '" + name + "'; known: " + ACTIVATIONS);
        };
    }

    /** @return batch × (parameters + activations), a rough measure of a check's cost */
    @Override
    public long size() {
        long s = 0;
        int width = in;
        for (int w : widths) {
            s += (long) width * w + w;
            width = w;
        }
        return s * batch;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("batch=" + batch + " " + in);
        for (int i = 0; i < widths.length; i++) {
            sb.append(" →").append(skip[i] ? "res(" : "").append(widths[i]).append(norm[i] ? " LN " : " ")
                    .append(acts[i]).append(skip[i] ? ")" : "");
        }
        return sb.toString();
    }
}
