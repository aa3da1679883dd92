package dev.vecprop.kernels;

/**
 * Reductions over vectors and matrix rows/columns: sum, dot, max, per-row argmax, squared L2 norm, and the
 * column sums that are a bias gradient.
 *
 * <p>Accuracy for long vectors: sum, dot and squaredNorm of float arrays accumulate in double on both paths
 * (the vector path widens float lanes to double lanes exactly, with two or four accumulators), so a sum of
 * 2²² equal values is within a few ulp; double arrays use four vector accumulators. The result is rounded
 * once to the element type, except {@link #squaredNorm}, which returns a double for both element types
 * (global-norm clipping adds norms of many arrays). The order of additions differs between vector widths,
 * so results can differ in the last bits across {@code -Dvecprop.vectorBits} settings; each is
 * deterministic for a given width.
 *
 * <p>NaN propagates through sum, dot, max and squaredNorm. Bad arguments throw before anything is
 * written. Thread-safe.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Reductions {
    private Reductions() {
    }

    // <float>

    /** Σ a[off..off+n); 0 for n = 0. Throws, and size 0: see the class comment. */
    public static float sum(float[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return (float) ReduceKernels.sum(a, off, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i];
        }
        return (float) s;
    }

    /** Σ a[i]·b[i] over n elements; 0 for n = 0. Throws, and size 0: see the class comment. */
    public static float dot(float[] a, int aOff, float[] b, int bOff, int n) {
        Checks.vector("a", a, aOff, n);
        Checks.vector("b", b, bOff, n);
        if (Vectorization.ENABLED) {
            return (float) ReduceKernels.dot(a, aOff, b, bOff, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return (float) s;
    }

    /** The maximum of n elements; NaN if any is NaN; −∞ for n = 0. Throws, and size 0: see the class comment. */
    public static float max(float[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return ReduceKernels.max(a, off, n);
        }
        float mx = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mx = Math.max(mx, a[off + i]);
        }
        return mx;
    }

    /**
     * Σ a[i]² over n elements (the squared L2 norm), accumulated in double; 0 for n = 0.
     * Throws, and size 0: see the class comment.
     */
    public static double squaredNorm(float[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return ReduceKernels.squaredNorm(a, off, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = a[off + i];
            s += v * v;
        }
        return s;
    }

    /**
     * For each of the m rows of a row-major m×n matrix, the column index of its largest element, written to
     * {@code index[indexOff + i]}. Ties give the first index; a NaN counts as larger than everything (the
     * first NaN wins, as in numpy). Needs n ≥ 1 when m ≥ 1.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void argmaxRows(int m, int n, float[] a, int aOff, int lda, int[] index, int indexOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (m > 0 && n == 0) {
            throw new IllegalArgumentException("argmax of an empty row: n must be >= 1 when m >= 1, but n was 0");
        }
        Checks.matrix("a", a, aOff, m, n, lda);
        checkIndex(index, indexOff, m);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int best = 0;
            float bv = a[ai];
            if (Vectorization.ENABLED) {
                // one vector pass finds the maximum (NaN if any); a scalar scan finds its first index
                float mx = ReduceKernels.max(a, ai, n);
                int j = 0;
                if (Float.isNaN(mx)) {
                    while (!Float.isNaN(a[ai + j])) {
                        j++;
                    }
                } else {
                    while (a[ai + j] != mx) {
                        j++;
                    }
                }
                index[indexOff + i] = j;
                continue;
            }
            for (int j = 1; j < n && !Float.isNaN(bv); j++) {
                float v = a[ai + j];
                if (v > bv || Float.isNaN(v)) {
                    best = j;
                    bv = v;
                }
            }
            index[indexOff + i] = best;
        }
    }

    /**
     * Accumulates the column sums of a row-major m×n matrix: {@code sums[j] += Σ_i a[i][j]} (the bias gradient
     * {@code db += colsum(dy)}). Rows are added in order.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void addColumnSums(int m, int n, float[] a, int aOff, int lda, float[] sums, int sumsOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("a", a, aOff, m, n, lda);
        Checks.vector("sums", sums, sumsOff, n);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            if (Vectorization.ENABLED) {
                ActivationKernels.add(a, ai, sums, sumsOff, n);
                continue;
            }
            for (int j = 0; j < n; j++) {
                sums[sumsOff + j] += a[ai + j];
            }
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /** Σ a[off..off+n); 0 for n = 0. Throws, and size 0: see the class comment. */
    public static double sum(double[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return (double) ReduceKernels.sum(a, off, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[off + i];
        }
        return (double) s;
    }

    /** Σ a[i]·b[i] over n elements; 0 for n = 0. Throws, and size 0: see the class comment. */
    public static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        Checks.vector("a", a, aOff, n);
        Checks.vector("b", b, bOff, n);
        if (Vectorization.ENABLED) {
            return (double) ReduceKernels.dot(a, aOff, b, bOff, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[aOff + i] * b[bOff + i];
        }
        return (double) s;
    }

    /** The maximum of n elements; NaN if any is NaN; −∞ for n = 0. Throws, and size 0: see the class comment. */
    public static double max(double[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return ReduceKernels.max(a, off, n);
        }
        double mx = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            mx = Math.max(mx, a[off + i]);
        }
        return mx;
    }

    /**
     * Σ a[i]² over n elements (the squared L2 norm), accumulated in double; 0 for n = 0.
     * Throws, and size 0: see the class comment.
     */
    public static double squaredNorm(double[] a, int off, int n) {
        Checks.vector("a", a, off, n);
        if (Vectorization.ENABLED) {
            return ReduceKernels.squaredNorm(a, off, n);
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            double v = a[off + i];
            s += v * v;
        }
        return s;
    }

    /**
     * For each of the m rows of a row-major m×n matrix, the column index of its largest element, written to
     * {@code index[indexOff + i]}. Ties give the first index; a NaN counts as larger than everything (the
     * first NaN wins, as in numpy). Needs n ≥ 1 when m ≥ 1.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void argmaxRows(int m, int n, double[] a, int aOff, int lda, int[] index, int indexOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (m > 0 && n == 0) {
            throw new IllegalArgumentException("argmax of an empty row: n must be >= 1 when m >= 1, but n was 0");
        }
        Checks.matrix("a", a, aOff, m, n, lda);
        checkIndex(index, indexOff, m);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int best = 0;
            double bv = a[ai];
            if (Vectorization.ENABLED) {
                // one vector pass finds the maximum (NaN if any); a scalar scan finds its first index
                double mx = ReduceKernels.max(a, ai, n);
                int j = 0;
                if (Double.isNaN(mx)) {
                    while (!Double.isNaN(a[ai + j])) {
                        j++;
                    }
                } else {
                    while (a[ai + j] != mx) {
                        j++;
                    }
                }
                index[indexOff + i] = j;
                continue;
            }
            for (int j = 1; j < n && !Double.isNaN(bv); j++) {
                double v = a[ai + j];
                if (v > bv || Double.isNaN(v)) {
                    best = j;
                    bv = v;
                }
            }
            index[indexOff + i] = best;
        }
    }

    /**
     * Accumulates the column sums of a row-major m×n matrix: {@code sums[j] += Σ_i a[i][j]} (the bias gradient
     * {@code db += colsum(dy)}). Rows are added in order.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void addColumnSums(int m, int n, double[] a, int aOff, int lda, double[] sums, int sumsOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("a", a, aOff, m, n, lda);
        Checks.vector("sums", sums, sumsOff, n);
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            if (Vectorization.ENABLED) {
                ActivationKernels.add(a, ai, sums, sumsOff, n);
                continue;
            }
            for (int j = 0; j < n; j++) {
                sums[sumsOff + j] += a[ai + j];
            }
        }
    }
    // </double>

    private static void checkIndex(int[] index, int indexOff, int m) {
        java.util.Objects.requireNonNull(index, "index");
        if (indexOff < 0 || (long) indexOff + m > index.length) {
            throw new IndexOutOfBoundsException("index: elements [" + indexOff + ", " + ((long) indexOff + m)
                    + ") are addressed, but index.length is " + index.length);
        }
    }
}
