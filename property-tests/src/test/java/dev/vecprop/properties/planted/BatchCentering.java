package dev.vecprop.properties.planted;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Tensor;

/**
 * {@code y = x − mean over rows of x} (per column): a correct backward ({@code dx = dy − mean over rows of dy}),
 * but rows are not independent, so "batch = per row" must fail for it.
 */
public final class BatchCentering implements Layer {
    private static final class State {
        Tensor y;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        State st = ctx.state(this, State::new);
        st.y = center(x);
        return st.y;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        return center(dy);
    }

    private static Tensor center(Tensor t) {
        int rows = t.rows();
        int cols = t.cols();
        Tensor out = Tensor.zeros(t.dtype(), t.shape());
        for (int c = 0; c < cols; c++) {
            double mean = 0;
            for (int r = 0; r < rows; r++) {
                mean += t.get(r, c);
            }
            mean /= rows;
            for (int r = 0; r < rows; r++) {
                out.set(r * cols + c, t.get(r, c) - mean);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "BatchCentering";
    }
}
