package dev.vecprop.nn;

import java.util.Objects;

/**
 * Examples for the {@link Trainer}: inputs of shape {@code [n, …]} (example i is row-block i) with either integer
 * labels (classification) or a target tensor of shape {@code [n, …]} (regression, binary targets). The
 * arrays are referenced, not copied. Immutable view; thread-safe to read.
 *
 * <p>Inputs are a {@link Tensor}, or 8-bit values ({@link #ofUnsignedBytes}) that the trainer converts to
 * float32 one batch at a time, into a reused batch buffer: 8-bit images then take a quarter of the memory
 * they would take as floats, and a step still allocates nothing.
 */
public final class Dataset {
    private final Tensor inputs; // null when the inputs are bytes
    private final int[] labels;
    private final Tensor targets;
    private final byte[] bytes; // unsigned 8-bit inputs, or null
    private final int bytesOffset;
    private final int[] bytesShape;
    private final float divisor;

    private Dataset(Tensor inputs, int[] labels, Tensor targets) {
        this.inputs = inputs;
        this.labels = labels;
        this.targets = targets;
        this.bytes = null;
        this.bytesOffset = 0;
        this.bytesShape = null;
        this.divisor = Float.NaN;
    }

    private Dataset(byte[] bytes, int bytesOffset, int[] bytesShape, float divisor, int[] labels) {
        this.inputs = null;
        this.labels = labels;
        this.targets = null;
        this.bytes = bytes;
        this.bytesOffset = bytesOffset;
        this.bytesShape = bytesShape;
        this.divisor = divisor;
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
        requireNonNegative(labels);
        return new Dataset(inputs, labels, null);
    }

    /**
     * Inputs stored as unsigned bytes (8-bit images, say) with one integer label per example. The inputs are
     * float32 to the model: element {@code i} is {@code (data[i] & 0xff) / divisor}, computed in float
     * arithmetic exactly as that Java expression (so {@code divisor = 255f} gives pixel values in [0, 1],
     * bitwise the same as converting the whole array up front). The trainer converts each gathered batch into
     * a reused buffer; the array is referenced, not copied.
     *
     * @param data    {@code shape[0]} examples of {@code shape[1]·…} bytes each, row-major, from index 0
     * @param shape   the inputs' shape, {@code [n, …]}, rank ≥ 1
     * @param divisor what each unsigned byte is divided by; finite and &gt; 0
     * @param labels  one label per example, ≥ 0
     * @throws IllegalArgumentException if the shape is not {@code [n, …]} with dimensions ≥ 0, does not describe
     *                                  exactly {@code data.length} bytes, the divisor is not finite and &gt; 0,
     *                                  {@code labels.length != n}, or a label is negative
     */
    public static Dataset ofUnsignedBytes(byte[] data, int[] shape, float divisor, int[] labels) {
        Objects.requireNonNull(data, "data");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(labels, "labels");
        int[] s = shape.clone();
        if (s.length < 1) {
            throw new IllegalArgumentException("need a first (example) dimension, but the shape is "
                    + Tensor.shapeString(s));
        }
        int n = Tensor.elements(s);
        if (n != data.length) {
            throw new IllegalArgumentException("shape " + Tensor.shapeString(s) + " describes " + n + " bytes, but data has "
                    + data.length);
        }
        if (!(divisor > 0) || divisor == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("divisor must be finite and > 0, but was " + divisor);
        }
        if (labels.length != s[0]) {
            throw new IllegalArgumentException("inputs " + Tensor.shapeString(s) + " have " + s[0]
                    + " examples but there are " + labels.length + " labels");
        }
        requireNonNegative(labels);
        return new Dataset(data, 0, s, divisor, labels);
    }

