package dev.vecprop.nn;

import java.util.List;

/**
 * A differentiable function with a hand-written backward pass.
 *
 * <p>Contract, for implementers and callers alike:
 * <ul>
 *   <li>{@link #forward} computes the output for input {@code x} (rows × features, see {@link Tensor}) and
 *       stores what backward needs in {@code ctx} ({@link Context#state}). The layer itself keeps no per-call
 *       state, so inference forwards may run from many threads at once, each with its own context. A backward
 *       adds into the model's one gradient arena: train from one thread at a time (the kernels underneath
 *       may use several, see {@link dev.vecprop.kernels.Parallelism}).</li>
 *   <li>{@link #backward} takes {@code dy = ∂L/∂y} for the output of the <em>last</em> forward with the same
 *       context, <strong>adds</strong> {@code ∂L/∂θ} into the gradient of each of its parameters (so the
 *       gradients of several batches sum up; zero them with {@link Model#zeroGrad()}), and returns
 *       {@code dx = ∂L/∂x} (overwritten, not accumulated). A layer instance appears once in a model
 *       ({@link Model} refuses one that appears twice).</li>
 *   <li>Both return workspaces of {@code ctx}, valid until the next call through this layer with that context.</li>
 *   <li>The dtype of {@code x} must equal the dtype of the model's parameters; a float64 model runs the same code
 *       through the float64 kernels.</li>
 *   <li>Bad input (wrong feature count, dtype mix, a backward without forward, {@code dy} of another shape than
 *       the output) throws {@link IllegalArgumentException} or {@link IllegalStateException} naming expected and
 *       actual shapes, before any gradient is touched.</li>
 * </ul>
 * Parameters are declared by {@link #parameters()} and become usable when a {@link Model} binds them to its
 * arena; forward on a layer whose parameters are not bound throws {@link IllegalStateException}.
 */
public interface Layer {

    /**
     * Forward pass.
     *
     * @param x    input, rows × {@code inputFeatures}
     * @param ctx  the caller's context (one per thread)
     * @param mode training or inference
     * @return the output (a workspace of {@code ctx})
     */
    Tensor forward(Tensor x, Context ctx, Mode mode);

    /**
     * Backward pass for the last forward with {@code ctx}: adds parameter gradients, returns dx.
     *
     * @param dy gradient of the loss with respect to the output of that forward (same shape)
     * @param ctx the context the forward used
     * @return the gradient with respect to that forward's input (a workspace of {@code ctx})
     */
    Tensor backward(Tensor dy, Context ctx);

    /**
     * Like {@link #backward}, for a layer whose input needs no gradient (the first layer of a model): adds the
     * parameter gradients and may skip computing dx — for a first {@link Linear} that saves the largest GEMM of
     * the backward pass. The default calls {@link #backward} and drops dx.
     *
     * @param dy  gradient of the loss with respect to the output of the last forward with {@code ctx}
     * @param ctx the context the forward used
     */
    default void backwardParameters(Tensor dy, Context ctx) {
        backward(dy, ctx);
    }

    /**
     * Checks, writing nothing, that {@link #backward}{@code (dy, ctx)} would be accepted — a forward state is
     * present in {@code ctx} and {@code dy} matches that forward's output — and returns a tensor shaped like the
     * dx that backward would return (the input of that forward). Containers ({@link Sequential},
     * {@link Residual}) call it for every layer before any layer adds a gradient, so a refused backward leaves
     * every gradient untouched.
     *
     * <p>The default returns null, meaning "cannot tell without running": a container then checks the layers
     * after this one only, and this layer must refuse in {@link #backward} before touching a gradient.
     *
     * @return a tensor of dx's dtype and shape (not to be written), or null
     * @throws IllegalArgumentException if dy does not match the output of the last forward
     * @throws IllegalStateException    if there was no forward with this context
     */
    default Tensor checkBackward(Tensor dy, Context ctx) {
        return null;
    }

    /** This layer's own parameters (not its children's), in a fixed order. Empty by default. */
    default List<Parameter> parameters() {
        return List.of();
    }

    /** The layers inside this one (Sequential, Residual), in a fixed order. Empty by default. */
    default List<Layer> children() {
        return List.of();
    }
}
