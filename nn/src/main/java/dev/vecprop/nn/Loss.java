package dev.vecprop.nn;

import java.util.Objects;

/**
 * A loss with mean reduction that seeds the backward pass: {@code forward} returns the mean loss of a batch and
 * keeps what {@link #backward} needs in the caller's {@link Context}; {@code backward} returns
 * {@code ∂(mean loss)/∂output}, which goes into {@link Model#backward}.
 *
 * <ul>
 *   <li>{@link #softmaxCrossEntropy()}: logits {@code [rows, classes]} and integer labels; softmax and
 *       cross-entropy fused, gradient {@code (p − onehot)/rows}.</li>
 *   <li>{@link #mse()}: mean over all elements of {@code (y − t)²} (PyTorch's {@code MSELoss}).</li>
 *   <li>{@link #bceWithLogits()}: mean over all elements of binary cross-entropy on logits, stable for any
 *       logit (PyTorch's {@code BCEWithLogitsLoss}); targets in [0, 1].</li>
 * </ul>
 * Bad input (empty batch, shapes or dtypes that differ, labels out of range or too few) throws
 * {@link IllegalArgumentException} naming expected and actual, before anything is written. Losses are
 * immutable and hold no per-call state: share them between threads, each with its own context.
 */
public abstract class Loss {
    Loss() {
    }

    /** Fused softmax + cross-entropy over integer class labels. */
    public static Loss softmaxCrossEntropy() {
        return new CrossEntropy();
    }

    /** Mean squared error against a target tensor of the output's shape. */
    public static Loss mse() {
        return new Mse();
    }

    /** Binary cross-entropy on logits against a target tensor of the output's shape. */
    public static Loss bceWithLogits() {
        return new BceWithLogits();
    }

    /** @return true if the loss takes integer labels, false if it takes a target tensor */
    public abstract boolean takesLabels();

    /**
     * Mean loss of a batch against integer labels {@code labels[labelOffset, labelOffset + rows)}.
     *
     * @throws IllegalArgumentException for a loss that takes tensor targets, or bad input
     */
    public double forward(Tensor output, int[] labels, int labelOffset, Context ctx) {
        throw new IllegalArgumentException(this + " takes a target tensor, not integer labels");
    }

    /**
     * Mean loss of a batch against a target tensor of the output's shape and dtype.
     *
     * @throws IllegalArgumentException for a loss that takes integer labels, or bad input
     */
    public double forward(Tensor output, Tensor targets, Context ctx) {
        throw new IllegalArgumentException(this + " takes integer labels, not a target tensor");
    }

    /**
     * The gradient of the last forward's mean loss with respect to its output (a workspace of {@code ctx}).
     *
     * @throws IllegalStateException if forward has not run with this context
     */
    public abstract Tensor backward(Context ctx);

    /** Correct predictions in the last forward with {@code ctx} (argmax = label, or sign = target), or -1. */
    abstract int hits(Context ctx);

    static void checkBatch(String loss, Tensor output) {
        Objects.requireNonNull(output, "output");
        if (output.rank() == 0 || output.rows() == 0 || output.cols() == 0) {
            throw new IllegalArgumentException(loss + ": empty batch: output shape is "
                    + Tensor.shapeString(output.shape()));
        }
    }

    static final class State {
        Tensor output;
        Tensor targets;
        int[] labels;
        int labelOffset;
        Tensor work;
        Tensor grad;
        int[] argmax = new int[0];
    }

    static State stateFor(Object owner, String loss, Context ctx) {
        State st = ctx.stateIfPresent(owner);
        if (st == null || st.output == null) {
            throw new IllegalStateException(loss + ": backward called before forward with this context");
        }
        return st;
    }

    private static final class CrossEntropy extends Loss {
        @Override
        public boolean takesLabels() {
            return true;
        }

