package dev.vecprop.nn;

import java.util.IdentityHashMap;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Per-call state of a forward/backward pass, owned by the caller: one context per thread.
 *
 * <p>Layers keep nothing about a call in themselves. What backward needs (inputs, outputs, statistics) and the
 * workspaces outputs are written into live here, one state object per layer, made on the first forward and
 * reused afterwards — so after the first batch no pass allocates, and one model serves many threads at once
 * when each thread has its own context.
 *
 * <p>The tensors a layer returns from forward and backward are workspaces of this context: they stay valid
 * until the next forward (or backward) through the same layer with the same context. Inputs passed to
 * forward are referenced, not copied: do not change them before the matching backward.
 *
 * <p>{@link #step()} is a counter stochastic layers mix into their seed (Dropout draws a new mask for every
 * step); the trainer advances it once per training step. Not thread-safe: one context per thread.
 */
public final class Context {
    private final IdentityHashMap<Object, Object> states = new IdentityHashMap<>();
    private long step;

    /** A new, empty context (step 0). */
    public Context() {
    }

    /**
     * The state object {@code owner} keeps in this context, made with {@code factory} the first time.
     * Pass a constructor reference ({@code MyState::new}) so no lambda is allocated per call.
     *
     * @param owner   the layer (or loss) the state belongs to, compared by identity
     * @param factory makes the state on first use
     * @param <T>     the state type, which must be the same for every call with this owner
     */
    @SuppressWarnings("unchecked")
    public <T> T state(Object owner, Supplier<T> factory) {
        Object s = states.get(Objects.requireNonNull(owner, "owner"));
        if (s == null) {
            s = Objects.requireNonNull(factory.get(), "factory returned null");
            states.put(owner, s);
        }
        return (T) s;
    }

    /** The state {@code owner} has stored here, or null if it has not run forward with this context. */
    @SuppressWarnings("unchecked")
    public <T> T stateIfPresent(Object owner) {
        return (T) states.get(owner);
    }

    /** @return the step counter stochastic layers mix into their seeds */
    public long step() {
        return step;
    }

    /** Sets the step counter (e.g. to replay a Dropout mask in a gradient check). */
    public void setStep(long step) {
        this.step = step;
    }

    /** Drops every state and workspace (they are remade on the next forward). */
    public void clear() {
        states.clear();
    }
}
