package dev.vecprop.nn;

import java.util.Arrays;
import java.util.Objects;

/**
 * A dense, row-major block of numbers: a {@link DType} over a {@code float[]} (F32) or {@code double[]} (F64),
 * an offset into that array and a shape.
 *
 * <p>Layers treat the last dimension as the features and every other dimension as rows: a tensor of shape
 * {@code [a, b, c]} is a {@code (a·b) × c} matrix to them ({@link #rows()} × {@link #cols()}). A rank-0
 * tensor (a scalar) has one row and one column.
 *
 * <p>A tensor is a view: it does not copy the array it wraps, and several tensors may share one array
 * (the parameter arena, {@link #rowSlice}). The shape and dtype never change; the elements are mutable.
 * Not thread-safe for concurrent writes; concurrent reads are fine.
 */
public final class Tensor {
    private final DType dtype;
    private final float[] f;
    private final double[] d;
    private final int offset;
    private final int[] shape;
    private final int size;
    private final int cols;

    private Tensor(DType dtype, float[] f, double[] d, int offset, int[] shape) {
        this.dtype = dtype;
        this.f = f;
        this.d = d;
        this.offset = offset;
        this.shape = shape;
        this.size = elements(shape);
        this.cols = shape.length == 0 ? 1 : shape[shape.length - 1];
        int length = f != null ? f.length : d.length;
        if (offset < 0 || (long) offset + size > length) {
            throw new IndexOutOfBoundsException("a tensor of shape " + shapeString(shape) + " at offset " + offset
                    + " needs an array of length >= " + ((long) offset + size) + ", but its length is " + length);
        }
    }

