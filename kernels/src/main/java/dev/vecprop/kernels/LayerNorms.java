package dev.vecprop.kernels;

/**
 * Layer normalization over the rows of a row-major m×n matrix (PyTorch {@code LayerNorm(n)} semantics):
 * {@code y = (x − μ)·rstd·γ + β} with per-row mean μ, biased variance σ² = mean((x − μ)²) and
 * {@code rstd = 1/√(σ² + eps)}; γ and β have n elements.
 *
 * <p>The forward caches μ and rstd (m each) for the backward, which then recomputes x̂ = (x − μ)·rstd from the
 * input: no m×n cache beyond x itself. The backward <em>accumulates</em> {@code dx}, {@code dγ} and {@code dβ}:
 * <pre>
 *   g = dy·γ,   dx += rstd·(g − mean(g) − x̂·mean(g·x̂)),   dγ += Σ_rows dy·x̂,   dβ += Σ_rows dy
 * </pre>
 * The variance is computed in two passes (mean first, then the squared deviations), so rows with a large
 * common offset keep their precision. Rows of length 0 write nothing (also no μ/rstd).
 *
 * <p>In place ({@code x == y}, same offset and leading dimension) is allowed in the forward. Bad arguments
 * throw before anything is written. Thread-safe.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class LayerNorms {
    private LayerNorms() {
    }

    // <float>

    /**
     * Layer norm forward.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param eps   added to the variance (PyTorch's default is 1e-5); must be ≥ 0
     * @param gamma n scale factors from {@code gammaOff}, or null for all ones
     * @param beta  n shifts from {@code betaOff}, or null for all zeros
     * @param mean  output: m row means from {@code meanOff}, or null (inference)
     * @param rstd  output: m reciprocal standard deviations from {@code rstdOff}, or null (inference)
     */
    public static void layerNorm(int m, int n, float eps, float[] x, int xOff, int ldx, float[] gamma, int gammaOff,
                                 float[] beta, int betaOff, float[] y, int yOff, int ldy, float[] mean, int meanOff,
                                 float[] rstd, int rstdOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, but was " + eps);
        }
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (gamma != null) {
            Checks.vector("gamma", gamma, gammaOff, n);
        }
        if (beta != null) {
            Checks.vector("beta", beta, betaOff, n);
        }
        Checks.matrix("y", y, yOff, m, n, ldy);
        if (mean != null) {
            Checks.vector("mean", mean, meanOff, m);
        }
        if (rstd != null) {
            Checks.vector("rstd", rstd, rstdOff, m);
        }
        if (n == 0) {
            return;
        }
        if (Vectorization.ENABLED) {
            double[] sums = RowKernels.pair();
            for (int i = 0; i < m; i++) {
                int xi = xOff + i * ldx;
                // corrected two-pass: μ₁ from a first sum, then Σ(x − μ₁) and Σ(x − μ₁)² recover μ and σ²
                float mu1 = (float) (ReduceKernels.sum(x, xi, n) / n);
                RowKernels.centredSums(x, xi, mu1, n, sums);
                double c = sums[0] / n;
                double var = Math.max(0, sums[1] / n - c * c);
                float r = (float) (1 / Math.sqrt(var + eps));
                if (mean != null) {
                    mean[meanOff + i] = (float) (mu1 + c);
                }
                if (rstd != null) {
                    rstd[rstdOff + i] = r;
                }
                RowKernels.normalizeRow(x, xi, mu1, (float) c, r, gamma, gammaOff, beta, betaOff, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += x[xi + j];
            }
            double mu = s / n;
            double ss = 0;
            for (int j = 0; j < n; j++) {
                double d = x[xi + j] - mu;
                ss += d * d;
            }
            double r = 1 / Math.sqrt(ss / n + eps);
            if (mean != null) {
                mean[meanOff + i] = (float) mu;
            }
            if (rstd != null) {
                rstd[rstdOff + i] = (float) r;
            }
            for (int j = 0; j < n; j++) {
                double v = (x[xi + j] - mu) * r;
                if (gamma != null) {
                    v *= gamma[gammaOff + j];
                }
                if (beta != null) {
                    v += beta[betaOff + j];
                }
                y[yi + j] = (float) v;
            }
        }
    }

    /**
     * Layer norm backward (accumulating; see the class comment).
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param x      the forward input (m×n)
     * @param gamma  the forward γ, or null if the forward had none
     * @param mean   the m row means the forward stored
     * @param rstd   the m reciprocal standard deviations the forward stored
     * @param dy     gradient of the output (m×n)
     * @param dx     accumulates the input gradient (m×n), or null if not wanted
     * @param dgamma accumulates the γ gradient (n), or null
     * @param dbeta  accumulates the β gradient (n), or null
     */
    public static void layerNormBackward(int m, int n, float[] x, int xOff, int ldx, float[] gamma, int gammaOff,
                                         float[] mean, int meanOff, float[] rstd, int rstdOff, float[] dy, int dyOff,
                                         int lddy, float[] dx, int dxOff, int lddx, float[] dgamma, int dgammaOff,
                                         float[] dbeta, int dbetaOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (gamma != null) {
            Checks.vector("gamma", gamma, gammaOff, n);
        }
        Checks.vector("mean", mean, meanOff, m);
        Checks.vector("rstd", rstd, rstdOff, m);
        Checks.matrix("dy", dy, dyOff, m, n, lddy);
        if (dx != null) {
            Checks.matrix("dx", dx, dxOff, m, n, lddx);
        }
        if (dgamma != null) {
            Checks.vector("dgamma", dgamma, dgammaOff, n);
        }
        if (dbeta != null) {
            Checks.vector("dbeta", dbeta, dbetaOff, n);
        }
        if (n == 0) {
            return;
        }
        if (Vectorization.ENABLED) {
            double[] sums = RowKernels.pair();
            for (int i = 0; i < m; i++) {
                int xi = xOff + i * ldx;
                int gi = dyOff + i * lddy;
                float mu = mean[meanOff + i];
                float r = rstd[rstdOff + i];
                // the stored mean is rounded; as in the forward, recover its tail from Σ(x − μ) (exact
                // differences when |μ| ≫ std), so x̂ = ((x − μ) − tail)·rstd matches the forward's x̂
                RowKernels.centredSums(x, xi, mu, n, sums);
                float muLo = (float) (sums[0] / n);
                RowKernels.layerNormBackwardSums(x, xi, mu, muLo, r, gamma, gammaOff, dy, gi, dgamma, dgammaOff,
                        dbeta, dbetaOff, n, sums);
                if (dx != null) {
                    RowKernels.layerNormBackwardDx(x, xi, mu, muLo, r, gamma, gammaOff, dy, gi,
                            (float) (sums[0] / n), (float) (sums[1] / n), dx, dxOff + i * lddx, n);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int gi = dyOff + i * lddy;
            double r = rstd[rstdOff + i];
            // the stored mean is rounded: re-centre on the row's own mean (see the vector path)
            double mu0 = mean[meanOff + i];
            double c = 0;
            for (int j = 0; j < n; j++) {
                c += x[xi + j] - mu0;
            }
            double muLo = c / n;
            double sumG = 0;
            double sumGXhat = 0;
            for (int j = 0; j < n; j++) {
                double xhat = ((x[xi + j] - mu0) - muLo) * r;
                double g = gamma == null ? dy[gi + j] : (double) dy[gi + j] * gamma[gammaOff + j];
                sumG += g;
                sumGXhat += g * xhat;
                if (dgamma != null) {
                    dgamma[dgammaOff + j] = (float) (dgamma[dgammaOff + j] + dy[gi + j] * xhat);
                }
                if (dbeta != null) {
                    dbeta[dbetaOff + j] += dy[gi + j];
                }
            }
            if (dx == null) {
                continue;
            }
            double meanG = sumG / n;
            double meanGXhat = sumGXhat / n;
            int di = dxOff + i * lddx;
            for (int j = 0; j < n; j++) {
                double xhat = ((x[xi + j] - mu0) - muLo) * r;
                double g = gamma == null ? dy[gi + j] : (double) dy[gi + j] * gamma[gammaOff + j];
                dx[di + j] = (float) (dx[di + j] + r * (g - meanG - xhat * meanGXhat));
            }
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * Layer norm forward.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param eps   added to the variance (PyTorch's default is 1e-5); must be ≥ 0
     * @param gamma n scale factors from {@code gammaOff}, or null for all ones
     * @param beta  n shifts from {@code betaOff}, or null for all zeros
     * @param mean  output: m row means from {@code meanOff}, or null (inference)
     * @param rstd  output: m reciprocal standard deviations from {@code rstdOff}, or null (inference)
     */
    public static void layerNorm(int m, int n, double eps, double[] x, int xOff, int ldx, double[] gamma, int gammaOff,
                                 double[] beta, int betaOff, double[] y, int yOff, int ldy, double[] mean, int meanOff,
                                 double[] rstd, int rstdOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        if (!(eps >= 0)) {
            throw new IllegalArgumentException("eps must be >= 0, but was " + eps);
        }
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (gamma != null) {
            Checks.vector("gamma", gamma, gammaOff, n);
        }
        if (beta != null) {
            Checks.vector("beta", beta, betaOff, n);
        }
        Checks.matrix("y", y, yOff, m, n, ldy);
        if (mean != null) {
            Checks.vector("mean", mean, meanOff, m);
        }
        if (rstd != null) {
            Checks.vector("rstd", rstd, rstdOff, m);
        }
        if (n == 0) {
            return;
        }
        if (Vectorization.ENABLED) {
            double[] sums = RowKernels.pair();
            for (int i = 0; i < m; i++) {
                int xi = xOff + i * ldx;
                // corrected two-pass: μ₁ from a first sum, then Σ(x − μ₁) and Σ(x − μ₁)² recover μ and σ²
                double mu1 = (ReduceKernels.sum(x, xi, n) / n);
                RowKernels.centredSums(x, xi, mu1, n, sums);
                double c = sums[0] / n;
                double var = Math.max(0, sums[1] / n - c * c);
                double r = (1 / Math.sqrt(var + eps));
                if (mean != null) {
                    mean[meanOff + i] = (mu1 + c);
                }
                if (rstd != null) {
                    rstd[rstdOff + i] = r;
                }
                RowKernels.normalizeRow(x, xi, mu1, (double) c, r, gamma, gammaOff, beta, betaOff, y, yOff + i * ldy, n);
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int yi = yOff + i * ldy;
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += x[xi + j];
            }
            double mu = s / n;
            double ss = 0;
            for (int j = 0; j < n; j++) {
                double d = x[xi + j] - mu;
                ss += d * d;
            }
            double r = 1 / Math.sqrt(ss / n + eps);
            if (mean != null) {
                mean[meanOff + i] = (double) mu;
            }
            if (rstd != null) {
                rstd[rstdOff + i] = (double) r;
            }
            for (int j = 0; j < n; j++) {
                double v = (x[xi + j] - mu) * r;
                if (gamma != null) {
                    v *= gamma[gammaOff + j];
                }
                if (beta != null) {
                    v += beta[betaOff + j];
                }
                y[yi + j] = (double) v;
            }
        }
    }

    /**
     * Layer norm backward (accumulating; see the class comment).
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param x      the forward input (m×n)
     * @param gamma  the forward γ, or null if the forward had none
     * @param mean   the m row means the forward stored
     * @param rstd   the m reciprocal standard deviations the forward stored
     * @param dy     gradient of the output (m×n)
     * @param dx     accumulates the input gradient (m×n), or null if not wanted
     * @param dgamma accumulates the γ gradient (n), or null
     * @param dbeta  accumulates the β gradient (n), or null
     */
    public static void layerNormBackward(int m, int n, double[] x, int xOff, int ldx, double[] gamma, int gammaOff,
                                         double[] mean, int meanOff, double[] rstd, int rstdOff, double[] dy, int dyOff,
                                         int lddy, double[] dx, int dxOff, int lddx, double[] dgamma, int dgammaOff,
                                         double[] dbeta, int dbetaOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("x", x, xOff, m, n, ldx);
        if (gamma != null) {
            Checks.vector("gamma", gamma, gammaOff, n);
        }
        Checks.vector("mean", mean, meanOff, m);
        Checks.vector("rstd", rstd, rstdOff, m);
        Checks.matrix("dy", dy, dyOff, m, n, lddy);
        if (dx != null) {
            Checks.matrix("dx", dx, dxOff, m, n, lddx);
        }
        if (dgamma != null) {
            Checks.vector("dgamma", dgamma, dgammaOff, n);
        }
        if (dbeta != null) {
            Checks.vector("dbeta", dbeta, dbetaOff, n);
        }
        if (n == 0) {
            return;
        }
        if (Vectorization.ENABLED) {
            double[] sums = RowKernels.pair();
            for (int i = 0; i < m; i++) {
                int xi = xOff + i * ldx;
                int gi = dyOff + i * lddy;
                double mu = mean[meanOff + i];
                double r = rstd[rstdOff + i];
                // the stored mean is rounded; as in the forward, recover its tail from Σ(x − μ) (exact
                // differences when |μ| ≫ std), so x̂ = ((x − μ) − tail)·rstd matches the forward's x̂
                RowKernels.centredSums(x, xi, mu, n, sums);
                double muLo = (sums[0] / n);
                RowKernels.layerNormBackwardSums(x, xi, mu, muLo, r, gamma, gammaOff, dy, gi, dgamma, dgammaOff,
                        dbeta, dbetaOff, n, sums);
                if (dx != null) {
                    RowKernels.layerNormBackwardDx(x, xi, mu, muLo, r, gamma, gammaOff, dy, gi,
                            (sums[0] / n), (sums[1] / n), dx, dxOff + i * lddx, n);
                }
            }
            return;
        }
        for (int i = 0; i < m; i++) {
            int xi = xOff + i * ldx;
            int gi = dyOff + i * lddy;
            double r = rstd[rstdOff + i];
            // the stored mean is rounded: re-centre on the row's own mean (see the vector path)
            double mu0 = mean[meanOff + i];
            double c = 0;
            for (int j = 0; j < n; j++) {
                c += x[xi + j] - mu0;
            }
            double muLo = c / n;
            double sumG = 0;
            double sumGXhat = 0;
            for (int j = 0; j < n; j++) {
                double xhat = ((x[xi + j] - mu0) - muLo) * r;
                double g = gamma == null ? dy[gi + j] : (double) dy[gi + j] * gamma[gammaOff + j];
                sumG += g;
                sumGXhat += g * xhat;
                if (dgamma != null) {
                    dgamma[dgammaOff + j] = (dgamma[dgammaOff + j] + dy[gi + j] * xhat);
                }
                if (dbeta != null) {
                    dbeta[dbetaOff + j] += dy[gi + j];
                }
            }
            if (dx == null) {
                continue;
            }
            double meanG = sumG / n;
            double meanGXhat = sumGXhat / n;
            int di = dxOff + i * lddx;
            for (int j = 0; j < n; j++) {
                double xhat = ((x[xi + j] - mu0) - muLo) * r;
                double g = gamma == null ? dy[gi + j] : (double) dy[gi + j] * gamma[gammaOff + j];
                dx[di + j] = (dx[di + j] + r * (g - meanG - xhat * meanGXhat));
            }
        }
    }
    // </double>

}
