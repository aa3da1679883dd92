package dev.vecprop.nn;

import java.util.Objects;

/**
 * A named, trainable tensor of a layer: a view into its model's flat value arena, and the same view into the
 * gradient arena (same layout), so optimizer steps, zeroing, clipping and saving are one pass over each arena.
 *
 * <p>A layer creates its parameters unbound, with a local name ({@code "weight"}), shape, fan-in/fan-out and
 * {@link Init}. A {@link Model} then binds each one once: it gets its full name (the path in the model, like
 * PyTorch's {@code state_dict} keys: {@code "0.weight"}, {@code "2.1.bias"}), its place in the arenas and its
 * first values. A parameter belongs to at most one model.
 *
 * <p>Thread-safety: binding happens once, in the model's constructor; afterwards the views are fixed. Reading
 * values from many threads is safe while nobody trains.
 */
public final class Parameter {
    private final String localName;
    private final int[] shape;
    private final int size;
    private final int fanIn;
    private final int fanOut;
    private final Init init;

    private Model model;
    private String name;
    private int offset;
    private Tensor value;
    private Tensor grad;
    /**
     * True only inside {@link Model#computeGradients}: the gradient region still holds the previous pass and
     * counts as zero. The first writer either overwrites all of it ({@link #takeGradBeta()}, e.g. a GEMM with
     * β = 0) or zeroes it first ({@link #grad()}); the model zeroes whatever nobody wrote before the call returns.
     */
    private boolean gradPendingZero;

    /**
     * An unbound parameter.
     *
     * @param localName name inside its layer, e.g. {@code "weight"}; no dots
     * @param init      how its first values are drawn
     * @param fanIn     inputs feeding each output (for He/Xavier), >= 1
     * @param fanOut    outputs each input feeds (for Xavier), >= 1
     * @param shape     its shape, e.g. {@code out, in} for a Linear weight
     */
    public Parameter(String localName, Init init, int fanIn, int fanOut, int... shape) {
        Objects.requireNonNull(localName, "localName");
        if (localName.isEmpty() || localName.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a parameter's local name must be non-empty without dots, but was '"
                    + localName + "'");
        }
        if (fanIn < 1 || fanOut < 1) {
            throw new IllegalArgumentException("fanIn and fanOut must be >= 1, but were " + fanIn + " and " + fanOut);
        }
        this.localName = localName;
        this.init = Objects.requireNonNull(init, "init");
        this.fanIn = fanIn;
        this.fanOut = fanOut;
        this.shape = shape.clone();
        long n = 1;
        for (int s : this.shape) {
            if (s < 1) {
                throw new IllegalArgumentException("parameter '" + localName + "' must have dimensions >= 1, but its shape is "
                        + Tensor.shapeString(this.shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("parameter '" + localName + "' is too large: " + n + " elements");
        }
        this.size = (int) n;
    }

    /** @return the name inside its layer, e.g. {@code "weight"} */
    public String localName() {
        return localName;
    }

    /** @return the full name in its model (e.g. {@code "0.weight"}); the local name while unbound */
    public String name() {
        return name != null ? name : localName;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return inputs feeding each output */
    public int fanIn() {
        return fanIn;
    }

    /** @return outputs each input feeds */
    public int fanOut() {
        return fanOut;
    }

    /** @return how its first values are drawn */
    public Init init() {
        return init;
    }

    /** @return true once a model has bound it */
    public boolean isBound() {
        return model != null;
    }

    /** @return where this parameter starts in its model's value and gradient arenas */
    public int offset() {
        requireBound();
        return offset;
    }

    /**
     * The values: a view into the model's value arena.
     *
     * @throws IllegalStateException if no model has bound this parameter yet
     */
    public Tensor value() {
        requireBound();
        return value;
    }

    /**
     * The gradient: a view into the model's gradient arena, same shape and layout as {@link #value()}.
     *
     * @throws IllegalStateException if no model has bound this parameter yet
     */
    public Tensor grad() {
        requireBound();
        if (gradPendingZero) {
            clearPendingGrad();
        }
        return grad;
    }

    /**
     * For a layer about to write this parameter's whole gradient with one {@code beta}-scaled kernel call
     * ({@code grad = contribution + beta·grad}, e.g. {@code dW = dyᵀ·x + β·dW}): 0 if the region counts as
     * zero (the call then overwrites it without reading; the region no longer counts as zero), else 1
     * (accumulate). Use the region through {@link #gradRegion()} afterwards, not {@link #grad()}.
     */
    double takeGradBeta() {
        requireBound();
        if (gradPendingZero) {
            gradPendingZero = false;
            return 0.0;
        }
        return 1.0;
    }

    /** The gradient view without zeroing a pending region: only after {@link #takeGradBeta()}. */
    Tensor gradRegion() {
        return grad;
    }

    /** Marks the gradient region as zero without writing it (see {@link Model#computeGradients}). */
    void markGradPendingZero() {
        requireBound();
        gradPendingZero = true;
    }

    /** Zeroes the gradient region if it is still pending. */
    void clearPendingGrad() {
        if (gradPendingZero) {
            Kern.fill(grad, 0.0);
            gradPendingZero = false;
        }
    }

    private void requireBound() {
        if (model == null) {
            throw new IllegalStateException("parameter '" + localName + "' is not part of a model yet: wrap its layer"
                    + " in new Model(layer, dtype, seed) before running it");
        }
    }

    void bind(Model owner, String fullName, int at, Tensor valueArena, Tensor gradArena) {
        if (model != null) {
            throw new IllegalArgumentException("parameter '" + name + "' already belongs to a model; a layer instance"
                    + " can be part of only one model (and only once in it)");
        }
        model = owner;
        name = fullName;
        offset = at;
        value = slice(valueArena, at);
        grad = slice(gradArena, at);
    }

    private Tensor slice(Tensor arena, int at) {
        return arena.dtype() == DType.F32 ? Tensor.wrap(arena.floats(), at, shape)
                : Tensor.wrap(arena.doubles(), at, shape);
    }

    @Override
    public String toString() {
        return "Parameter " + name() + Tensor.shapeString(shape);
    }
}
