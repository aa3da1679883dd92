package dev.vecprop.kernels;

import java.util.Objects;

/**
 * Loss functions and their gradients: softmax fused with cross-entropy (integer labels or probability
 * targets), and mean squared error.
 *
 * <p><b>Cross-entropy</b> over a row-major m×n matrix of logits (m examples, n classes):
 * {@code loss_i = −Σ_j t_ij·log p_ij} with
 * {@code p = softmax(x)} per row, where {@code t} is the one-hot of the label or the given target row. The
 * forward returns the mean {@code (1/m)·Σ_i loss_i} (0 when m = 0), can store each {@code loss_i}, and stores
 * {@code p}, which the backward needs: {@code dlogits += (p − t)/m} (the gradient of the mean). Log-sum-exp is
 * taken after subtracting the row max, so logits of ±1e4 give finite losses. Target entries equal to 0 are
 * skipped (so a logit of −∞ with target 0 contributes 0, not NaN). Labels outside {@code [0, n)} throw
 * {@link IllegalArgumentException} before anything is written.
 *
 * <p><b>MSE</b> over n elements: {@code (1/n)·Σ (pred − target)²} (PyTorch's {@code reduction='mean'}), gradient
 * {@code dpred += 2(pred − target)/n}.
 *
 * <p>Sums are accumulated with several partial sums (float64 on the scalar path) and returned rounded to
 * the element type. Bad arguments throw before anything is written. Thread-safe.
 *
 * <p><b>Contract of every public method of this class</b> (the per-method Javadoc refers here): sizes of 0
 * ({@code n = 0}, {@code m = 0}) are valid and write nothing (reductions return their empty value) unless the
 * method says otherwise. Arguments are checked before anything is written: a null required array throws
 * {@link NullPointerException}; a negative size, a leading dimension smaller than the row length or a bad
 * scalar argument throws {@link IllegalArgumentException}; an offset or array too short for the elements
 * addressed throws {@link IndexOutOfBoundsException}. Each message names the argument and the expected and
 * actual values.
 */
public final class Losses {
    private Losses() {
    }

    // <float>

