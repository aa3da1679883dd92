package dev.vecprop.nn;

/**
 * Inverted dropout: in {@link Mode#TRAIN} each element is zeroed with probability {@code p} and the rest are
 * scaled by {@code 1/(1−p)}; in {@link Mode#INFERENCE} it is the identity (returns its input).
 *
 * <p>The mask is a pure function of ({@code seed}, {@link Context#step()}, element index): the same seed and step
 * give the same mask on any thread, so training is reproducible and a gradient check can replay a mask by
 * keeping the step fixed. Backward: {@code dx = dy ⊙ mask}.
 */
public final class Dropout implements Layer {
    private final double p;
    private final long seed;
    private final String label;

    private static final class State {
        final Rng rng = new Rng(0);
        boolean identity;
        Tensor x;
        Tensor y;
        Tensor mask;
        Tensor dx;
    }

    /**
     * @param p    drop probability in [0, 1)
     * @param seed seed of the masks
     */
    public Dropout(double p, long seed) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("Dropout p must be in [0, 1), but was " + p);
        }
        this.p = p;
        this.seed = seed;
        this.label = "Dropout(" + p + ")";
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        if (x == null) {
            throw new NullPointerException(label + ": input is null");
        }
        State st = ctx.state(this, State::new);
        st.x = x;
        if (mode == Mode.INFERENCE || p == 0) {
            st.identity = true;
            st.y = x;
            return x;
        }
        st.identity = false;
        st.mask = Tensor.workspace(st.mask, x);
        st.y = Tensor.workspace(st.y, x);
        st.rng.reseed(Rng.derive(seed, ctx.step()));
        Tensor mask = st.mask;
        double keep = 1.0 / (1.0 - p);
        int n = mask.size();
        for (int i = 0; i < n; i++) { // drawing the mask: random numbers, not an arithmetic kernel
            mask.set(i, st.rng.nextDouble() < p ? 0.0 : keep);
        }
        Kern.multiply(x, mask, st.y);
        return st.y;
    }

    @Override
    public Tensor checkBackward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        return st.x;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        st.dx = Tensor.workspace(st.dx, dy);
        if (st.identity) {
            Kern.copy(dy, st.dx);
        } else {
            Kern.multiply(dy, st.mask, st.dx);
        }
        return st.dx;
    }

    @Override
    public String toString() {
        return label;
    }
}
