package dev.vecprop.nn;

import dev.vecprop.kernels.Gemm;

/**
 * The single place where nn reaches the kernels: every element loop nn needs is one call here, dispatched by
 * dtype to the float or double kernel. Layers, losses and optimizers call only this class (DESIGN §1).
 *
 * <p>TEMPORARY: until the elementwise kernels land (branch {@code elementwise}), the bodies below that are not
 * GEMM are plain scalar loops with the kernels' contracts; they are swapped for kernel calls on merge.
 */
final class Kern {
    private Kern() {
    }

    // ---------------------------------------------------------------- GEMM

    /** {@code C = alpha·op(A)·op(B) + beta·C} on tensors' backing arrays (all of one dtype). */
    static void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, Tensor a, int lda, Tensor b, int ldb,
                     double beta, Tensor c, int ldc) {
        if (c.dtype() == DType.F32) {
            Gemm.sgemm(ta, tb, m, n, k, (float) alpha, a.floats(), a.offset(), lda, b.floats(), b.offset(), ldb,
                    (float) beta, c.floats(), c.offset(), ldc);
        } else {
            Gemm.dgemm(ta, tb, m, n, k, alpha, a.doubles(), a.offset(), lda, b.doubles(), b.offset(), ldb,
                    beta, c.doubles(), c.offset(), ldc);
        }
    }

    // ---------------------------------------------------------------- BLAS-1

    static void fill(Tensor t, double v) {
        int o = t.offset(), n = t.size();
        if (t.dtype() == DType.F32) {
            java.util.Arrays.fill(t.floats(), o, o + n, (float) v);
        } else {
            java.util.Arrays.fill(t.doubles(), o, o + n, v);
        }
    }

    /** {@code dst = src} (same size). */
    static void copy(Tensor src, Tensor dst) {
        if (src.dtype() == DType.F32) {
            System.arraycopy(src.floats(), src.offset(), dst.floats(), dst.offset(), src.size());
        } else {
            System.arraycopy(src.doubles(), src.offset(), dst.doubles(), dst.offset(), src.size());
        }
    }

    /** {@code y += a·x} (same size). */
    static void axpy(double a, Tensor x, Tensor y) {
        int n = x.size(), xo = x.offset(), yo = y.offset();
        if (x.dtype() == DType.F32) {
            float[] xs = x.floats(), ys = y.floats();
            float af = (float) a;
            for (int i = 0; i < n; i++) {
                ys[yo + i] += af * xs[xo + i];
            }
        } else {
            double[] xs = x.doubles(), ys = y.doubles();
            for (int i = 0; i < n; i++) {
                ys[yo + i] += a * xs[xo + i];
            }
        }
    }

    /** {@code out = a ⊙ b} elementwise (same size; out may be a or b). */
    static void multiply(Tensor a, Tensor b, Tensor out) {
        int n = a.size();
        for (int i = 0; i < n; i++) {
            out.set(i, a.get(i) * b.get(i));
        }
    }

    /** {@code t *= a}. */
    static void scale(Tensor t, double a) {
        int n = t.size(), o = t.offset();
        if (t.dtype() == DType.F32) {
            float[] xs = t.floats();
            float af = (float) a;
            for (int i = 0; i < n; i++) {
                xs[o + i] *= af;
            }
        } else {
            double[] xs = t.doubles();
            for (int i = 0; i < n; i++) {
                xs[o + i] *= a;
            }
        }
    }

    /** {@code Σ t[from, from+n)²}, accumulated in double. */
    static double sumSquares(Tensor t, int from, int n) {
        int o = t.offset() + from;
        double s = 0;
        if (t.dtype() == DType.F32) {
            float[] xs = t.floats();
            for (int i = 0; i < n; i++) {
                double v = xs[o + i];
                s += v * v;
            }
        } else {
            double[] xs = t.doubles();
            for (int i = 0; i < n; i++) {
                s += xs[o + i] * xs[o + i];
            }
        }
        return s;
    }

    // ---------------------------------------------------------------- bias

    /** Each of the {@code rows} rows of {@code y} (width {@code cols}) becomes {@code b}: the GEMM then adds into it. */
    static void broadcastRows(Tensor b, Tensor y, int rows, int cols) {
        int yo = y.offset();
        if (y.dtype() == DType.F32) {
            float[] bs = b.floats(), ys = y.floats();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bs, b.offset(), ys, yo + r * cols, cols);
            }
        } else {
            double[] bs = b.doubles(), ys = y.doubles();
            for (int r = 0; r < rows; r++) {
                System.arraycopy(bs, b.offset(), ys, yo + r * cols, cols);
            }
        }
    }

    /** {@code db += Σ_rows dy} (the bias gradient). */
    static void colSumAccumulate(Tensor dy, int rows, int cols, Tensor db) {
        int o = dy.offset(), bo = db.offset();
        if (dy.dtype() == DType.F32) {
            float[] d = dy.floats(), b = db.floats();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    b[bo + c] += d[o + r * cols + c];
                }
            }
        } else {
            double[] d = dy.doubles(), b = db.doubles();
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    b[bo + c] += d[o + r * cols + c];
                }
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /** Which elementwise function an {@link Activation} applies. */
    enum Act { RELU, LEAKY_RELU, SIGMOID, TANH, GELU, SILU, SOFTPLUS }

    /** {@code y = f(x)}. */
    static void activation(Act act, double alpha, Tensor x, Tensor y) {
        int n = x.size();
        for (int i = 0; i < n; i++) {
            y.set(i, f(act, alpha, x.get(i)));
        }
    }

    /** {@code dx = dy ⊙ f′(x)} (overwrites dx); {@code y = f(x)} is passed for functions whose derivative uses it. */
    static void activationBackward(Act act, double alpha, Tensor x, Tensor y, Tensor dy, Tensor dx) {
        int n = x.size();
        for (int i = 0; i < n; i++) {
            dx.set(i, dy.get(i) * df(act, alpha, x.get(i), y.get(i)));
        }
    }

    private static double sigmoid(double v) {
        return v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }

    private static final double GELU_C = Math.sqrt(2 / Math.PI);

    private static double f(Act act, double alpha, double v) {
        return switch (act) {
            case RELU -> Math.max(v, 0.0); // NaN propagates
            case LEAKY_RELU -> v > 0 ? v : alpha * v;
            case SIGMOID -> sigmoid(v);
            case TANH -> Math.tanh(v);
            case GELU -> v * sigmoid(2 * GELU_C * (v + 0.044715 * v * v * v));
            case SILU -> v * sigmoid(v);
            case SOFTPLUS -> Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));
        };
    }

    private static double df(Act act, double alpha, double v, double y) {
        return switch (act) {
            case RELU -> v > 0 ? 1.0 : 0.0;
            case LEAKY_RELU -> v > 0 ? 1.0 : alpha;
            case SIGMOID -> y * (1 - y);
            case TANH -> 1 - y * y;
            case GELU -> {
                double u = GELU_C * (v + 0.044715 * v * v * v);
                double du = GELU_C * (1 + 3 * 0.044715 * v * v);
                double t = Math.tanh(u);
                yield 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du;
            }
            case SILU -> {
                double s = sigmoid(v);
                yield s * (1 + v * (1 - s));
            }
            case SOFTPLUS -> sigmoid(v);
        };
    }

    // ---------------------------------------------------------------- layer norm

    /** Row-wise layer norm: {@code y = (x − mean)·rstd·γ + β}; writes mean and rstd per row. */
    static void layerNorm(Tensor x, int rows, int cols, Tensor gamma, Tensor beta, double eps,
                          Tensor y, Tensor mean, Tensor rstd) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += x.get(o + c);
            }
            double mu = s / cols;
            double v = 0;
            for (int c = 0; c < cols; c++) {
                double t = x.get(o + c) - mu;
                v += t * t;
            }
            double rs = 1 / Math.sqrt(v / cols + eps);
            mean.set(r, mu);
            rstd.set(r, rs);
            for (int c = 0; c < cols; c++) {
                y.set(o + c, (x.get(o + c) - mu) * rs * gamma.get(c) + beta.get(c));
            }
        }
    }

    /** Layer-norm backward: dx overwritten; {@code dγ += Σ dy·x̂}, {@code dβ += Σ dy}. */
    static void layerNormBackward(Tensor x, Tensor dy, int rows, int cols, Tensor gamma, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dgamma, Tensor dbeta) {
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mu = mean.get(r), rs = rstd.get(r);
            double sumG = 0, sumGx = 0;
            for (int c = 0; c < cols; c++) {
                double xh = (x.get(o + c) - mu) * rs;
                double g = dy.get(o + c) * gamma.get(c);
                sumG += g;
                sumGx += g * xh;
                dgamma.set(c, dgamma.get(c) + dy.get(o + c) * xh);
                dbeta.set(c, dbeta.get(c) + dy.get(o + c));
            }
            for (int c = 0; c < cols; c++) {
                double xh = (x.get(o + c) - mu) * rs;
                double g = dy.get(o + c) * gamma.get(c);
                dx.set(o + c, rs * (g - sumG / cols - xh * sumGx / cols));
            }
        }
    }

    // ---------------------------------------------------------------- losses

    /** Softmax of each row into probs; returns the mean over rows of {@code −log p[label]}. Labels already checked. */
    static double softmaxCrossEntropy(Tensor logits, int rows, int cols, int[] labels, int labelOff, Tensor probs) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double mx = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < cols; c++) {
                mx = Math.max(mx, logits.get(o + c));
            }
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += Math.exp(logits.get(o + c) - mx);
            }
            for (int c = 0; c < cols; c++) {
                probs.set(o + c, Math.exp(logits.get(o + c) - mx) / s);
            }
            total += mx + Math.log(s) - logits.get(o + labels[labelOff + r]);
        }
        return total / rows;
    }

    /** {@code dlogits = (p − onehot(label)) / rows} (overwrites). */
    static void softmaxCrossEntropyBackward(Tensor probs, int rows, int cols, int[] labels, int labelOff, Tensor dlogits) {
        double inv = 1.0 / rows;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            for (int c = 0; c < cols; c++) {
                double p = probs.get(o + c) - (c == labels[labelOff + r] ? 1 : 0);
                dlogits.set(o + c, p * inv);
            }
        }
    }

    /** Mean over all elements of {@code (p − t)²}. */
    static double mse(Tensor p, Tensor t) {
        double s = 0;
        for (int i = 0; i < p.size(); i++) {
            double d = p.get(i) - t.get(i);
            s += d * d;
        }
        return s / p.size();
    }

    /** {@code dp = 2(p − t)/n} (overwrites). */
    static void mseBackward(Tensor p, Tensor t, Tensor dp) {
        double k = 2.0 / p.size();
        for (int i = 0; i < p.size(); i++) {
            dp.set(i, k * (p.get(i) - t.get(i)));
        }
    }

    /** Mean over all elements of {@code max(x,0) − x·t + log(1 + e^{−|x|})}. */
    static double bceWithLogits(Tensor x, Tensor t) {
        double s = 0;
        for (int i = 0; i < x.size(); i++) {
            double v = x.get(i);
            s += Math.max(v, 0) - v * t.get(i) + Math.log1p(Math.exp(-Math.abs(v)));
        }
        return s / x.size();
    }

    /** {@code dx = (σ(x) − t)/n} (overwrites). */
    static void bceWithLogitsBackward(Tensor x, Tensor t, Tensor dx) {
        double k = 1.0 / x.size();
        for (int i = 0; i < x.size(); i++) {
            dx.set(i, k * (sigmoid(x.get(i)) - t.get(i)));
        }
    }

    /** How many rows have their (first) maximum at the label. */
    static int countArgmaxMatches(Tensor logits, int rows, int cols, int[] labels, int labelOff) {
        int hits = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols, best = 0;
            double bv = logits.get(o);
            for (int c = 1; c < cols; c++) {
                double v = logits.get(o + c);
                if (v > bv) {
                    bv = v;
                    best = c;
                }
            }
            if (best == labels[labelOff + r]) {
                hits++;
            }
        }
        return hits;
    }

    /** How many elements have {@code (x > 0) == (t > 0.5)}: binary accuracy on logits. */
    static int countSignMatches(Tensor x, Tensor t) {
        int hits = 0;
        for (int i = 0; i < x.size(); i++) {
            if ((x.get(i) > 0) == (t.get(i) > 0.5)) {
                hits++;
            }
        }
        return hits;
    }

    // ---------------------------------------------------------------- optimizer updates

    /** PyTorch SGD: {@code g = grad + wd·p; buf = μ·buf + g; g = nesterov ? g + μ·buf : buf; p −= lr·g} (buf unused if μ = 0). */
    static void sgd(Tensor p, Tensor g, Tensor buf, double lr, double momentum, boolean nesterov, double wd) {
        for (int i = 0; i < p.size(); i++) {
            double pi = p.get(i);
            double gi = g.get(i) + wd * pi;
            if (momentum != 0) {
                double b = momentum * buf.get(i) + gi;
                buf.set(i, b);
                gi = nesterov ? gi + momentum * b : b;
            }
            p.set(i, pi - lr * gi);
        }
    }

    /**
     * PyTorch Adam ({@code decoupled = false}: {@code g += wd·p}) or AdamW ({@code decoupled = true}:
     * {@code p *= 1 − lr·wd}), step {@code t >= 1}, bias-corrected.
     */
    static void adam(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double b1, double b2, double eps, double wd,
                     boolean decoupled, long t) {
        double bc1 = 1 - Math.pow(b1, t);
        double bc2 = 1 - Math.pow(b2, t);
        double sqrtBc2 = Math.sqrt(bc2);
        for (int i = 0; i < p.size(); i++) {
            double pi = p.get(i);
            double gi = g.get(i);
            if (decoupled) {
                pi *= 1 - lr * wd;
            } else {
                gi += wd * pi;
            }
            double mi = b1 * m.get(i) + (1 - b1) * gi;
            double vi = b2 * v.get(i) + (1 - b2) * gi * gi;
            m.set(i, mi);
            v.set(i, vi);
            p.set(i, pi - (lr / bc1) * mi / (Math.sqrt(vi) / sqrtBc2 + eps));
        }
    }
}