    /**
     * Fused softmax + cross-entropy with integer labels.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param logits    m×n row-major, leading dimension {@code ldl}; not modified unless {@code probs} is the
     *                  same region (in place is allowed)
     * @param labels    m class indices in {@code [0, n)}, from {@code labelsOff}
     * @param probs     output m×n softmax probabilities (leading dimension {@code ldp}), or null if not needed
     * @param rowLoss   output m per-row losses from {@code rowLossOff}, or null
     * @return the mean loss over the m rows (0 for m = 0)
     * @throws IllegalArgumentException if a label is outside {@code [0, n)} (nothing is written then)
     */
    public static float crossEntropy(int m, int n, float[] logits, int logitsOff, int ldl, int[] labels,
                                     int labelsOff, float[] probs, int probsOff, int ldp, float[] rowLoss,
                                     int rowLossOff) {
        checkLogits(m, n, logits, logitsOff, ldl, probs, probsOff, ldp, rowLoss, rowLossOff);
        checkLabels(m, n, labels, labelsOff);
        if (Vectorization.ENABLED) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                int xi = logitsOff + i * ldl;
                float max = ReduceKernels.max(logits, xi, n);
                float target = logits[xi + labels[labelsOff + i]]; // read before probs may overwrite it
                float sum = RowKernels.expShiftSum(logits, xi, max, probs, probsOff + i * ldp, n);
                double loss = max + Math.log(sum) - target;
                total += loss;
                if (rowLoss != null) {
                    rowLoss[rowLossOff + i] = (float) loss;
                }
                if (probs != null) {
                    ReduceKernels.scale(probs, probsOff + i * ldp, n, 1f / sum);
                }
            }
            return m == 0 ? 0 : (float) (total / m);
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            int xi = logitsOff + i * ldl;
            double max = Softmax.rowMax(logits, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[xi + j] - max);
            }
            double lse = max + Math.log(sum);
            double loss = lse - logits[xi + labels[labelsOff + i]];
            total += loss;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = (float) loss;
            }
            if (probs != null) {
                int pi = probsOff + i * ldp;
                for (int j = 0; j < n; j++) {
                    probs[pi + j] = (float) Math.exp(logits[xi + j] - lse);
                }
            }
        }
        return m == 0 ? 0 : (float) (total / m);
    }

    /**
     * Fused softmax + cross-entropy with probability targets (each target row is a distribution; it is not
     * checked to sum to 1). Arguments as in the label version; {@code targets} is m×n with leading dimension
     * {@code ldt}.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @return the mean loss over the m rows (0 for m = 0)
     */
    public static float crossEntropy(int m, int n, float[] logits, int logitsOff, int ldl, float[] targets,
                                     int targetsOff, int ldt, float[] probs, int probsOff, int ldp, float[] rowLoss,
                                     int rowLossOff) {
        checkLogits(m, n, logits, logitsOff, ldl, probs, probsOff, ldp, rowLoss, rowLossOff);
        Checks.matrix("targets", targets, targetsOff, m, n, ldt);
        if (Vectorization.ENABLED) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                int xi = logitsOff + i * ldl;
                float max = ReduceKernels.max(logits, xi, n);
                float sum = RowKernels.expShiftSum(logits, xi, max, null, 0, n);
                // lse = max + log(sum) is passed as its two parts: rounded to float as a whole it would cost
                // ~ulp(max)/2 on every t·(lse − x) term
                double loss = RowKernels.targetLoss(logits, xi, targets, targetsOff + i * ldt, max,
                        (float) Math.log(sum), n);
                total += loss;
                if (rowLoss != null) {
                    rowLoss[rowLossOff + i] = (float) loss;
                }
                if (probs != null) {
                    RowKernels.softmaxRow(logits, xi, probs, probsOff + i * ldp, n);
                }
            }
            return m == 0 ? 0 : (float) (total / m);
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            int xi = logitsOff + i * ldl;
            int ti = targetsOff + i * ldt;
            double max = Softmax.rowMax(logits, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[xi + j] - max);
            }
            double ls = Math.log(sum);
            double lse = max + ls;
            double loss = 0;
            for (int j = 0; j < n; j++) {
                double t = targets[ti + j];
                if (t != 0) {
                    loss += t * ((max - logits[xi + j]) + ls);
                }
            }
            total += loss;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = (float) loss;
            }
            if (probs != null) {
                int pi = probsOff + i * ldp;
                for (int j = 0; j < n; j++) {
                    probs[pi + j] = (float) Math.exp(logits[xi + j] - lse);
                }
            }
        }
        return m == 0 ? 0 : (float) (total / m);
    }

    /**
     * Gradient of the mean cross-entropy with integer labels, from the probabilities the forward stored:
     * {@code dlogits[i][j] += (probs[i][j] − [j == labels[i]]) / m}.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @throws IllegalArgumentException if a label is outside {@code [0, n)} (nothing is written then)
     */
    public static void crossEntropyBackward(int m, int n, float[] probs, int probsOff, int ldp, int[] labels,
                                            int labelsOff, float[] dlogits, int dlogitsOff, int ldd) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("probs", probs, probsOff, m, n, ldp);
        Checks.matrix("dlogits", dlogits, dlogitsOff, m, n, ldd);
        checkLabels(m, n, labels, labelsOff);
        float inv = 1.0f / m;
        for (int i = 0; i < m; i++) {
            int pi = probsOff + i * ldp;
            int di = dlogitsOff + i * ldd;
            if (Vectorization.ENABLED) {
                ReduceKernels.axpy(probs, pi, dlogits, di, n, inv);
                dlogits[di + labels[labelsOff + i]] -= inv;
                continue;
            }
            for (int j = 0; j < n; j++) {
                dlogits[di + j] += probs[pi + j] * inv;
            }
            dlogits[di + labels[labelsOff + i]] -= inv;
        }
    }

    /**
     * Gradient of the mean cross-entropy with probability targets: {@code dlogits += (probs − targets)/m}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void crossEntropyBackward(int m, int n, float[] probs, int probsOff, int ldp, float[] targets,
                                            int targetsOff, int ldt, float[] dlogits, int dlogitsOff, int ldd) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("probs", probs, probsOff, m, n, ldp);
        Checks.matrix("targets", targets, targetsOff, m, n, ldt);
        Checks.matrix("dlogits", dlogits, dlogitsOff, m, n, ldd);
        float inv = 1.0f / m;
        for (int i = 0; i < m; i++) {
            int pi = probsOff + i * ldp;
            int ti = targetsOff + i * ldt;
            int di = dlogitsOff + i * ldd;
            if (Vectorization.ENABLED) {
                RowKernels.subScaledAdd(probs, pi, targets, ti, inv, dlogits, di, n);
                continue;
            }
            for (int j = 0; j < n; j++) {
                dlogits[di + j] += (probs[pi + j] - targets[ti + j]) * inv;
            }
        }
    }

    /** Mean squared error {@code (1/n)·Σ (pred − target)²}; 0 for n = 0. Throws, and size 0: see the class comment. */
    public static float mse(float[] pred, int predOff, float[] target, int targetOff, int n) {
        Checks.vector("pred", pred, predOff, n);
        Checks.vector("target", target, targetOff, n);
        if (Vectorization.ENABLED) {
            return n == 0 ? 0 : (float) (RowKernels.squaredDistance(pred, predOff, target, targetOff, n) / n);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) pred[predOff + i] - target[targetOff + i];
            sum += d * d;
        }
        return n == 0 ? 0 : (float) (sum / n);
    }

    /**
     * Gradient of {@link #mse}: {@code dpred += 2(pred − target)/n}. {@code dpred} must not overlap the inputs.
     * Throws, and size 0: see the class comment.
     */
    public static void mseBackward(float[] pred, int predOff, float[] target, int targetOff, float[] dpred,
                                   int dpredOff, int n) {
        Checks.vector("pred", pred, predOff, n);
        Checks.vector("target", target, targetOff, n);
        Checks.vector("dpred", dpred, dpredOff, n);
        float scale = 2.0f / n;
        if (Vectorization.ENABLED) {
            RowKernels.subScaledAdd(pred, predOff, target, targetOff, scale, dpred, dpredOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dpred[dpredOff + i] += (pred[predOff + i] - target[targetOff + i]) * scale;
        }
    }

    private static void checkLogits(int m, int n, float[] logits, int logitsOff, int ldl, float[] probs, int probsOff,
                                    int ldp, float[] rowLoss, int rowLossOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("logits", logits, logitsOff, m, n, ldl);
        if (probs != null) {
            Checks.matrix("probs", probs, probsOff, m, n, ldp);
        }
        if (rowLoss != null) {
            Checks.vector("rowLoss", rowLoss, rowLossOff, m);
        }
    }
    // </float>

    // <double> mirrored from the float section above: same names, same argument order

    /**
     * Fused softmax + cross-entropy with integer labels.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @param logits    m×n row-major, leading dimension {@code ldl}; not modified unless {@code probs} is the
     *                  same region (in place is allowed)
     * @param labels    m class indices in {@code [0, n)}, from {@code labelsOff}
     * @param probs     output m×n softmax probabilities (leading dimension {@code ldp}), or null if not needed
     * @param rowLoss   output m per-row losses from {@code rowLossOff}, or null
     * @return the mean loss over the m rows (0 for m = 0)
     * @throws IllegalArgumentException if a label is outside {@code [0, n)} (nothing is written then)
     */
    public static double crossEntropy(int m, int n, double[] logits, int logitsOff, int ldl, int[] labels,
                                     int labelsOff, double[] probs, int probsOff, int ldp, double[] rowLoss,
                                     int rowLossOff) {
        checkLogits(m, n, logits, logitsOff, ldl, probs, probsOff, ldp, rowLoss, rowLossOff);
        checkLabels(m, n, labels, labelsOff);
        if (Vectorization.ENABLED) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                int xi = logitsOff + i * ldl;
                double max = ReduceKernels.max(logits, xi, n);
                double target = logits[xi + labels[labelsOff + i]]; // read before probs may overwrite it
                double sum = RowKernels.expShiftSum(logits, xi, max, probs, probsOff + i * ldp, n);
                double loss = max + Math.log(sum) - target;
                total += loss;
                if (rowLoss != null) {
                    rowLoss[rowLossOff + i] = (double) loss;
                }
                if (probs != null) {
                    ReduceKernels.scale(probs, probsOff + i * ldp, n, 1 / sum);
                }
            }
            return m == 0 ? 0 : (total / m);
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            int xi = logitsOff + i * ldl;
            double max = Softmax.rowMax(logits, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[xi + j] - max);
            }
            double lse = max + Math.log(sum);
            double loss = lse - logits[xi + labels[labelsOff + i]];
            total += loss;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = (double) loss;
            }
            if (probs != null) {
                int pi = probsOff + i * ldp;
                for (int j = 0; j < n; j++) {
                    probs[pi + j] = (double) Math.exp(logits[xi + j] - lse);
                }
            }
        }
        return m == 0 ? 0 : (total / m);
    }

    /**
     * Fused softmax + cross-entropy with probability targets (each target row is a distribution; it is not
     * checked to sum to 1). Arguments as in the label version; {@code targets} is m×n with leading dimension
     * {@code ldt}.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @return the mean loss over the m rows (0 for m = 0)
     */
    public static double crossEntropy(int m, int n, double[] logits, int logitsOff, int ldl, double[] targets,
                                     int targetsOff, int ldt, double[] probs, int probsOff, int ldp, double[] rowLoss,
                                     int rowLossOff) {
        checkLogits(m, n, logits, logitsOff, ldl, probs, probsOff, ldp, rowLoss, rowLossOff);
        Checks.matrix("targets", targets, targetsOff, m, n, ldt);
        if (Vectorization.ENABLED) {
            double total = 0;
            for (int i = 0; i < m; i++) {
                int xi = logitsOff + i * ldl;
                double max = ReduceKernels.max(logits, xi, n);
                double sum = RowKernels.expShiftSum(logits, xi, max, null, 0, n);
                // lse = max + log(sum) is passed as its two parts: rounded to double as a whole it would cost
                // ~ulp(max)/2 on every t·(lse − x) term
                double loss = RowKernels.targetLoss(logits, xi, targets, targetsOff + i * ldt, max,
                        (double) Math.log(sum), n);
                total += loss;
                if (rowLoss != null) {
                    rowLoss[rowLossOff + i] = (double) loss;
                }
                if (probs != null) {
                    RowKernels.softmaxRow(logits, xi, probs, probsOff + i * ldp, n);
                }
            }
            return m == 0 ? 0 : (total / m);
        }
        double total = 0;
        for (int i = 0; i < m; i++) {
            int xi = logitsOff + i * ldl;
            int ti = targetsOff + i * ldt;
            double max = Softmax.rowMax(logits, xi, n);
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[xi + j] - max);
            }
            double ls = Math.log(sum);
            double lse = max + ls;
            double loss = 0;
            for (int j = 0; j < n; j++) {
                double t = targets[ti + j];
                if (t != 0) {
                    loss += t * ((max - logits[xi + j]) + ls);
                }
            }
            total += loss;
            if (rowLoss != null) {
                rowLoss[rowLossOff + i] = (double) loss;
            }
            if (probs != null) {
                int pi = probsOff + i * ldp;
                for (int j = 0; j < n; j++) {
                    probs[pi + j] = (double) Math.exp(logits[xi + j] - lse);
                }
            }
        }
        return m == 0 ? 0 : (total / m);
    }

    /**
     * Gradient of the mean cross-entropy with integer labels, from the probabilities the forward stored:
     * {@code dlogits[i][j] += (probs[i][j] − [j == labels[i]]) / m}.
     *
     * <p>Throws, and size 0: see the class comment.
     *
     * @throws IllegalArgumentException if a label is outside {@code [0, n)} (nothing is written then)
     */
    public static void crossEntropyBackward(int m, int n, double[] probs, int probsOff, int ldp, int[] labels,
                                            int labelsOff, double[] dlogits, int dlogitsOff, int ldd) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("probs", probs, probsOff, m, n, ldp);
        Checks.matrix("dlogits", dlogits, dlogitsOff, m, n, ldd);
        checkLabels(m, n, labels, labelsOff);
        double inv = 1.0 / m;
        for (int i = 0; i < m; i++) {
            int pi = probsOff + i * ldp;
            int di = dlogitsOff + i * ldd;
            if (Vectorization.ENABLED) {
                ReduceKernels.axpy(probs, pi, dlogits, di, n, inv);
                dlogits[di + labels[labelsOff + i]] -= inv;
                continue;
            }
            for (int j = 0; j < n; j++) {
                dlogits[di + j] += probs[pi + j] * inv;
            }
            dlogits[di + labels[labelsOff + i]] -= inv;
        }
    }

    /**
     * Gradient of the mean cross-entropy with probability targets: {@code dlogits += (probs − targets)/m}.
     * <p>Throws, and size 0: see the class comment.
     */
    public static void crossEntropyBackward(int m, int n, double[] probs, int probsOff, int ldp, double[] targets,
                                            int targetsOff, int ldt, double[] dlogits, int dlogitsOff, int ldd) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("probs", probs, probsOff, m, n, ldp);
        Checks.matrix("targets", targets, targetsOff, m, n, ldt);
        Checks.matrix("dlogits", dlogits, dlogitsOff, m, n, ldd);
        double inv = 1.0 / m;
        for (int i = 0; i < m; i++) {
            int pi = probsOff + i * ldp;
            int ti = targetsOff + i * ldt;
            int di = dlogitsOff + i * ldd;
            if (Vectorization.ENABLED) {
                RowKernels.subScaledAdd(probs, pi, targets, ti, inv, dlogits, di, n);
                continue;
            }
            for (int j = 0; j < n; j++) {
                dlogits[di + j] += (probs[pi + j] - targets[ti + j]) * inv;
            }
        }
    }

    /** Mean squared error {@code (1/n)·Σ (pred − target)²}; 0 for n = 0. Throws, and size 0: see the class comment. */
    public static double mse(double[] pred, int predOff, double[] target, int targetOff, int n) {
        Checks.vector("pred", pred, predOff, n);
        Checks.vector("target", target, targetOff, n);
        if (Vectorization.ENABLED) {
            return n == 0 ? 0 : (RowKernels.squaredDistance(pred, predOff, target, targetOff, n) / n);
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) pred[predOff + i] - target[targetOff + i];
            sum += d * d;
        }
        return n == 0 ? 0 : (sum / n);
    }

    /**
     * Gradient of {@link #mse}: {@code dpred += 2(pred − target)/n}. {@code dpred} must not overlap the inputs.
     * Throws, and size 0: see the class comment.
     */
    public static void mseBackward(double[] pred, int predOff, double[] target, int targetOff, double[] dpred,
                                   int dpredOff, int n) {
        Checks.vector("pred", pred, predOff, n);
        Checks.vector("target", target, targetOff, n);
        Checks.vector("dpred", dpred, dpredOff, n);
        double scale = 2.0 / n;
        if (Vectorization.ENABLED) {
            RowKernels.subScaledAdd(pred, predOff, target, targetOff, scale, dpred, dpredOff, n);
            return;
        }
        for (int i = 0; i < n; i++) {
            dpred[dpredOff + i] += (pred[predOff + i] - target[targetOff + i]) * scale;
        }
    }

    private static void checkLogits(int m, int n, double[] logits, int logitsOff, int ldl, double[] probs, int probsOff,
                                    int ldp, double[] rowLoss, int rowLossOff) {
        Checks.nonNegative("m", m);
        Checks.nonNegative("n", n);
        Checks.matrix("logits", logits, logitsOff, m, n, ldl);
        if (probs != null) {
            Checks.matrix("probs", probs, probsOff, m, n, ldp);
        }
        if (rowLoss != null) {
            Checks.vector("rowLoss", rowLoss, rowLossOff, m);
        }
    }
    // </double>

    private static void checkLabels(int m, int n, int[] labels, int labelsOff) {
        Objects.requireNonNull(labels, "labels");
        if (m < 0) {
            throw new IllegalArgumentException("m must be >= 0, but was " + m);
        }
        if (labelsOff < 0 || (long) labelsOff + m > labels.length) {
            throw new IndexOutOfBoundsException("labels: elements [" + labelsOff + ", " + ((long) labelsOff + m)
                    + ") are addressed, but labels.length is " + labels.length);
        }
        for (int i = 0; i < m; i++) {
            int label = labels[labelsOff + i];
            if (label < 0 || label >= n) {
                throw new IllegalArgumentException("labels[" + (labelsOff + i) + "] (row " + i + ") must be in [0, "
                        + n + "), but was " + label);
            }
        }
    }
}
