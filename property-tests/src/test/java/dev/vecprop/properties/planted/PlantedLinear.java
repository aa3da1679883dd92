package dev.vecprop.properties.planted;

import java.util.List;

import dev.vecprop.kernels.Gemm;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.Init;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Tensor;

/**
 * A float64 Linear layer ({@code y = x·Wᵀ + b}, W {@code [out, in]}) written from scratch on GEMM, with one
 * planted bug in its backward (or none, as the control). The checks must pass {@link Bug#NONE} and catch
 * every other.
 */
public final class PlantedLinear implements Layer {

    /** The planted bug. */
    public enum Bug {
        /** Correct: {@code dx = dy·W, dW += dyᵀ·x, db += colsum(dy)}. */
        NONE,
        /** {@code dx = −dy·W}. */
        FLIPPED_SIGN_DX,
        /** {@code xᵀ·dy} (in×out) written into dW's out×in memory. */
        TRANSPOSED_DW,
        /** No bias gradient. */
        MISSING_DB,
        /** {@code dW = dyᵀ·x} instead of {@code +=}. */
        OVERWRITE_DW,
        /** {@code dW[1][2]} off by 1e-4 (a tiny, local error). */
        ONE_ELEMENT_DW,
        /** dx from {@code dy ⊙ |dy|}: wrong, and not linear in dy. */
        NONLINEAR_IN_DY
    }

    private final int in;
    private final int out;
    private final Bug bug;
    private final Parameter weight;
    private final Parameter bias;

    private static final class State {
        Tensor x;
        Tensor y;
        Tensor dx;
    }

    public PlantedLinear(int in, int out, Bug bug) {
        this.in = in;
        this.out = out;
        this.bug = bug;
        this.weight = new Parameter("weight", Init.HE_NORMAL, in, out, out, in);
        this.bias = new Parameter("bias", Init.ZEROS, in, out, out);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(weight, bias);
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        State st = ctx.state(this, State::new);
        int rows = x.rows();
        st.x = x;
        st.y = Tensor.zeros(x.dtype(), rows, out);
        double[] y = st.y.doubles();
        Tensor w = weight.value();
        Tensor b = bias.value();
        for (int r = 0; r < rows; r++) {
            System.arraycopy(b.doubles(), b.offset(), y, r * out, out);
        }
        Gemm.dgemm(false, true, rows, out, in, 1, x.doubles(), x.offset(), in, w.doubles(), w.offset(), in,
                1, y, 0, out);
        return st.y;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Tensor x = st.x;
        int rows = x.rows();
        double[] d = dy.doubles();
        int dOff = dy.offset();
        Tensor gw = weight.grad();
        Tensor w = weight.value();
        switch (bug) {
            case TRANSPOSED_DW -> Gemm.dgemm(true, false, in, out, rows, 1, x.doubles(), x.offset(), in, d, dOff, out,
                    1, gw.doubles(), gw.offset(), out);
            case OVERWRITE_DW -> Gemm.dgemm(true, false, out, in, rows, 1, d, dOff, out, x.doubles(), x.offset(), in,
                    0, gw.doubles(), gw.offset(), in);
            default -> Gemm.dgemm(true, false, out, in, rows, 1, d, dOff, out, x.doubles(), x.offset(), in,
                    1, gw.doubles(), gw.offset(), in);
        }
        if (bug == Bug.ONE_ELEMENT_DW) {
            gw.set(1 * in + 2, gw.get(1 * in + 2) + 1e-4);
        }
        if (bug != Bug.MISSING_DB) {
            Tensor gb = bias.grad();
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < out; o++) {
                    gb.set(o, gb.get(o) + d[dOff + r * out + o]);
                }
            }
        }
        double[] g = d;
        int gOff = dOff;
        if (bug == Bug.NONLINEAR_IN_DY) {
            g = new double[rows * out];
            gOff = 0;
            for (int i = 0; i < g.length; i++) {
                double v = d[dOff + i];
                g[i] = v * Math.abs(v);
            }
        }
        st.dx = Tensor.zeros(x.dtype(), x.shape());
        Gemm.dgemm(false, false, rows, in, out, bug == Bug.FLIPPED_SIGN_DX ? -1 : 1, g, gOff, out,
                w.doubles(), w.offset(), in, 0, st.dx.doubles(), 0, in);
        return st.dx;
    }

    @Override
    public String toString() {
        return "PlantedLinear(" + in + "→" + out + ", " + bug + ")";
    }
}
