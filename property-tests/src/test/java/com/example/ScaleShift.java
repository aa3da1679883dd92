package com.example;

import java.util.List;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.Init;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Tensor;

/**
 * A user's own layer, as the README shows it: {@code y = x ⊙ γ + β} per feature. Backward
 * {@code dx = dy ⊙ γ}, {@code dγ += Σ_rows dy ⊙ x}, {@code dβ += Σ_rows dy}. Plain loops: a user layer
 * need not use the kernels.
 */
public final class ScaleShift implements Layer {
    private final Parameter gamma;
    private final Parameter beta;

    private static final class State {
        Tensor x;
        Tensor y;
        Tensor dx;
    }

    public ScaleShift(int features) {
        gamma = new Parameter("gamma", Init.ONES, features, features, features);
        beta = new Parameter("beta", Init.ZEROS, features, features, features);
    }

    @Override
    public List<Parameter> parameters() {
        return List.of(gamma, beta);
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        State st = ctx.state(this, State::new);
        st.x = x;
        st.y = Tensor.workspace(st.y, x);
        int cols = x.cols();
        for (int i = 0; i < x.size(); i++) {
            st.y.set(i, x.get(i) * gamma.value().get(i % cols) + beta.value().get(i % cols));
        }
        return st.y;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        st.dx = Tensor.workspace(st.dx, dy);
        int cols = dy.cols();
        for (int i = 0; i < dy.size(); i++) {
            int c = i % cols;
            st.dx.set(i, dy.get(i) * gamma.value().get(c));
            gamma.grad().set(c, gamma.grad().get(c) + dy.get(i) * st.x.get(i));
            beta.grad().set(c, beta.grad().get(c) + dy.get(i));
        }
        return st.dx;
    }
}
