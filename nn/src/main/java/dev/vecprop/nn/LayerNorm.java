package dev.vecprop.nn;

import java.util.List;

/**
 * Layer normalisation over the last dimension: {@code y = (x − mean)/√(var + ε) · γ + β}, with the biased
 * variance (as PyTorch). Caches only mean and 1/std per row for backward. Parameters {@code weight} (γ, ones)
 * and {@code bias} (β, zeros), each of shape {@code [features]}.
 */
public final class LayerNorm implements Layer {
    private final int features;
    private final double eps;
    private final Parameter gamma;
    private final Parameter beta;
    private final List<Parameter> params;
    private final String label;

    private static final class State {
        Tensor x;
        Tensor y;
        Tensor mean;
        Tensor rstd;
        Tensor dx;
    }

    /** Over {@code features} columns with ε = 1e-5. */
    public LayerNorm(int features) {
        this(features, 1e-5);
    }

    /**
     * @param features size of the normalised (last) dimension, >= 1
     * @param eps      added to the variance, {@code >= 0} and not NaN (the kernel's rule; PyTorch has none). With
     *                 0 a constant row gives rstd = ∞, as in PyTorch.
     */
    public LayerNorm(int features, double eps) {
        if (features < 1) {
            throw new IllegalArgumentException("LayerNorm needs features >= 1, but got " + features);
        }
        if (!(eps >= 0)) { // the kernel's rule (LayerNorms.layerNorm), checked here so a bad value fails at construction
            throw new IllegalArgumentException("LayerNorm eps must be >= 0 (not NaN), but was " + eps);
        }
        this.features = features;
        this.eps = eps;
        this.gamma = new Parameter("weight", Init.ONES, features, features, features);
        this.beta = new Parameter("bias", Init.ZEROS, features, features, features);
        this.params = List.of(gamma, beta);
        this.label = "LayerNorm(" + features + ")";
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        Tensor g = gamma.value();
        Check.input(label, x, g.dtype(), features);
        State st = ctx.state(this, State::new);
        int rows = x.rows();
        st.y = Tensor.workspace(st.y, x);
        st.mean = Tensor.workspace(st.mean, g.dtype(), x, 1);
        st.rstd = Tensor.workspace(st.rstd, g.dtype(), x, 1);
        st.x = x;
        Kern.layerNorm(x, rows, features, g, beta.value(), eps, st.y, st.mean, st.rstd);
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
        Kern.layerNormBackward(st.x, dy, st.x.rows(), features, gamma.value(), st.mean, st.rstd, st.dx,
                gamma.grad(), beta.grad());
        return st.dx;
    }

    @Override
    public String toString() {
        return label;
    }
}