    private static void requireNonNegative(int[] labels) {
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IllegalArgumentException("label " + labels[i] + " of example " + i + " is negative");
            }
        }
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
        return inputs != null ? inputs.dim(0) : bytesShape[0];
    }

    /** @return the inputs, {@code [n, …]}, or null when they are bytes ({@link #ofUnsignedBytes}; see {@link #inputRows}) */
    public Tensor inputs() {
        return inputs;
    }

    /** @return the dtype the model sees: the input tensor's, or F32 for byte inputs */
    public DType inputDType() {
        return inputs != null ? inputs.dtype() : DType.F32;
    }

    /** @return the inputs' shape {@code [n, …]} (a copy) */
    public int[] inputShape() {
        return inputs != null ? inputs.shape() : bytesShape.clone();
    }

    /**
     * Examples {@code [from, from + count)} as the model sees them: a view of the input tensor, or for byte
     * inputs a new float32 tensor holding them converted.
     *
     * @throws IndexOutOfBoundsException if the rows are outside {@code [0, size())}
     */
    public Tensor inputRows(int from, int count) {
        return inputRows(from, count, null);
    }

    /**
     * As {@link #inputRows(int, int)}, converting byte inputs into {@code buffer} when it is an F32 tensor of
     * exactly {@code count} examples (reused, no allocation), else into a new tensor.
     */
    Tensor inputRows(int from, int count, Tensor buffer) {
        if (inputs != null) {
            return inputs.rowSlice(from, count);
        }
        checkByteRows(from, count);
        Tensor dst = batchBuffer(buffer, count);
        int per = perExample();
        convert(bytes, bytesOffset + from * per, dst.floats(), dst.offset(), count * per, divisor);
        return dst;
    }

    /**
     * Copies the inputs of examples {@code order[from], …, order[from + rows - 1]} into rows {@code 0..rows-1}
     * of {@code dst} (a compact tensor of this dataset's input dtype and per-example shape), converting bytes.
     */
    void gatherInputs(int[] order, int from, int rows, Tensor dst) {
        int per = perExample();
        if (inputs == null) {
            float[] b = dst.floats();
            for (int j = 0; j < rows; j++) {
                convert(bytes, bytesOffset + order[from + j] * per, b, dst.offset() + j * per, per, divisor);
            }
            return;
        }
        copyRows(inputs, order, from, rows, dst);
    }

    /** Copies the targets of examples {@code order[from], …} into rows {@code 0..rows-1} of {@code dst}. */
    void gatherTargets(int[] order, int from, int rows, Tensor dst) {
        copyRows(targets, order, from, rows, dst);
    }

    /** A compact tensor for {@code rows} examples of the inputs: {@code current} if it already is one. */
    Tensor batchBuffer(Tensor current, int rows) {
        if (inputs != null) {
            return compactBuffer(current, inputs, rows);
        }
        if (fits(current, DType.F32, bytesShape.length, perExample(), rows)) {
            return current;
        }
        int[] s = bytesShape.clone();
        s[0] = rows;
        return Tensor.zeros(DType.F32, s);
    }

    /** A compact tensor for {@code rows} examples of the targets: {@code current} if it already is one. */
    Tensor targetBuffer(Tensor current, int rows) {
        return compactBuffer(current, targets, rows);
    }

    /** A compact tensor of {@code rows} rows shaped like {@code like}'s: {@code current} if it already is one. */
    private static Tensor compactBuffer(Tensor current, Tensor like, int rows) {
        if (fits(current, like.dtype(), like.rank(), perRow(like), rows)) {
            return current;
        }
        int[] s = like.shape();
        s[0] = rows;
        return Tensor.zeros(like.dtype(), s);
    }

    private static boolean fits(Tensor t, DType dtype, int rank, int perRow, int rows) {
        return t != null && t.dim(0) == rows && t.dtype() == dtype && t.size() == perRow * rows && t.offset() == 0
                && t.rank() == rank;
    }

    /** dst's rows 0..rows-1 = src's rows order[from], …, order[from + rows - 1] (same dtype, compact dst). */
    private static void copyRows(Tensor src, int[] order, int from, int rows, Tensor dst) {
        int per = perRow(src);
        int so = src.offset();
        if (src.dtype() == DType.F32) {
            float[] a = src.floats(), b = dst.floats();
            for (int j = 0; j < rows; j++) {
                System.arraycopy(a, so + order[from + j] * per, b, dst.offset() + j * per, per);
            }
        } else {
            double[] a = src.doubles(), b = dst.doubles();
            for (int j = 0; j < rows; j++) {
                System.arraycopy(a, so + order[from + j] * per, b, dst.offset() + j * per, per);
            }
        }
    }

    /** Elements per example of the inputs: the product of the dimensions after the first. */
    private int perExample() {
        if (inputs != null) {
            return perRow(inputs);
        }
        int per = 1;
        for (int i = 1; i < bytesShape.length; i++) {
            per *= bytesShape[i];
        }
        return per;
    }

    /** Elements per row of {@code t}: the product of its dimensions after the first (no copy of the shape). */
    private static int perRow(Tensor t) {
        int per = 1;
        for (int i = 1; i < t.rank(); i++) {
            per *= t.dim(i);
        }
        return per;
    }

    private void checkByteRows(int from, int count) {
        if (from < 0 || count < 0 || (long) from + count > bytesShape[0]) {
            throw new IndexOutOfBoundsException("rows [" + from + ", " + ((long) from + count) + ") of inputs of shape "
                    + Tensor.shapeString(bytesShape));
        }
    }

    // the one conversion of byte inputs: the same expression for every path (gather, inputRows), so a batch is
    // bitwise what converting the whole array with it would give
    private static void convert(byte[] src, int s, float[] dst, int d, int count, float divisor) {
        for (int j = 0; j < count; j++) {
            dst[d + j] = (src[s + j] & 0xff) / divisor;
        }
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
        if (inputs == null) {
            checkByteRows(from, count);
            int[] s = bytesShape.clone();
            s[0] = count;
            return new Dataset(bytes, bytesOffset + from * perExample(), s, divisor,
                    java.util.Arrays.copyOfRange(labels, from, from + count));
        }
        Tensor in = inputs.rowSlice(from, count);
        return labels != null ? new Dataset(in, java.util.Arrays.copyOfRange(labels, from, from + count), null)
                : new Dataset(in, null, targets.rowSlice(from, count));
    }
}