    /**
     * The element count of a shape, checked: every dimension ≥ 0, at most 2³¹ − 1 elements in all (Dataset's
     * shapes go through it too).
     */
    static int elements(int[] shape) {
        long n = 1;
        for (int v : shape) {
            if (v < 0) {
                throw new IllegalArgumentException("shape must have dimensions >= 0, but was " + shapeString(shape));
            }
            n *= v;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^31-1 elements");
            }
        }
        return (int) n;
    }

    /**
     * A new zero-filled tensor of the given dtype and shape.
     *
     * @throws IllegalArgumentException if a dimension is negative or the shape has more than 2³¹ − 1 elements
     */
    public static Tensor zeros(DType dtype, int... shape) {
        Objects.requireNonNull(dtype, "dtype");
        int[] s = shape.clone();
        int n = elements(s);
        return dtype == DType.F32 ? new Tensor(dtype, new float[n], null, 0, s)
                : new Tensor(dtype, null, new double[n], 0, s);
    }

    /**
     * An F32 view of {@code data[offset …]} with the given shape (no copy).
     *
     * @throws IllegalArgumentException  if a dimension is negative or the shape has more than 2³¹ − 1 elements
     * @throws IndexOutOfBoundsException if the view does not fit in {@code data} from {@code offset}
     */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        return new Tensor(DType.F32, Objects.requireNonNull(data, "data"), null, offset, shape.clone());
    }

    /** An F64 view of {@code data[offset …]} with the given shape (no copy); throws as {@link #wrap(float[], int, int...)}. */
    public static Tensor wrap(double[] data, int offset, int... shape) {
        return new Tensor(DType.F64, null, Objects.requireNonNull(data, "data"), offset, shape.clone());
    }

    /**
     * An F32 view of the whole array with the given shape, which must have exactly {@code data.length} elements.
     *
     * @throws IllegalArgumentException if the shape's element count is not {@code data.length} (too many or too
     *                                  few alike), or a dimension is negative
     */
    public static Tensor of(float[] data, int... shape) {
        requireLength(shape, Objects.requireNonNull(data, "data").length);
        return wrap(data, 0, shape);
    }

    /** An F64 view of the whole array with the given shape; throws as {@link #of(float[], int...)}. */
    public static Tensor of(double[] data, int... shape) {
        requireLength(shape, Objects.requireNonNull(data, "data").length);
        return wrap(data, 0, shape);
    }

    private static void requireLength(int[] shape, int length) {
        int size = elements(shape);
        if (size != length) {
            throw new IllegalArgumentException("shape " + shapeString(shape) + " has " + size
                    + " elements, but the array has " + length);
        }
    }

    /** @return the element type */
    public DType dtype() {
        return dtype;
    }

    /** @return a copy of the shape */
    public int[] shape() {
        return shape.clone();
    }

    /** @return the number of dimensions */
    public int rank() {
        return shape.length;
    }

    /**
     * @return the size of dimension {@code i}
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, rank())}
     */
    public int dim(int i) {
        if (i < 0 || i >= shape.length) {
            throw new IndexOutOfBoundsException("dimension " + i + " of a rank-" + shape.length + " tensor "
                    + shapeString(shape));
        }
        return shape[i];
    }

    /** @return the number of elements */
    public int size() {
        return size;
    }

    /** @return the size of the last dimension (1 for a scalar): the features, as layers see them */
    public int cols() {
        return cols;
    }

    /** @return the product of all dimensions but the last: the rows (batch), as layers see them */
    public int rows() {
        return cols == 0 ? rowsOfEmpty() : size / cols;
    }

    private int rowsOfEmpty() {
        int r = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            r *= shape[i];
        }
        return r;
    }

    /** @return the index of element 0 in the backing array */
    public int offset() {
        return offset;
    }

    /**
     * The backing array of an F32 tensor (not a copy; elements {@code [offset(), offset()+size())} are this tensor).
     *
     * @throws IllegalStateException if the dtype is F64
     */
    public float[] floats() {
        if (f == null) {
            throw new IllegalStateException("tensor is " + dtype + ", not F32");
        }
        return f;
    }

    /**
     * The backing array of an F64 tensor (not a copy; elements {@code [offset(), offset()+size())} are this tensor).
     *
     * @throws IllegalStateException if the dtype is F32
     */
    public double[] doubles() {
        if (d == null) {
            throw new IllegalStateException("tensor is " + dtype + ", not F64");
        }
        return d;
    }

    /**
     * Element {@code i} in row-major order, widened to double.
     *
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
     */
    public double get(int i) {
        checkElement("i", i, size);
        return f != null ? f[offset + i] : d[offset + i];
    }

    /**
     * Sets element {@code i} in row-major order (rounded to float for F32).
     *
     * @throws IndexOutOfBoundsException if {@code i} is not in {@code [0, size())}
     */
    public void set(int i, double value) {
        checkElement("i", i, size);
        if (f != null) {
            f[offset + i] = (float) value;
        } else {
            d[offset + i] = value;
        }
    }

    /**
     * Element {@code (r, c)} of the rows × cols view.
     *
     * @throws IndexOutOfBoundsException if {@code r} is not in {@code [0, rows())} or {@code c} not in
     *                                   {@code [0, cols())}
     */
    public double get(int r, int c) {
        checkElement("r", r, rows());
        checkElement("c", c, cols);
        return get(r * cols + c);
    }

    private void checkElement(String name, int index, int bound) {
        if (index < 0 || index >= bound) {
            throw new IndexOutOfBoundsException(name + " must be in [0, " + bound + ") for a tensor of shape "
                    + shapeString(shape) + ", but was " + index);
        }
    }

    /** A view of {@code count} rows starting at row {@code start} (no copy); the first dimension becomes {@code count}. */
    public Tensor rowSlice(int start, int count) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no rows to slice");
        }
        int perRow = size / Math.max(1, shape[0]);
        if (shape[0] == 0) {
            perRow = 1;
            for (int i = 1; i < shape.length; i++) {
                perRow *= shape[i];
            }
        }
        if (start < 0 || count < 0 || (long) start + count > shape[0]) {
            throw new IndexOutOfBoundsException("rows [" + start + ", " + ((long) start + count) + ") of a tensor of shape "
                    + shapeString(shape));
        }
        int[] s = shape.clone();
        s[0] = count;
        return new Tensor(dtype, f, d, offset + start * perRow, s);
    }

    /**
     * A view with another shape of the same number of elements (no copy).
     *
     * @throws IllegalArgumentException if {@code newShape} has another element count or a negative dimension
     */
    public Tensor reshape(int... newShape) {
        int[] s = newShape.clone();
        int n = elements(s);
        if (n != size) {
            throw new IllegalArgumentException("cannot reshape " + shapeString(shape) + " (" + size + " elements) to "
                    + shapeString(s) + " (" + n + " elements)");
        }
        return new Tensor(dtype, f, d, offset, s);
    }

    /** A compact copy of this tensor in the given dtype (a conversion when it differs). */
    public Tensor copy(DType to) {
        Tensor t = zeros(to, shape);
        if (dtype == DType.F32 && to == DType.F32) {
            System.arraycopy(f, offset, t.f, 0, size);
        } else if (dtype == DType.F64 && to == DType.F64) {
            System.arraycopy(d, offset, t.d, 0, size);
        } else {
            for (int i = 0; i < size; i++) { // a dtype conversion; not a hot path
                t.set(i, get(i));
            }
        }
        return t;
    }

    /** A compact copy with the same dtype. */
    public Tensor copy() {
        return copy(dtype);
    }

    /** The elements in row-major order, as a new double array. */
    public double[] toDoubleArray() {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** @return true if the shapes are equal (dtype not compared) */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    /**
     * A tensor of {@code like}'s shape with the last dimension replaced by {@code lastDim}, in {@code dtype}:
     * {@code current} itself when it already has that dtype and shape, else a new zero tensor. Layers use it
     * to size their per-context workspaces on the first batch and reuse them afterwards without allocating.
     */
    public static Tensor workspace(Tensor current, DType dtype, Tensor like, int lastDim) {
        if (current != null && current.dtype == dtype && current.shape.length == Math.max(1, like.shape.length)) {
            boolean same = true;
            int last = current.shape.length - 1;
            for (int i = 0; i < last && same; i++) {
                same = current.shape[i] == like.shape[i];
            }
            if (same && current.shape[last] == lastDim) {
                return current;
            }
        }
        int[] s = like.shape.length == 0 ? new int[]{lastDim} : like.shape.clone();
        s[s.length - 1] = lastDim;
        return zeros(dtype, s);
    }

    /** {@link #workspace(Tensor, DType, Tensor, int)} with {@code like}'s dtype and shape. */
    public static Tensor workspace(Tensor current, Tensor like) {
        return workspace(current, like.dtype, like, like.cols);
    }

    /** The shape in brackets, e.g. {@code [128, 784]}. */
    public static String shapeString(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Shape and dtype, e.g. {@code Tensor[128, 784] F32}; not the elements. */
    @Override
    public String toString() {
        return "Tensor" + shapeString(shape) + " " + dtype;
    }
}
