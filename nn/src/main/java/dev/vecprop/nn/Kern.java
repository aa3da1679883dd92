package dev.vecprop.nn;

import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.Blas1;
import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.LayerNorms;
import dev.vecprop.kernels.Losses;
import dev.vecprop.kernels.Reductions;
import dev.vecprop.kernels.Updates;

/**
 * The single place where nn reaches the kernels: every element loop nn needs is one call here, dispatched by
 * dtype to the float or double kernel. Layers, losses and optimizers call only this class (DESIGN §1).
 *
 * <p>The kernels' backward functions accumulate ({@code dx += …}); layers return a freshly written dx, so the
 * wrappers below that say "overwrites" zero the destination first (one cheap fill).
 *
 * <p>Three small loops remain here because no kernel exists for them (yet): the elementwise product
 * ({@link #multiply}, Dropout), the binary cross-entropy value ({@link #bceWithLogits}) and binary accuracy
 * ({@link #countSignMatches}). None of them is on the hot path of the MLP benchmark.
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

    private static boolean f32(Tensor t) {
        return t.dtype() == DType.F32;
    }

    // ---------------------------------------------------------------- BLAS-1

    static void fill(Tensor t, double v) {
        if (f32(t)) {
            Blas1.fill(t.floats(), t.offset(), t.size(), (float) v);
        } else {
            Blas1.fill(t.doubles(), t.offset(), t.size(), v);
        }
    }

    /** {@code dst = src} (same size). */
    static void copy(Tensor src, Tensor dst) {
        if (f32(src)) {
            Blas1.copy(src.floats(), src.offset(), dst.floats(), dst.offset(), src.size());
        } else {
            Blas1.copy(src.doubles(), src.offset(), dst.doubles(), dst.offset(), src.size());
        }
    }

    /** {@code y += a·x} (same size). */
    static void axpy(double a, Tensor x, Tensor y) {
        if (f32(x)) {
            Blas1.axpy(x.floats(), x.offset(), y.floats(), y.offset(), x.size(), (float) a);
        } else {
            Blas1.axpy(x.doubles(), x.offset(), y.doubles(), y.offset(), x.size(), a);
        }
    }

    /** {@code out = a ⊙ b} elementwise (same size; out may be a or b). No kernel exists for this yet. */
    static void multiply(Tensor a, Tensor b, Tensor out) {
        int n = a.size(), ao = a.offset(), bo = b.offset(), oo = out.offset();
        if (f32(a)) {
            float[] x = a.floats(), y = b.floats(), z = out.floats();
            for (int i = 0; i < n; i++) {
                z[oo + i] = x[ao + i] * y[bo + i];
            }
        } else {
            double[] x = a.doubles(), y = b.doubles(), z = out.doubles();
            for (int i = 0; i < n; i++) {
                z[oo + i] = x[ao + i] * y[bo + i];
            }
        }
    }

    /** {@code t *= a}. */
    static void scale(Tensor t, double a) {
        if (f32(t)) {
            Blas1.scale(t.floats(), t.offset(), t.size(), (float) a);
        } else {
            Blas1.scale(t.doubles(), t.offset(), t.size(), a);
        }
    }

    /** {@code Σ t[from, from+n)²}, accumulated in double. */
    static double sumSquares(Tensor t, int from, int n) {
        return f32(t) ? Reductions.squaredNorm(t.floats(), t.offset() + from, n)
                : Reductions.squaredNorm(t.doubles(), t.offset() + from, n);
    }

    /**
     * PyTorch {@code clip_grad_norm_} on one tensor, exactly the steps of the kernel
     * {@link Updates#clipGlobalNorm} on a single region: N = √(squared-norm kernel), coefficient
     * {@code maxNorm / (N + CLIP_EPS)}, scaled by the scale kernel when it is below 1; a non-finite N leaves the
     * tensor unchanged. It is not a call to {@code Updates.clipGlobalNorm} because that kernel takes an array of
     * arrays (several regions), which would have to be allocated per step for the one flat gradient arena;
     * {@code TrainingTest.modelClippingIsBitwiseTheKernels} asserts bitwise equality with the kernel so the two
     * cannot drift.
     *
     * @return N before clipping
     * @throws IllegalArgumentException if maxNorm is negative or NaN (the kernel's rule), before anything is written
     */
    static double clipGlobalNorm(Tensor t, double maxNorm) {
        if (!(maxNorm >= 0)) {
            throw new IllegalArgumentException("maxNorm must be >= 0 (not NaN), but was " + maxNorm);
        }
        double norm = Math.sqrt(sumSquares(t, 0, t.size()));
        if (!Double.isFinite(norm)) {
            return norm;
        }
        double coef = maxNorm / (norm + Updates.CLIP_EPS);
        if (coef < 1) {
            scale(t, coef);
        }
        return norm;
    }

    // ---------------------------------------------------------------- bias

    /** Each of the {@code rows} rows of {@code y} (width {@code cols}) becomes {@code b}: the GEMM then adds into it. */
    static void broadcastRows(Tensor b, Tensor y, int rows, int cols) {
        int yo = y.offset();
        if (f32(y)) {
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
        if (f32(dy)) {
            Reductions.addColumnSums(rows, cols, dy.floats(), dy.offset(), Math.max(1, cols), db.floats(), db.offset());
        } else {
            Reductions.addColumnSums(rows, cols, dy.doubles(), dy.offset(), Math.max(1, cols), db.doubles(), db.offset());
        }
    }

    // ---------------------------------------------------------------- validation before the "overwrites" fills

    /*
     * The wrappers that overwrite a destination zero it and then call an accumulating kernel, which validates
     * its arguments itself — but only after the zeroing. So they first check here everything the kernel would
     * refuse (dtype, element counts, labels), and a refused call leaves the destination untouched.
     */

    private static void require(String name, Tensor t, DType dtype, int n) {
        if (t == null) {
            throw new NullPointerException(name + " is null");
        }
        if (t.dtype() != dtype || t.size() != n) {
            throw new IllegalArgumentException("expected " + name + " to be " + dtype + " with " + n
                    + " elements, but it is " + t.dtype() + " with " + t.size() + " (shape "
                    + Tensor.shapeString(t.shape()) + ")");
        }
    }

    private static void requireLabels(int[] labels, int labelOff, int rows, int classes) {
        if (labels == null) {
            throw new NullPointerException("labels is null");
        }
        if (labelOff < 0 || rows < 0 || labelOff > labels.length - rows) {
            throw new IndexOutOfBoundsException("labels[" + labelOff + ", " + labelOff + " + " + rows
                    + ") is outside an array of length " + labels.length);
        }
        for (int r = 0; r < rows; r++) {
            int y = labels[labelOff + r];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " at index " + (labelOff + r) + " is outside [0, "
                        + classes + ")");
            }
        }
    }

    // ---------------------------------------------------------------- activations

    /** {@code y = f(x)}; {@code alpha} is the slope of LEAKY_RELU. */
    static void activation(dev.vecprop.kernels.Activation act, double alpha, Tensor x, Tensor y) {
        int n = x.size();
        if (f32(x)) {
            if (act == dev.vecprop.kernels.Activation.LEAKY_RELU) {
                Activations.leakyRelu(x.floats(), x.offset(), y.floats(), y.offset(), n, (float) alpha);
            } else {
                Activations.apply(act, x.floats(), x.offset(), y.floats(), y.offset(), n);
            }
        } else {
            if (act == dev.vecprop.kernels.Activation.LEAKY_RELU) {
                Activations.leakyRelu(x.doubles(), x.offset(), y.doubles(), y.offset(), n, alpha);
            } else {
                Activations.apply(act, x.doubles(), x.offset(), y.doubles(), y.offset(), n);
            }
        }
    }

    /** {@code dx = dy ⊙ f′} (overwrites dx); the kernel reads x or y, whichever the activation's backward takes. */
    static void activationBackward(dev.vecprop.kernels.Activation act, double alpha, Tensor x, Tensor y, Tensor dy,
                                   Tensor dx) {
        Tensor c = act.backwardUsesOutput() ? y : x;
        int n = x.size();
        require(act.backwardUsesOutput() ? "y" : "x", c, x.dtype(), n); // constant names: no allocation per call
        require("dy", dy, x.dtype(), n);
        require("dx", dx, x.dtype(), n);
        fill(dx, 0.0);
        if (f32(x)) {
            if (act == dev.vecprop.kernels.Activation.LEAKY_RELU) {
                Activations.leakyReluBackward(c.floats(), c.offset(), dy.floats(), dy.offset(), dx.floats(),
                        dx.offset(), n, (float) alpha);
            } else {
                Activations.backward(act, c.floats(), c.offset(), dy.floats(), dy.offset(), dx.floats(), dx.offset(), n);
            }
        } else {
            if (act == dev.vecprop.kernels.Activation.LEAKY_RELU) {
                Activations.leakyReluBackward(c.doubles(), c.offset(), dy.doubles(), dy.offset(), dx.doubles(),
                        dx.offset(), n, alpha);
            } else {
                Activations.backward(act, c.doubles(), c.offset(), dy.doubles(), dy.offset(), dx.doubles(),
                        dx.offset(), n);
            }
        }
    }

    // ---------------------------------------------------------------- layer norm

    /** Row-wise layer norm: {@code y = (x − mean)·rstd·γ + β}; writes mean and rstd per row. */
    static void layerNorm(Tensor x, int rows, int cols, Tensor gamma, Tensor beta, double eps,
                          Tensor y, Tensor mean, Tensor rstd) {
        if (f32(x)) {
            LayerNorms.layerNorm(rows, cols, (float) eps, x.floats(), x.offset(), cols, gamma.floats(), gamma.offset(),
                    beta.floats(), beta.offset(), y.floats(), y.offset(), cols, mean.floats(), mean.offset(),
                    rstd.floats(), rstd.offset());
        } else {
            LayerNorms.layerNorm(rows, cols, eps, x.doubles(), x.offset(), cols, gamma.doubles(), gamma.offset(),
                    beta.doubles(), beta.offset(), y.doubles(), y.offset(), cols, mean.doubles(), mean.offset(),
                    rstd.doubles(), rstd.offset());
        }
    }

    /** Layer-norm backward: dx overwritten; {@code dγ += Σ dy·x̂}, {@code dβ += Σ dy}. */
    static void layerNormBackward(Tensor x, Tensor dy, int rows, int cols, Tensor gamma, Tensor mean, Tensor rstd,
                                  Tensor dx, Tensor dgamma, Tensor dbeta) {
        DType d = x.dtype();
        require("x", x, d, rows * cols);
        require("dy", dy, d, rows * cols);
        require("dx", dx, d, rows * cols);
        require("gamma", gamma, d, cols);
        require("dgamma", dgamma, d, cols);
        require("dbeta", dbeta, d, cols);
        require("mean", mean, d, rows);
        require("rstd", rstd, d, rows);
        fill(dx, 0.0);
        if (f32(x)) {
            LayerNorms.layerNormBackward(rows, cols, x.floats(), x.offset(), cols, gamma.floats(), gamma.offset(),
                    mean.floats(), mean.offset(), rstd.floats(), rstd.offset(), dy.floats(), dy.offset(), cols,
                    dx.floats(), dx.offset(), cols, dgamma.floats(), dgamma.offset(), dbeta.floats(), dbeta.offset());
        } else {
            LayerNorms.layerNormBackward(rows, cols, x.doubles(), x.offset(), cols, gamma.doubles(), gamma.offset(),
                    mean.doubles(), mean.offset(), rstd.doubles(), rstd.offset(), dy.doubles(), dy.offset(), cols,
                    dx.doubles(), dx.offset(), cols, dgamma.doubles(), dgamma.offset(), dbeta.doubles(),
                    dbeta.offset());
        }
    }

    // ---------------------------------------------------------------- losses

    /** Softmax of each row into probs; returns the mean over rows of {@code −log p[label]}. Labels already checked. */
    static double softmaxCrossEntropy(Tensor logits, int rows, int cols, int[] labels, int labelOff, Tensor probs) {
        if (f32(logits)) {
            return Losses.crossEntropy(rows, cols, logits.floats(), logits.offset(), cols, labels, labelOff,
                    probs.floats(), probs.offset(), cols, null, 0);
        }
        return Losses.crossEntropy(rows, cols, logits.doubles(), logits.offset(), cols, labels, labelOff,
                probs.doubles(), probs.offset(), cols, null, 0);
    }

    /** {@code dlogits = (p − onehot(label)) / rows} (overwrites). */
    static void softmaxCrossEntropyBackward(Tensor probs, int rows, int cols, int[] labels, int labelOff, Tensor dlogits) {
        require("probs", probs, probs.dtype(), rows * cols);
        require("dlogits", dlogits, probs.dtype(), rows * cols);
        requireLabels(labels, labelOff, rows, cols);
        fill(dlogits, 0.0);
        if (f32(probs)) {
            Losses.crossEntropyBackward(rows, cols, probs.floats(), probs.offset(), cols, labels, labelOff,
                    dlogits.floats(), dlogits.offset(), cols);
        } else {
            Losses.crossEntropyBackward(rows, cols, probs.doubles(), probs.offset(), cols, labels, labelOff,
                    dlogits.doubles(), dlogits.offset(), cols);
        }
    }

    /** Mean over all elements of {@code (p − t)²}. */
    static double mse(Tensor p, Tensor t) {
        return f32(p) ? Losses.mse(p.floats(), p.offset(), t.floats(), t.offset(), p.size())
                : Losses.mse(p.doubles(), p.offset(), t.doubles(), t.offset(), p.size());
    }

    /** {@code dp = 2(p − t)/n} (overwrites). */
    static void mseBackward(Tensor p, Tensor t, Tensor dp) {
        require("target", t, p.dtype(), p.size());
        require("dp", dp, p.dtype(), p.size());
        fill(dp, 0.0);
        if (f32(p)) {
            Losses.mseBackward(p.floats(), p.offset(), t.floats(), t.offset(), dp.floats(), dp.offset(), p.size());
        } else {
            Losses.mseBackward(p.doubles(), p.offset(), t.doubles(), t.offset(), dp.doubles(), dp.offset(), p.size());
        }
    }

    /**
     * Mean over all elements of {@code max(x,0) − x·t + log(1 + e^{−|x|})} (stable for any x). No kernel exists
     * for this yet; summed in double.
     */
    static double bceWithLogits(Tensor x, Tensor t) {
        double s = 0;
        int n = x.size();
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            s += Math.max(v, 0) - v * t.get(i) + Math.log1p(Math.exp(-Math.abs(v)));
        }
        return s / n;
    }

    /** {@code dx = (σ(x) − t)/n} (overwrites): the sigmoid kernel, then axpy and scale. */
    static void bceWithLogitsBackward(Tensor x, Tensor t, Tensor dx) {
        activation(dev.vecprop.kernels.Activation.SIGMOID, 0, x, dx);
        axpy(-1.0, t, dx);
        scale(dx, 1.0 / x.size());
    }

    /** How many rows have their (first) maximum at the label; {@code scratch} holds at least {@code rows} ints. */
    static int countArgmaxMatches(Tensor logits, int rows, int cols, int[] labels, int labelOff, int[] scratch) {
        if (f32(logits)) {
            Reductions.argmaxRows(rows, cols, logits.floats(), logits.offset(), cols, scratch, 0);
        } else {
            Reductions.argmaxRows(rows, cols, logits.doubles(), logits.offset(), cols, scratch, 0);
        }
        int hits = 0;
        for (int r = 0; r < rows; r++) {
            if (scratch[r] == labels[labelOff + r]) {
                hits++;
            }
        }
        return hits;
    }

    /** How many elements have {@code (x > 0) == (t > 0.5)}: binary accuracy on logits. No kernel exists for this. */
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

    private static int stepInt(long t) {
        return (int) Math.min(t, Integer.MAX_VALUE); // bias corrections are exactly 1 long before 2^31 steps
    }

    /** PyTorch SGD (dampening 0), step {@code t >= 1}; {@code buf} may be empty when momentum is 0. */
    static void sgd(Tensor p, Tensor g, Tensor buf, double lr, double momentum, boolean nesterov, double wd, long t) {
        int n = p.size();
        if (f32(p)) {
            Updates.sgd(p.floats(), p.offset(), g.floats(), g.offset(), momentum != 0 ? buf.floats() : null, 0, n,
                    (float) lr, (float) momentum, 0f, (float) wd, nesterov, stepInt(t));
        } else {
            Updates.sgd(p.doubles(), p.offset(), g.doubles(), g.offset(), momentum != 0 ? buf.doubles() : null, 0, n,
                    lr, momentum, 0, wd, nesterov, stepInt(t));
        }
    }

    /**
     * PyTorch Adam ({@code decoupled = false}: {@code g += wd·p}) or AdamW ({@code decoupled = true}:
     * {@code p *= 1 − lr·wd}), step {@code t >= 1}, bias-corrected.
     */
    static void adam(Tensor p, Tensor g, Tensor m, Tensor v, double lr, double b1, double b2, double eps, double wd,
                     boolean decoupled, long t) {
        int n = p.size();
        if (f32(p)) {
            if (decoupled) {
                Updates.adamW(p.floats(), p.offset(), g.floats(), g.offset(), m.floats(), 0, v.floats(), 0, n,
                        (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, stepInt(t));
            } else {
                Updates.adam(p.floats(), p.offset(), g.floats(), g.offset(), m.floats(), 0, v.floats(), 0, n,
                        (float) lr, (float) b1, (float) b2, (float) eps, (float) wd, stepInt(t));
            }
        } else {
            if (decoupled) {
                Updates.adamW(p.doubles(), p.offset(), g.doubles(), g.offset(), m.doubles(), 0, v.doubles(), 0, n,
                        lr, b1, b2, eps, wd, stepInt(t));
            } else {
                Updates.adam(p.doubles(), p.offset(), g.doubles(), g.offset(), m.doubles(), 0, v.doubles(), 0, n,
                        lr, b1, b2, eps, wd, stepInt(t));
            }
        }
    }
}