        @Override
        public double forward(Tensor logits, int[] labels, int labelOffset, Context ctx) {
            checkBatch("softmaxCrossEntropy", logits);
            Objects.requireNonNull(labels, "labels");
            int rows = logits.rows(), classes = logits.cols();
            if (labelOffset < 0 || (long) labelOffset + rows > labels.length) {
                throw new IllegalArgumentException("softmaxCrossEntropy: logits have " + rows + " rows "
                        + Tensor.shapeString(logits.shape()) + ", but labels[" + labelOffset + ", "
                        + ((long) labelOffset + rows) + ") exceeds labels.length " + labels.length);
            }
            for (int r = 0; r < rows; r++) {
                int y = labels[labelOffset + r];
                if (y < 0 || y >= classes) {
                    throw new IllegalArgumentException("softmaxCrossEntropy: label " + y + " (row " + r
                            + ") is outside [0, " + classes + ") for logits of shape "
                            + Tensor.shapeString(logits.shape()));
                }
            }
            State st = ctx.state(this, State::new);
            st.work = Tensor.workspace(st.work, logits);
            st.output = logits;
            st.labels = labels;
            st.labelOffset = labelOffset;
            return Kern.softmaxCrossEntropy(logits, rows, classes, labels, labelOffset, st.work);
        }

        @Override
        public Tensor backward(Context ctx) {
            State st = stateFor(this, "softmaxCrossEntropy", ctx);
            st.grad = Tensor.workspace(st.grad, st.output);
            Kern.softmaxCrossEntropyBackward(st.work, st.output.rows(), st.output.cols(), st.labels,
                    st.labelOffset, st.grad);
            return st.grad;
        }

        @Override
        int hits(Context ctx) {
            State st = stateFor(this, "softmaxCrossEntropy", ctx);
            if (st.argmax.length != st.output.rows()) {
                st.argmax = new int[st.output.rows()];
            }
            return Kern.countArgmaxMatches(st.output, st.output.rows(), st.output.cols(), st.labels, st.labelOffset,
                    st.argmax);
        }

        @Override
        public String toString() {
            return "softmaxCrossEntropy";
        }
    }

    private abstract static class TargetLoss extends Loss {
        @Override
        public boolean takesLabels() {
            return false;
        }

        @Override
        public double forward(Tensor output, Tensor targets, Context ctx) {
            checkBatch(toString(), output);
            Objects.requireNonNull(targets, "targets");
            if (targets.dtype() != output.dtype() || !targets.sameShape(output)) {
                throw new IllegalArgumentException(this + ": expected targets of shape "
                        + Tensor.shapeString(output.shape()) + " " + output.dtype() + " (the output's), but got "
                        + Tensor.shapeString(targets.shape()) + " " + targets.dtype());
            }
            State st = ctx.state(this, State::new);
            st.output = output;
            st.targets = targets;
            return value(output, targets);
        }

        abstract double value(Tensor output, Tensor targets);

        abstract void gradient(Tensor output, Tensor targets, Tensor grad);

        @Override
        public Tensor backward(Context ctx) {
            State st = stateFor(this, toString(), ctx);
            st.grad = Tensor.workspace(st.grad, st.output);
            gradient(st.output, st.targets, st.grad);
            return st.grad;
        }
    }

    private static final class Mse extends TargetLoss {
        @Override
        double value(Tensor output, Tensor targets) {
            return Kern.mse(output, targets);
        }

        @Override
        void gradient(Tensor output, Tensor targets, Tensor grad) {
            Kern.mseBackward(output, targets, grad);
        }

        @Override
        int hits(Context ctx) {
            return -1;
        }

        @Override
        public String toString() {
            return "mse";
        }
    }

    private static final class BceWithLogits extends TargetLoss {
        @Override
        double value(Tensor output, Tensor targets) {
            return Kern.bceWithLogits(output, targets);
        }

        @Override
        void gradient(Tensor output, Tensor targets, Tensor grad) {
            Kern.bceWithLogitsBackward(output, targets, grad);
        }

        @Override
        int hits(Context ctx) {
            State st = stateFor(this, "bceWithLogits", ctx);
            if (st.output.cols() != 1) {
                return -1;
            }
            return Kern.countSignMatches(st.output, st.targets);
        }

        @Override
        public String toString() {
            return "bceWithLogits";
        }
    }
}
