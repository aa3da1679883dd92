package dev.vecprop.properties.planted;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Tensor;

/** Elementwise tanh or ReLU written from scratch, with a wrong derivative planted (or none). */
public final class PlantedActivation implements Layer {

    /** Which function, and which derivative. */
    public enum Kind {
        /** tanh with the correct {@code 1 − y²}. */
        TANH,
        /** tanh with {@code 1 − x²}: the derivative written in terms of the wrong variable. */
        TANH_WRONG_DERIVATIVE,
        /** ReLU with the correct {@code x > 0 ? 1 : 0}. */
        RELU,
        /** ReLU whose backward forgets the mask: derivative 1 everywhere. */
        RELU_NO_MASK
    }

    private final Kind kind;

    private static final class State {
        Tensor x;
        Tensor y;
    }

    public PlantedActivation(Kind kind) {
        this.kind = kind;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        State st = ctx.state(this, State::new);
        st.x = x;
        st.y = Tensor.zeros(x.dtype(), x.shape());
        boolean tanh = kind == Kind.TANH || kind == Kind.TANH_WRONG_DERIVATIVE;
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            st.y.set(i, tanh ? Math.tanh(v) : Math.max(v, 0));
        }
        return st.y;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Tensor dx = Tensor.zeros(dy.dtype(), dy.shape());
        for (int i = 0; i < dy.size(); i++) {
            double x = st.x.get(i);
            double y = st.y.get(i);
            double d = switch (kind) {
                case TANH -> 1 - y * y;
                case TANH_WRONG_DERIVATIVE -> 1 - x * x;
                case RELU -> x > 0 ? 1 : 0;
                case RELU_NO_MASK -> 1;
            };
            dx.set(i, dy.get(i) * d);
        }
        return dx;
    }

    @Override
    public String toString() {
        return "Planted" + kind;
    }
}
