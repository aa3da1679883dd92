package dev.vecprop.kernels;

/**
 * Softmax and log-softmax over the rows of a row-major m×n matrix, and their backward kernels.
 *
 * <p>Numerically stable: each row's maximum is subtracted before exponentiating, so logits of ±1e4 (or any
 * finite values) give finite results. A row holding NaN gives NaN throughout; a row whose maximum is +∞,
 * or that is all −∞, gives NaN (the limit does not exist). Empty rows ({@code n == 0}) write nothing.
 *
 * <p>Matrices are row-major at an offset with a leading dimension (distance between rows, ≥ n). In place
 * ({@code x == y}, same offset and leading dimension) is allowed for the forward kernels. Backward kernels
 * accumulate into {@code dx}, which must not overlap the other arguments.
 *
 * <p>Accuracy: float results are within a few ulp of the float64 reference (the row sum adds one rounding
 * per element, so the bound grows slowly with n; tests use ≤ 4 ulp + n·2⁻²⁴ relative); double within 1e-14
 * relative (1e-300 absolute).
 *
 * <p>Bad arguments throw before anything is written (see the contract below). Thread-safe.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Softmax {
    private Softmax() {
    }

    // <float>

    /**
     * {@code y[i][j] = e^(x[i][j] − max_i) / Σ_k e^(x[i][k] − max_i)} for each of the m rows.
     * Throws, and size 0: see the class comment.
     */
    public static void softmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        checkPair(m, n, "x", x, xOff, ldx, "y", y, yOff, ldy);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m && n > 0; i++) {
                RowKernels.softmaxRow(x, xOff + i * ldx, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double max = rowMax(x, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            double inv = 1 / sum;
            for (int j = 0; j < n; j++) {
                y[yi + j] = (float) (Math.exp(x[xi + j] - max) * inv);
            }
        }
    }

    /**
     * {@code y[i][j] = x[i][j] − max_i − log Σ_k e^(x[i][k] − max_i)}, the log of {@link #softmax}.
     * Throws, and size 0: see the class comment.
     */
    public static void logSoftmax(int m, int n, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy) {
        checkPair(m, n, "x", x, xOff, ldx, "y", y, yOff, ldy);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m && n > 0; i++) {
                RowKernels.logSoftmaxRow(x, xOff + i * ldx, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double max = rowMax(x, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            // (x − max) − log Σ: the shift max + log Σ rounded as one number would cost ~ulp(max)/2 per output
            double ls = Math.log(sum);
            for (int j = 0; j < n; j++) {
                y[yi + j] = (float) ((x[xi + j] - max) - ls);
            }
        }
    }

    /**
     * Softmax backward from the cached <em>output</em> y: {@code dx[i][j] += y[i][j]·(dy[i][j] − Σ_k dy[i][k]·y[i][k])}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void softmaxBackward(int m, int n, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                       float[] dx, int dxOff, int lddx) {
        checkBackward(m, n, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m; i++) {
                RowKernels.softmaxBackwardRow(y, yOff + i * ldy, dy, dyOff + i * lddy, dx, dxOff + i * lddx, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int yi = yOff + i * ldy;
            int gi = dyOff + i * lddy;
            int di = dxOff + i * lddx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) dy[gi + j] * y[yi + j];
            }
            for (int j = 0; j < n; j++) {
                dx[di + j] = (float) (dx[di + j] + y[yi + j] * (dy[gi + j] - dot));
            }
        }
    }

    /**
     * Log-softmax backward from the cached <em>output</em> y (the log-probabilities):
     * {@code dx[i][j] += dy[i][j] − e^(y[i][j])·Σ_k dy[i][k]}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void logSoftmaxBackward(int m, int n, float[] y, int yOff, int ldy, float[] dy, int dyOff,
                                          int lddy, float[] dx, int dxOff, int lddx) {
        checkBackward(m, n, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m; i++) {
                RowKernels.logSoftmaxBackwardRow(y, yOff + i * ldy, dy, dyOff + i * lddy, dx, dxOff + i * lddx, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int yi = yOff + i * ldy;
            int gi = dyOff + i * lddy;
            int di = dxOff + i * lddx;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += dy[gi + j];
            }
            for (int j = 0; j < n; j++) {
                dx[di + j] = (float) (dx[di + j] + dy[gi + j] - Math.exp(y[yi + j]) * sum);
            }
        }
    }

    /** The row maximum, NaN if the row holds a NaN (Math.max propagates it). */
    static double rowMax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    private static void checkPair(int m, int n, String xName, float[] x, int xOff, int ldx, String yName, float[] y,
                                  int yOff, int ldy) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix(xName, x, xOff, m, n, ldx);
        Checks.matrix(yName, y, yOff, m, n, ldy);
    }

    private static void checkBackward(int m, int n, float[] y, int yOff, int ldy, float[] dy, int dyOff, int lddy,
                                      float[] dx, int dxOff, int lddx) {
        checkPair(m, n, "y", y, yOff, ldy, "dy", dy, dyOff, lddy);
        Checks.matrix("dx", dx, dxOff, m, n, lddx);
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * {@code y[i][j] = e^(x[i][j] − max_i) / Σ_k e^(x[i][k] − max_i)} for each of the m rows.
     * Throws, and size 0: see the class comment.
     */
    public static void softmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        checkPair(m, n, "x", x, xOff, ldx, "y", y, yOff, ldy);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m && n > 0; i++) {
                RowKernels.softmaxRow(x, xOff + i * ldx, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double max = rowMax(x, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            double inv = 1 / sum;
            for (int j = 0; j < n; j++) {
                y[yi + j] = (Math.exp(x[xi + j] - max) * inv);
            }
        }
    }

    /**
     * {@code y[i][j] = x[i][j] − max_i − log Σ_k e^(x[i][k] − max_i)}, the log of {@link #softmax}.
     * Throws, and size 0: see the class comment.
     */
    public static void logSoftmax(int m, int n, double[] x, int xOff, int ldx, double[] y, int yOff, int ldy) {
        checkPair(m, n, "x", x, xOff, ldx, "y", y, yOff, ldy);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m && n > 0; i++) {
                RowKernels.logSoftmaxRow(x, xOff + i * ldx, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double max = rowMax(x, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            // (x − max) − log Σ: the shift max + log Σ rounded as one number would cost ~ulp(max)/2 per output
            double ls = Math.log(sum);
            for (int j = 0; j < n; j++) {
                y[yi + j] = ((x[xi + j] - max) - ls);
            }
        }
    }

    /**
     * Softmax backward from the cached <em>output</em> y: {@code dx[i][j] += y[i][j]·(dy[i][j] − Σ_k dy[i][k]·y[i][k])}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void softmaxBackward(int m, int n, double[] y, int yOff, int ldy, double[] dy, int dyOff, int lddy,
                                       double[] dx, int dxOff, int lddx) {
        checkBackward(m, n, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m; i++) {
                RowKernels.softmaxBackwardRow(y, yOff + i * ldy, dy, dyOff + i * lddy, dx, dxOff + i * lddx, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int yi = yOff + i * ldy;
            int gi = dyOff + i * lddy;
            int di = dxOff + i * lddx;
            double dot = 0;
            for (int j = 0; j < n; j++) {
                dot += (double) dy[gi + j] * y[yi + j];
            }
            for (int j = 0; j < n; j++) {
                dx[di + j] = (dx[di + j] + y[yi + j] * (dy[gi + j] - dot));
            }
        }
    }

    /**
     * Log-softmax backward from the cached <em>output</em> y (the log-probabilities):
     * {@code dx[i][j] += dy[i][j] − e^(y[i][j])·Σ_k dy[i][k]}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void logSoftmaxBackward(int m, int n, double[] y, int yOff, int ldy, double[] dy, int dyOff,
                                          int lddy, double[] dx, int dxOff, int lddx) {
        checkBackward(m, n, y, yOff, ldy, dy, dyOff, lddy, dx, dxOff, lddx);
        if (Vectorization.ENABLED) {
            for (int i = 0; i < m; i++) {
                RowKernels.logSoftmaxBackwardRow(y, yOff + i * ldy, dy, dyOff + i * lddy, dx, dxOff + i * lddx, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int yi = yOff + i * ldy;
            int gi = dyOff + i * lddy;
            int di = dxOff + i * lddx;
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += dy[gi + j];
            }
            for (int j = 0; j < n; j++) {
                dx[di + j] = (dx[di + j] + dy[gi + j] - Math.exp(y[yi + j]) * sum);
            }
        }
    }

    /** The row maximum, NaN if the row holds a NaN (Math.max propagates it). */
    static double rowMax(double[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        return max;
    }

    private static void checkPair(int m, int n, String xName, double[] x, int xOff, int ldx, String yName, double[] y,
                                  int yOff, int ldy) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix(xName, x, xOff, m, n, ldx);
        Checks.matrix(yName, y, yOff, m, n, ldy);
    }

    private static void checkBackward(int m, int n, double[] y, int yOff, int ldy, double[] dy, int dyOff, int lddy,
                                      double[] dx, int dxOff, int lddx) {
        checkPair(m, n, "y", y, yOff, ldy, "dy", dy, dyOff, lddy);
        Checks.matrix("dx", dx, dxOff, m, n, lddx);
    }
    // </double>

}
