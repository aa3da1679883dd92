package dev.vecprop.kernels;

/**
 * BLAS level-1 kernels on contiguous vectors at an offset: axpy, scale, fill, copy. Argument order follows
 * the rest of the library (arrays with offsets, then the length, then scalars), not Fortran BLAS.
 *
 * <p>axpy is a fused multiply-add ({@code y = fma(alpha, x, y)}, one rounding) on both the vector and the
 * scalar path, so both give identical results. Bad arguments throw before anything is written. Thread-safe.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Blas1 {
    private Blas1() {
    }

    // <float>

    /**
     * {@code y += alpha·x} over n elements. {@code x} and {@code y} must not overlap unless identical.
     * Throws, and size 0: see the class comment.
     */
    public static void axpy(float[] x, int xOff, float[] y, int yOff, int n, float alpha) {
        Checks.vector("x", x, xOff, n);
        Checks.vector("y", y, yOff, n);
        if (Vectorization.ENABLED) {
            ReduceKernels.axpy(x, xOff, y, yOff, n, alpha);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    /** {@code x *= alpha} over n elements, in place. Throws, and size 0: see the class comment. */
    public static void scale(float[] x, int xOff, int n, float alpha) {
        Checks.vector("x", x, xOff, n);
        if (Vectorization.ENABLED) {
            ReduceKernels.scale(x, xOff, n, alpha);
            return;
        }
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    /**
     * Sets n elements of {@code x} to {@code value} (use 0 to zero a gradient before a backward pass).
     * Throws, and size 0: see the class comment.
     */
    public static void fill(float[] x, int xOff, int n, float value) {
        Checks.vector("x", x, xOff, n);
        java.util.Arrays.fill(x, xOff, xOff + n, value);
    }

    /**
     * Copies n elements from {@code src} to {@code dst}; overlapping regions copy as if through a temporary.
     * Throws, and size 0: see the class comment.
     */
    public static void copy(float[] src, int srcOff, float[] dst, int dstOff, int n) {
        Checks.vector("src", src, srcOff, n);
        Checks.vector("dst", dst, dstOff, n);
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * {@code y += alpha·x} over n elements. {@code x} and {@code y} must not overlap unless identical.
     * Throws, and size 0: see the class comment.
     */
    public static void axpy(double[] x, int xOff, double[] y, int yOff, int n, double alpha) {
        Checks.vector("x", x, xOff, n);
        Checks.vector("y", y, yOff, n);
        if (Vectorization.ENABLED) {
            ReduceKernels.axpy(x, xOff, y, yOff, n, alpha);
            return;
        }
        for (int i = 0; i < n; i++) {
            y[yOff + i] = Math.fma(alpha, x[xOff + i], y[yOff + i]);
        }
    }

    /** {@code x *= alpha} over n elements, in place. Throws, and size 0: see the class comment. */
    public static void scale(double[] x, int xOff, int n, double alpha) {
        Checks.vector("x", x, xOff, n);
        if (Vectorization.ENABLED) {
            ReduceKernels.scale(x, xOff, n, alpha);
            return;
        }
        for (int i = 0; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    /**
     * Sets n elements of {@code x} to {@code value} (use 0 to zero a gradient before a backward pass).
     * Throws, and size 0: see the class comment.
     */
    public static void fill(double[] x, int xOff, int n, double value) {
        Checks.vector("x", x, xOff, n);
        java.util.Arrays.fill(x, xOff, xOff + n, value);
    }

    /**
     * Copies n elements from {@code src} to {@code dst}; overlapping regions copy as if through a temporary.
     * Throws, and size 0: see the class comment.
     */
    public static void copy(double[] src, int srcOff, double[] dst, int dstOff, int n) {
        Checks.vector("src", src, srcOff, n);
        Checks.vector("dst", dst, dstOff, n);
        System.arraycopy(src, srcOff, dst, dstOff, n);
    }
    // </double>

}
