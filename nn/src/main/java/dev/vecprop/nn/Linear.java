package dev.vecprop.nn;

import java.util.List;

/**
 * Fully connected layer {@code y = x·Wᵀ + b}, W of shape {@code [out, in]} (PyTorch's layout), b of shape
 * {@code [out]}. Backward: {@code dx = dy·W}, {@code dW += dyᵀ·x}, {@code db += Σ_rows dy}. All three products
 * are GEMM calls; nothing is transposed or copied.
 *
 * <p>Parameters: {@code weight} (initialised by the chosen {@link Init}, He normal by default) and
 * {@code bias} (zeros). Input {@code [*, in]}, output {@code [*, out]}. Holds no per-call state.
 */
public final class Linear implements Layer {
    private final int in;
    private final int out;
    private final Parameter weight;
    private final Parameter bias;
    private final List<Parameter> params;
    private final String label;

    private static final class State {
        Tensor x;
        Tensor y;
        Tensor dx;
    }

    /** {@code in → out} with bias and He-normal weights (for ReLU networks). */
    public Linear(int in, int out) {
        this(in, out, Init.HE_NORMAL, true);
    }

    /**
     * @param in         input features, >= 1
     * @param out        output features, >= 1
     * @param weightInit how W is drawn (He for ReLU-like, Xavier for tanh/sigmoid)
     * @param withBias   whether the layer has a bias
     */
    public Linear(int in, int out, Init weightInit, boolean withBias) {
        if (in < 1 || out < 1) {
            throw new IllegalArgumentException("Linear needs in, out >= 1, but got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.weight = new Parameter("weight", weightInit, in, out, out, in);
        this.bias = withBias ? new Parameter("bias", Init.ZEROS, in, out, out) : null;
        this.params = withBias ? List.of(weight, bias) : List.of(weight);
        this.label = "Linear(" + in + "→" + out + ")";
    }

    /** @return input features */
    public int in() {
        return in;
    }

    /** @return output features */
    public int out() {
        return out;
    }

    /** @return W, shape {@code [out, in]} */
    public Parameter weight() {
        return weight;
    }

    /** @return b, shape {@code [out]}, or null without bias */
    public Parameter bias() {
        return bias;
    }

    @Override
    public List<Parameter> parameters() {
        return params;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        Tensor w = weight.value();
        Check.input(label, x, w.dtype(), in);
        State st = ctx.state(this, State::new);
        int rows = x.rows();
        Tensor y = Tensor.workspace(st.y, w.dtype(), x, out);
        st.y = y;
        st.x = x;
        if (bias != null) {
            Kern.broadcastRows(bias.value(), y, rows, out);
        }
        Kern.gemm(false, true, rows, out, in, 1.0, x, in, w, in, bias != null ? 1.0 : 0.0, y, out);
        return y;
    }

    @Override
    public Tensor checkBackward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        return st.x;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = parameterGradients(dy, ctx);
        Tensor x = st.x;
        int rows = x.rows();
        Tensor w = weight.value();
        Tensor dx = Tensor.workspace(st.dx, x);
        st.dx = dx;
        Kern.gemm(false, false, rows, in, out, 1.0, dy, out, w, in, 0.0, dx, in);
        return dx;
    }

    /** {@code dW += dyᵀ·x}, {@code db += Σ_rows dy}, without dx. */
    @Override
    public void backwardParameters(Tensor dy, Context ctx) {
        parameterGradients(dy, ctx);
    }

    private State parameterGradients(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient(label, dy, st == null ? null : st.y);
        Tensor x = st.x;
        int rows = x.rows();
        // β = 0 when Model.computeGradients has not zeroed dW: the GEMM overwrites it (no separate zeroing pass)
        double beta = weight.takeGradBeta();
        Kern.gemm(true, false, out, in, rows, 1.0, dy, out, x, in, beta, weight.gradRegion(), in);
        if (bias != null) {
            Kern.colSumAccumulate(dy, rows, out, bias.grad());
        }
        return st;
    }

    @Override
    public String toString() {
        return label;
    }
}
