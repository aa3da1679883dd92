package dev.vecprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mini-batch training: shuffle (from a seed), gather a batch, forward in {@link Mode#TRAIN}, loss, backward,
 * optional global-norm clipping, one optimizer step; callbacks after every step and epoch; evaluation in
 * {@link Mode#INFERENCE}.
 *
 * <pre>{@code
 * Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).epochs(5).batchSize(128).seed(42);
 * t.fit(model, Dataset.of(images, labels));
 * Trainer.Evaluation e = t.evaluate(model, Dataset.of(testImages, testLabels));
 * }</pre>
 *
 * <p>Everything is checked before the first update: the dataset against the loss (labels or targets), the
 * inputs' dtype and shape against the model (one probe forward on one example), labels against the number of
 * classes — a mismatch throws {@link IllegalArgumentException} and nothing changes.
 *
 * <p>A NaN or infinite loss or gradient norm is reported to {@link TrainingListener#onNonFinite} before the
 * step's update; by default training stops with {@link NonFiniteLossException} and the model keeps the
 * weights from before that step.
 *
 * <p>Determinism: the same model seed, trainer seed, data and settings give bitwise the same weights. After
 * the first step (and once more for a last, smaller batch) a step allocates nothing: the batch buffers, the
 * layers' workspaces (in the trainer's {@link Context}) and the optimizer state are reused.
 *
 * <p>A trainer keeps its context and step count across {@link #fit} calls (training can be resumed); use one
 * trainer per model and per thread.
 */
public final class Trainer {
    private final Loss loss;
    private final Optimizer optimizer;
    private int epochs = 1;
    private int batchSize = 32;
    private long seed;
    private boolean shuffle = true;
    private double clipNorm = Double.POSITIVE_INFINITY; // +∞: never clips (min(1, ∞/(N + 1e-6)) = 1)
    private TrainingListener listener = new TrainingListener() {
    };
    private Dataset validation;

    private final Context ctx = new Context();
    private final Context evalCtx = new Context();
    private final Rng rng = new Rng(0);
    private long step;
    private int epochCount;
    private Tensor xb;
    private Tensor evalXb; // byte inputs converted for evaluate, reused
    private Tensor tb;
    private int[] yb;
    private int[] order;

    /**
     * Result of {@link #evaluate}.
     *
     * @param loss     mean loss over the examples
     * @param accuracy fraction of correct predictions, or NaN when the loss has no notion of it (MSE)
     * @param examples number of examples evaluated
     */
    public record Evaluation(double loss, double accuracy, int examples) {
    }

    /**
     * @param loss      the loss (decides whether datasets need labels or targets)
     * @param optimizer the optimizer (serves one model)
     */
    public Trainer(Loss loss, Optimizer optimizer) {
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /** Epochs per {@link #fit} call (default 1). */
    public Trainer epochs(int epochs) {
        if (epochs < 0) {
            throw new IllegalArgumentException("epochs must be >= 0, but was " + epochs);
        }
        this.epochs = epochs;
        return this;
    }

    /** Examples per step (default 32); the last batch of an epoch may be smaller. */
    public Trainer batchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
        }
        this.batchSize = batchSize;
        return this;
    }

    /** Seed of the shuffling (default 0). */
    public Trainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Whether each epoch visits the examples in a new random order (default true). */
    public Trainer shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /**
     * Clip the global gradient norm to {@code maxNorm} before each update, through {@link Model#clipGradNorm}
     * (PyTorch {@code clip_grad_norm_}: scale by {@code min(1, maxNorm/(N + 1e-6))}). Same rule as there:
     * {@code maxNorm >= 0}, not NaN; {@code 0} zeroes every gradient (as PyTorch), and
     * {@link Double#POSITIVE_INFINITY} (the default) turns clipping off.
     *
     * @throws IllegalArgumentException if {@code maxNorm} is negative or NaN
     */
    public Trainer clipGradNorm(double maxNorm) {
        Model.checkMaxNorm(maxNorm);
        this.clipNorm = maxNorm;
        return this;
    }

    /** Progress callbacks (default: none; non-finite loss stops). */
    public Trainer listener(TrainingListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** A dataset evaluated after each epoch (reported in {@link TrainingListener.EpochStats}); null for none. */
    public Trainer validation(Dataset validation) {
        this.validation = validation;
        return this;
    }

    /** @return steps taken over this trainer's life */
    public long steps() {
        return step;
    }

    /**
     * Trains {@code model} on {@code train} for the configured epochs.
     *
     * @return one entry per epoch
     * @throws IllegalArgumentException if the data do not fit the model or the loss (nothing is changed)
     * @throws NonFiniteLossException   if a loss or gradient was NaN/Inf and the listener said STOP
     */
    public List<TrainingListener.EpochStats> fit(Model model, Dataset train) {
        Objects.requireNonNull(model, "model");
        optimizer.checkModel(model);
        validate(model, train, "training set");
        if (validation != null) {
            validate(model, validation, "validation set");
        }
        int n = train.size();
        if (order == null || order.length != n) {
            order = new int[n];
        }
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        TrainingListener.StepStats s = new TrainingListener.StepStats(model.parameters());
        int batches = (n + batchSize - 1) / batchSize;
        List<TrainingListener.EpochStats> history = new ArrayList<>();
        for (int e = 0; e < epochs; e++) {
            if (shuffle) {
                rng.reseed(Rng.derive(seed, epochCount));
                rng.shuffle(order, n);
            }
            long t0 = System.nanoTime();
            double lossSum = 0;
            long hitSum = 0;
            int seen = 0;
            boolean hasAccuracy = true;
            for (int b = 0; b < batches; b++) {
                int from = b * batchSize;
                int rows = Math.min(batchSize, n - from);
                gather(train, from, rows);
                s.epoch = epochCount;
                s.batch = b;
                s.batches = batches;
                if (!trainStep(model, rows, s)) {
                    continue;
                }
                lossSum += s.loss * rows;
                seen += rows;
                if (Double.isNaN(s.accuracy)) {
                    hasAccuracy = false;
                } else {
                    hitSum += Math.round(s.accuracy * rows);
                }
            }
            double secs = (System.nanoTime() - t0) * 1e-9;
            Evaluation val = validation != null ? evaluate(model, validation) : null;
            TrainingListener.EpochStats es = new TrainingListener.EpochStats(epochCount,
                    seen == 0 ? Double.NaN : lossSum / seen,
                    hasAccuracy && seen > 0 ? (double) hitSum / seen : Double.NaN,
                    seen / Math.max(secs, 1e-9), secs, val);
            history.add(es);
            epochCount++;
            listener.onEpoch(es);
        }
        return history;
    }

    /** One step on the gathered batch; false if the batch was skipped after a non-finite value. */
    private boolean trainStep(Model model, int rows, TrainingListener.StepStats s) {
        long t0 = System.nanoTime();
        ctx.setStep(step);
        s.step = step;
        s.rows = rows;
        s.learningRate = optimizer.learningRate();
        s.gradNorm = Double.NaN;
        s.accuracy = Double.NaN;
        Tensor out = model.forward(xb, ctx, Mode.TRAIN);
        double l = loss.takesLabels() ? loss.forward(out, yb, 0, ctx) : loss.forward(out, tb, ctx);
        s.loss = l;
        if (!Double.isFinite(l)) {
            return nonFinite(s, "loss is " + l);
        }
        int hits = loss.hits(ctx);
        s.accuracy = hits < 0 ? Double.NaN : (double) hits / rows; // hits >= 0 means one prediction per row
        model.computeGradients(loss.backward(ctx), ctx); // = zeroGrad + backwardParameters, one pass fewer
        Tensor g = model.grads();
        double total = 0;
        List<Parameter> ps = s.parameters;
        for (int i = 0; i < ps.size(); i++) {
            Parameter p = ps.get(i);
            double sq = Kern.sumSquares(g, p.offset(), p.size());
            s.paramGradNorms[i] = Math.sqrt(sq);
            total += sq;
        }
        s.gradNorm = Math.sqrt(total);
        if (!Double.isFinite(s.gradNorm)) {
            return nonFinite(s, "gradient norm is " + s.gradNorm);
        }
        if (clipNorm != Double.POSITIVE_INFINITY) {
            model.clipGradNorm(clipNorm); // the one clipping path (the kernel); recomputes N in one more pass
        }
        optimizer.step(model);
        step++;
        s.samplesPerSecond = rows / Math.max((System.nanoTime() - t0) * 1e-9, 1e-12);
        listener.onStep(s);
        return true;
    }

    private boolean nonFinite(TrainingListener.StepStats s, String what) {
        long bad = step;
        step++;
        if (listener.onNonFinite(s) == TrainingListener.Action.SKIP_BATCH) {
            return false;
        }
        throw new NonFiniteLossException("training stopped: the " + what + " at epoch " + s.epoch + ", step " + bad
                + " (batch " + s.batch + " of " + s.batches + "); this step's update was not applied, so the model"
                + " keeps the weights from before it. Lower the learning rate, clip gradients"
                + " (Trainer.clipGradNorm) or check the data for NaN/Inf.", bad);
    }

    /**
     * Mean loss and accuracy of {@code model} on {@code data} in inference mode, in batches of the configured
     * size. Changes nothing in the model.
     *
     * @throws IllegalArgumentException if the data do not fit the model or the loss
     */
    public Evaluation evaluate(Model model, Dataset data) {
        Objects.requireNonNull(model, "model");
        validate(model, data, "dataset");
        int n = data.size();
        double lossSum = 0;
        long hits = 0;
        boolean hasAccuracy = true;
        long units = 0;
        for (int from = 0; from < n; from += batchSize) {
            int rows = Math.min(batchSize, n - from);
            Tensor x = data.inputRows(from, rows, evalXb); // a view, or bytes converted into the reused buffer
            if (data.inputs() == null) {
                evalXb = x;
            }
            Tensor out = model.forward(x, evalCtx, Mode.INFERENCE);
            double l = loss.takesLabels() ? loss.forward(out, data.labels(), from, evalCtx)
                    : loss.forward(out, data.targets().rowSlice(from, rows), evalCtx);
            lossSum += l * rows;
            int h = loss.hits(evalCtx);
            if (h < 0) {
                hasAccuracy = false;
            } else {
                hits += h;
                units += rows;
            }
        }
        return new Evaluation(lossSum / n, hasAccuracy ? (double) hits / units : Double.NaN, n);
    }

    private void validate(Model model, Dataset data, String what) {
        Objects.requireNonNull(data, what);
        if (data.size() == 0) {
            throw new IllegalArgumentException("the " + what + " is empty (0 examples)");
        }
        if (loss.takesLabels() != (data.labels() != null)) {
            throw new IllegalArgumentException(loss + " needs a dataset with " + (loss.takesLabels()
                    ? "integer labels" : "target tensors") + ", but the " + what + " has "
                    + (data.labels() != null ? "labels" : "targets"));
        }
        if (data.inputDType() != model.dtype()) {
            throw new IllegalArgumentException("the " + what + " is " + data.inputDType() + " but the model is "
                    + model.dtype() + " (dtype mix)");
        }
        // one probe forward checks the input shape against every layer and tells the output shape
        Tensor out = model.forward(data.inputRows(0, 1), evalCtx, Mode.INFERENCE);
        if (data.labels() != null) {
            int classes = out.cols();
            int[] y = data.labels();
            for (int i = 0; i < y.length; i++) {
                if (y[i] < 0 || y[i] >= classes) {
                    throw new IllegalArgumentException("label " + y[i] + " of example " + i + " in the " + what
                            + " is outside [0, " + classes + "): the model outputs " + Tensor.shapeString(out.shape())
                            + " per example");
                }
            }
        } else {
            int[] os = out.shape();
            int[] ts = data.targets().shape();
            ts[0] = 1;
            if (!java.util.Arrays.equals(os, ts)) {
                throw new IllegalArgumentException("the " + what + "'s targets have shape " + Tensor.shapeString(ts)
                        + " per example, but the model outputs " + Tensor.shapeString(os));
            }
        }
    }

    /** Copies the examples {@code order[from, from+rows)} into the batch buffers (reused while rows is unchanged). */
    private void gather(Dataset data, int from, int rows) {
        xb = data.batchBuffer(xb, rows);
        data.gatherInputs(order, from, rows, xb); // byte inputs are converted to float32 here
        if (data.labels() != null) {
            if (yb == null || yb.length != rows) {
                yb = new int[rows];
            }
            int[] y = data.labels();
            for (int j = 0; j < rows; j++) {
                yb[j] = y[order[from + j]];
            }
        } else {
            tb = data.targetBuffer(tb, rows);
            data.gatherTargets(order, from, rows, tb);
        }
    }
}
