package dev.vecprop.nn;

import java.util.Objects;

/**
 * Examples for the {@link Trainer}: inputs of shape {@code [n, …]} (example i is row-block i) with either integer
 * labels (classification) or a target tensor of shape {@code [n, …]} (regression, binary targets). The
 * arrays are referenced, not copied. Immutable view; thread-safe to read.
 */
public final class Dataset {
    private final Tensor inputs;
    private final int[] labels;
    private final Tensor targets;

    private Dataset(Tensor inputs, int[] labels, Tensor targets) {
        this.inputs = inputs;
        this.labels = labels;
        this.targets = targets;
    }

    /**
     * Inputs with one integer label per example.
     *
     * @throws IllegalArgumentException if inputs is a scalar or {@code labels.length != inputs.dim(0)}, or a label
     *                                  is negative
     */
    public static Dataset of(Tensor inputs, int[] labels) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(labels, "labels");
        requireBatchDim(inputs);
        if (labels.length != inputs.dim(0)) {
            throw new IllegalArgumentException("inputs " + Tensor.shapeString(inputs.shape()) + " have " + inputs.dim(0)
                    + " examples but there are " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is negative");
            }
        }
        return new Dataset(inputs, labels, null);
    }

    /**
     * Inputs with a target tensor whose first dimension is the number of examples.
     *
     * @throws IllegalArgumentException if the first dimensions or the dtypes differ
     */
    public static Dataset of(Tensor inputs, Tensor targets) {
        Objects.requireNonNull(inputs, "inputs");
        Objects.requireNonNull(targets, "targets");
        requireBatchDim(inputs);
        requireBatchDim(targets);
        if (targets.dim(0) != inputs.dim(0)) {
            throw new IllegalArgumentException("inputs " + Tensor.shapeString(inputs.shape()) + " and targets "
                    + Tensor.shapeString(targets.shape()) + " have different numbers of examples");
        }
        if (targets.dtype() != inputs.dtype()) {
            throw new IllegalArgumentException("inputs are " + inputs.dtype() + " but targets are " + targets.dtype());
        }
        return new Dataset(inputs, null, targets);
    }

    private static void requireBatchDim(Tensor t) {
        if (t.rank() < 1) {
            throw new IllegalArgumentException("need a first (example) dimension, but the shape is "
                    + Tensor.shapeString(t.shape()));
        }
    }

    /** @return the number of examples */
    public int size() {
        return inputs.dim(0);
    }

    /** @return the inputs, {@code [n, …]} */
    public Tensor inputs() {
        return inputs;
    }

    /** @return the labels (the array itself), or null when this dataset has targets */
    public int[] labels() {
        return labels;
    }

    /** @return the targets, or null when this dataset has labels */
    public Tensor targets() {
        return targets;
    }

    /** Examples {@code [from, from + count)} as a view (labels are copied). */
    public Dataset slice(int from, int count) {
        Tensor in = inputs.rowSlice(from, count);
        return labels != null ? new Dataset(in, java.util.Arrays.copyOfRange(labels, from, from + count), null)
                : new Dataset(in, null, targets.rowSlice(from, count));
    }
}
