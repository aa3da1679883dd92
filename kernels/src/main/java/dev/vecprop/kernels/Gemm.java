package dev.vecprop.kernels;

/**
 * General matrix multiply, BLAS-shaped, row-major: {@code C = alpha·op(A)·op(B) + beta·C}.
 *
 * <p>{@code op(X)} is {@code X} or {@code Xᵀ} by the {@code trans} flags. {@code op(A)} is m×k,
 * {@code op(B)} is k×n, C is m×n. Every matrix is row-major at an offset with a leading dimension (the
 * distance between rows), so sub-matrices of larger arrays work without copying: A is stored m×k
 * ({@code lda >= k}) or, transposed, k×m ({@code lda >= m}); likewise B.
 *
 * <ul>
 *   <li>{@code beta == 0}: C is overwritten and never read, so NaN or garbage already in C does not leak.</li>
 *   <li>{@code alpha == 0} or {@code k == 0}: the product is skipped; C becomes {@code beta·C}.</li>
 *   <li>{@code m == 0} or {@code n == 0}: nothing happens.</li>
 * </ul>
 *
 * <p>Bad input (null array, negative size, leading dimension below its row length, an offset or array too
 * short for the addressed region) throws before C is written: {@link NullPointerException},
 * {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}, naming the argument and the
 * expected and actual values.
 *
 * <p>Threads: the short form uses {@link Parallelism#getDefault()} (serial unless
 * {@code -Dvecprop.threads=N} or {@link Parallelism#setDefault} say otherwise); the form with a trailing
 * {@link Parallelism} argument uses that. Results are bitwise identical for every thread count.
 *
 * <p>Performance: on the Vector API path, a BLIS-style packed kernel (GemmF32/GemmF64, and at 512 bits
 * GemmF32Small/GemmF64Small, the same code with another register tile, for outputs at most 256 wide; the
 * results do not depend on the tile); all four transpose cases run at the same speed. Packing buffers are per
 * thread and reused: after warm-up a serial call allocates nothing. Without the Vector API, a plain scalar loop.
 *
 * <p>Aliasing: the region of C written must not overlap A or B (as in BLAS; the results would be wrong, and
 * nothing checks it). A and B may overlap each other or be the same array ({@code C = A·Aᵀ}).
 *
 * <p>Thread-safe: calls share no mutable state (concurrent calls must not write overlapping C regions).
 */
public final class Gemm {
    private Gemm() {
    }

    /** Single-precision GEMM with the default parallelism; see the class comment for the contract. */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                Parallelism.getDefault());
    }

    /**
     * Single-precision GEMM on up to {@code parallelism.threads()} threads; see the class comment.
     *
     * @throws NullPointerException if an array or {@code parallelism} is null
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float alpha, float[] a, int aOff, int lda,
                             float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc, Parallelism parallelism) {
        checkSizes(m, n, k);
        Checks.matrix("a", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("b", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("c", c, cOff, m, n, ldc);
        java.util.Objects.requireNonNull(parallelism, "parallelism");
        if (m == 0 || n == 0) {
            return;
        }
        if (!Vectorization.ENABLED) {
            GemmReference.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (alpha == 0f || k == 0) {
            GemmF32.scale(m, n, beta, c, cOff, ldc);
        } else if (n <= GemmF32Small.MAX_N && GemmF32Small.DISTINCT) {
            GemmF32Small.gemm(parallelism, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmF32.gemm(parallelism, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    /** Double-precision GEMM with the default parallelism; see the class comment for the contract. */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double alpha, double[] a, int aOff, int lda,
                             double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc,
                Parallelism.getDefault());
    }

    /**
     * Double-precision GEMM on up to {@code parallelism.threads()} threads; see the class comment.
     *
     * @throws NullPointerException if an array or {@code parallelism} is null
     */
    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double alpha, double[] a, int aOff, int lda,
                             double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc, Parallelism parallelism) {
        checkSizes(m, n, k);
        Checks.matrix("a", a, aOff, transA ? k : m, transA ? m : k, lda);
        Checks.matrix("b", b, bOff, transB ? n : k, transB ? k : n, ldb);
        Checks.matrix("c", c, cOff, m, n, ldc);
        java.util.Objects.requireNonNull(parallelism, "parallelism");
        if (m == 0 || n == 0) {
            return;
        }
        if (!Vectorization.ENABLED) {
            GemmReference.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else if (alpha == 0d || k == 0) {
            GemmF64.scale(m, n, beta, c, cOff, ldc);
        } else if (n <= GemmF64Small.MAX_N && GemmF64Small.DISTINCT) {
            GemmF64Small.gemm(parallelism, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        } else {
            GemmF64.gemm(parallelism, transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
        }
    }

    private static void checkSizes(int m, int n, int k) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.nonNegative("k", k);
    }
}
