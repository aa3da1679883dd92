package dev.vecprop.nn;

import java.util.List;
import java.util.Objects;

/**
 * A skip connection around a block: {@code y = x + block(x)}; the block must keep the shape. Backward
 * {@code dx = dy + block.backward(dy)}. The block's parameters are named {@code "0.…"} under this layer.
 */
public final class Residual implements Layer {
    private final Layer block;
    private final List<Layer> kids;

    private static final class State {
        Tensor y;
        Tensor dx;
    }

    /** @param block the layer (usually a {@link Sequential}) that maps {@code [*, d]} to {@code [*, d]} */
    public Residual(Layer block) {
        this.block = Objects.requireNonNull(block, "block");
        this.kids = List.of(block);
    }

    @Override
    public List<Layer> children() {
        return kids;
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        Objects.requireNonNull(x, "Residual: input is null");
        Tensor b = block.forward(x, ctx, mode);
        if (!b.sameShape(x) || b.dtype() != x.dtype()) {
            throw new IllegalArgumentException("Residual: the block must keep the shape and dtype; input "
                    + Tensor.shapeString(x.shape()) + " " + x.dtype() + " but block output "
                    + Tensor.shapeString(b.shape()) + " " + b.dtype());
        }
        State st = ctx.state(this, State::new);
        st.y = Tensor.workspace(st.y, x);
        Kern.copy(x, st.y);
        Kern.axpy(1.0, b, st.y);
        return st.y;
    }

    /** Checks this layer's state and dy, then the block's (whose dx must have dy's shape to be added). */
    @Override
    public Tensor checkBackward(Tensor dy, Context ctx) {
        State st = ctx.stateIfPresent(this);
        Check.gradient("Residual", dy, st == null ? null : st.y);
        Tensor bx = block.checkBackward(dy, ctx);
        if (bx != null && (bx.dtype() != dy.dtype() || !bx.sameShape(dy))) {
            throw new IllegalArgumentException("Residual: the block's last forward had input "
                    + Tensor.shapeString(bx.shape()) + " " + bx.dtype() + ", but the residual's output is "
                    + Tensor.shapeString(dy.shape()) + " " + dy.dtype());
        }
        return st.y;
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        checkBackward(dy, ctx); // the whole block is validated before any of its layers adds a gradient
        State st = ctx.stateIfPresent(this);
        Tensor db = block.backward(dy, ctx);
        st.dx = Tensor.workspace(st.dx, dy);
        Kern.copy(dy, st.dx);
        Kern.axpy(1.0, db, st.dx);
        return st.dx;
    }

    @Override
    public String toString() {
        return "Residual(" + block + ")";
    }
}
