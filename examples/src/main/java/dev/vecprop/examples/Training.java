package dev.vecprop.examples;

import dev.vecprop.nn.Adam;
import dev.vecprop.nn.AdamW;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.Dataset;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.LearningRate;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.NonFiniteLossException;
import dev.vecprop.nn.Optimizer;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Sgd;
import dev.vecprop.nn.Tensor;
import dev.vecprop.nn.Trainer;
import dev.vecprop.nn.TrainingListener;
import dev.vecprop.nn.WarmUp;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** The work behind train, eval, predict and gradients, on the nn module. */
final class Training {
    private static final int EVAL_BATCH = 500;

    private Training() {
    }

    /** What one training run reached; also the {@code --json} summary. */
    record Result(int epochs, double[] trainLoss, double[] testAccuracy, double samplesPerSecond, double seconds,
            int threads, String dataset) {
        double finalLoss() {
            return trainLoss[trainLoss.length - 1];
        }

        double finalAccuracy() {
            return testAccuracy[testAccuracy.length - 1];
        }

        String json() {
            return new Json().put("epochs", epochs).put("train_loss", finalLoss()).put("test_accuracy", finalAccuracy())
                    .put("samples_per_s", samplesPerSecond).put("seconds", seconds).put("threads", threads)
                    .put("dataset", dataset).toString();
        }
    }

    static int train(TrainCommand c, Main.Env env) throws IOException {
        long start = System.nanoTime();
        // with --json, stdout carries only the JSON object; everything for people goes to stderr
        PrintWriter log = c.json ? env.err() : env.out();
        int threads = c.threadCount();
        Threads.use(threads);
        // the model first: it needs nothing from the data, and a warm-up can then run while they load
        Mlp mlp = new Mlp(FashionMnist.PIXELS, c.hidden, c.activation.name(), FashionMnist.CLASSES.size());
        Model model = new Model(mlp.build(), DType.F32, c.seed);
        WarmUp warmUp = c.warmUp ? WarmUp.start(mlp::build, DType.F32, Loss.softmaxCrossEntropy(),
                () -> optimizer(c, LearningRate.constant(c.lr)), c.batch, FashionMnist.PIXELS) : null;
        FashionMnist.Dataset data;
        try {
            data = FashionMnist.load(c.data);
        } finally {
            if (warmUp != null) {
                warmUp.close(); // stops after its current step; it trains its own copy, so results do not change
            }
        }
        long loaded = System.nanoTime();
        FashionMnist.Split train = c.limit > 0 ? data.train().head(c.limit) : data.train();
        FashionMnist.Split test = data.test();
        log.println(data.describe() + (train.count() < data.train().count()
                ? String.format(" (training on the first %,d)", train.count()) : ""));

        long steps = (long) c.epochs * ((train.count() + c.batch - 1) / c.batch);
        LearningRate rate = c.schedule == TrainCommand.Schedule.cosine && steps > 1
                ? LearningRate.cosine(c.lr, 0, steps, 0) : LearningRate.constant(c.lr);
        Optimizer optimizer = optimizer(c, rate);
        log.printf(Locale.ROOT, "model %s, %,d parameters; %s lr %s (%s), batch %d, %d epochs, %d thread%s, seed %d%n",
                mlp.describe(), model.parameterCount(), c.optimizer, c.lr, c.schedule, c.batch, c.epochs, threads,
                threads == 1 ? "" : "s", c.seed);

        // the pixels stay bytes; the trainer converts each batch to float32 into a reused buffer
        Dataset trainSet = train.dataset();
        Dataset testSet = test.dataset();
        Progress progress = new Progress(log, env.interactive() && !c.json, c.epochs, train.count());
        double[] epochLoss = new double[c.epochs];
        double[] epochAccuracy = new double[c.epochs];
        double[] epochSeconds = new double[c.epochs];
        long[] firstStep = new long[1];
        Trainer trainer = new Trainer(Loss.softmaxCrossEntropy(), optimizer).epochs(c.epochs).batchSize(c.batch)
                .seed(c.seed).validation(testSet).listener(new TrainingListener() {
                    private int seen;
                    private double lossSum;

                    @Override
                    public void onStep(StepStats s) {
                        if (firstStep[0] == 0) {
                            firstStep[0] = System.nanoTime();
                        }
                        seen += s.rows();
                        lossSum += s.loss() * s.rows();
                        progress.step(seen, lossSum / seen);
                    }

                    @Override
                    public void onEpoch(EpochStats e) {
                        int i = e.epoch();
                        epochLoss[i] = e.loss();
                        epochAccuracy[i] = e.validation().accuracy();
                        epochSeconds[i] = e.seconds();
                        progress.endEpoch(e.loss(), epochAccuracy[i], e.seconds());
                        seen = 0;
                        lossSum = 0;
                        if (i + 1 < c.epochs) {
                            progress.startEpoch(i + 2);
                        }
                    }
                });
        progress.startEpoch(1);
        try {
            trainer.fit(model, trainSet);
        } catch (NonFiniteLossException e) {
            // nn's message says where and that the bad step was not applied; the remedy here is the --lr option
            String where = e.getMessage().replaceFirst("^training stopped: ", "");
            int cut = where.indexOf(';');
            throw new Main.UserException("training diverged: " + (cut > 0 ? where.substring(0, cut) : where)
                    + "; no model was saved. Try a smaller --lr (was " + c.lr + ").", e);
        }
        double trainSeconds = 0;
        for (double s : epochSeconds) {
            trainSeconds += s;
        }
        long samples = (long) c.epochs * train.count();

        ModelFile.save(model, mlp, c.out);
        double total = (System.nanoTime() - start) / 1e9;
        Result r = new Result(c.epochs, epochLoss, epochAccuracy, samples / trainSeconds, total, threads, data.kind());
        log.printf(Locale.ROOT, "done: test accuracy %.2f%%, training loss %.4f; %.1f s in all (%.1f s training),"
                + " %,.0f samples/s on %d thread%s%n", 100 * r.finalAccuracy(), r.finalLoss(), total, trainSeconds,
                r.samplesPerSecond(), threads, threads == 1 ? "" : "s");
        log.println("model saved to " + c.out.toAbsolutePath().normalize());
        log.printf(Locale.ROOT, "start-up: data loaded %.2f s after the launch, first step done %.2f s later%s%n",
                secondsSinceLaunch(loaded), (firstStep[0] - loaded) / 1e9, c.warmUp ? " (with --warm-up)" : "");
        if (c.plot != null) {
            Charts.trainingCurve(c.plot, "vecprop: " + mlp.describe() + " on Fashion-MNIST (" + data.kind() + ")",
                    epochLoss, epochAccuracy);
            log.println("plot saved to " + c.plot.toAbsolutePath().normalize());
        }
        if (c.json) {
            env.out().println(r.json());
        }
        return 0;
    }

    /** PyTorch's defaults but the rate: betas 0.9/0.999, eps 1e-8, AdamW weight decay 0.01, plain SGD. */
    private static Optimizer optimizer(TrainCommand c, LearningRate rate) {
        return switch (c.optimizer) {
            case adam -> new Adam(rate, 0.9, 0.999, 1e-8, 0);
            case adamw -> new AdamW(rate, 0.9, 0.999, 1e-8, 0.01);
            case sgd -> new Sgd(rate, 0, false, 0);
        };
    }

    /** Seconds from the start of this process to {@code nanoTime}; NaN if unknown. */
    private static double secondsSinceLaunch(long nanoTime) {
        double age = processAgeSeconds();
        if (Double.isNaN(age)) {
            // Not Linux: there ProcessHandle's start instant has no whole-second error (see processAgeSeconds).
            java.util.Optional<java.time.Instant> started = ProcessHandle.current().info().startInstant();
            if (started.isEmpty()) {
                return Double.NaN;
            }
            age = (System.currentTimeMillis() - started.get().toEpochMilli()) / 1e3;
        }
        return age - (System.nanoTime() - nanoTime) / 1e9;
    }

    /**
     * How long this process has run, from Linux's /proc (NaN elsewhere, or if unreadable). Not from
     * {@code ProcessHandle}: on Linux its start instant is the boot time, which the kernel gives in whole seconds,
     * plus the process's start in ticks since boot, so it can be up to a second early (0.77 s on the development
     * VM). Both numbers here count from the boot instead.
     */
    static double processAgeSeconds() {
        try {
            return processAgeSeconds(java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat")),
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime")));
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * /proc/uptime's first number (seconds since boot, to 10 ms) minus field 22 of /proc/self/stat (the
     * process's start in clock ticks since boot; /proc counts them at USER_HZ = 100 whatever the kernel's tick).
     * The fields are counted after the last ')', since the command name in field 2 may hold spaces and ')'.
     *
     * @throws RuntimeException if either text is not in that form
     */
    static double processAgeSeconds(String stat, String uptime) {
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        long startTicks = Long.parseLong(fields[22 - 3]); // fields[0] is field 3, the state
        double sinceBoot = Double.parseDouble(uptime.trim().split("\\s+")[0]);
        return sinceBoot - startTicks / 100.0;
    }

    static int eval(EvalCommand c, Main.Env env) throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(c.model);
        FashionMnist.Dataset data = FashionMnist.load(c.data);
        requireInputs(loaded.mlp(), c.model);
        int k = loaded.mlp().classes();
        int[][] confusion = new int[k][k];
        double acc = accuracy(loaded.model(), data.test(), confusion);
        PrintWriter out = env.out();
        out.println(data.describe());
        out.printf(Locale.ROOT, "model %s from %s%n", loaded.mlp().describe(), c.model);
        out.printf(Locale.ROOT, "test accuracy %.2f%% (%,d of %,d)%n", 100 * acc, Math.round(acc * data.test().count()),
                data.test().count());
        out.println();
        out.println("confusion matrix (rows: true class, columns: predicted class)");
        StringBuilder head = new StringBuilder(String.format("%-13s", ""));
        for (int j = 0; j < k; j++) {
            head.append(String.format("%6d", j));
        }
        out.println(head.append("   recall"));
        for (int i = 0; i < k; i++) {
            StringBuilder row = new StringBuilder(String.format("%d %-11s", i, className(i)));
            int total = 0;
            for (int j = 0; j < k; j++) {
                row.append(String.format("%6d", confusion[i][j]));
                total += confusion[i][j];
            }
            row.append(total == 0 ? "        -" : String.format(Locale.ROOT, "   %5.1f%%", 100.0 * confusion[i][i] / total));
            out.println(row);
        }
        return 0;
    }

    static int predict(PredictCommand c, Main.Env env) throws IOException {
        ModelFile.Loaded loaded = ModelFile.load(c.model);
        FashionMnist.Dataset data = FashionMnist.load(c.data);
        requireInputs(loaded.mlp(), c.model);
        FashionMnist.Split test = data.test();
        if (c.index < 0 || c.index >= test.count()) {
            throw new Main.UserException("--index " + c.index + " is outside the test set: 0.." + (test.count() - 1)
                    + " (" + data.kind() + ")");
        }
        float[] image = test.floats(c.index, 1);
        Tensor x = Tensor.of(image, 1, FashionMnist.PIXELS);
        Tensor logits = loaded.model().forward(x, new Context(), Mode.INFERENCE);
        double[] p = softmax(logits, 0);
        int best = argmax(p);
        PrintWriter out = env.out();
        out.print(AsciiArt.draw(image, 0, FashionMnist.ROWS, FashionMnist.COLS));
        int truth = test.labels()[c.index];
        out.printf(Locale.ROOT, "test image %d (%s): predicted %s (%.1f%%), true class %s%s%n", c.index, data.kind(),
                className(best), 100 * p[best], className(truth), best == truth ? "" : "  <- wrong");
        Integer[] rank = new Integer[p.length];
        for (int i = 0; i < rank.length; i++) {
            rank[i] = i;
        }
        java.util.Arrays.sort(rank, (a, b) -> Double.compare(p[b], p[a]));
        StringBuilder top = new StringBuilder("top 3:");
        for (int i = 0; i < Math.min(3, rank.length); i++) {
            top.append(String.format(Locale.ROOT, "  %s %.1f%%", className(rank[i]), 100 * p[rank[i]]));
        }
        out.println(top);
        return 0;
    }

    static int gradients(GradientsCommand c, Main.Env env) throws IOException {
        PrintWriter out = env.out();
        Threads.use(1);
        FashionMnist.Dataset data = FashionMnist.load(c.data);
        FashionMnist.Split train = data.train();
        String act = c.activation.name();
        Layer root = Mlp.deep(FashionMnist.PIXELS, c.width, c.depth, act, c.residual, c.layerNorm,
                FashionMnist.CLASSES.size());
        Model model = new Model(root, DType.F32, c.seed);
        List<Parameter> weights = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            if (p.localName().equals("weight") && p.shape().length == 2) {
                weights.add(p);
            }
        }
        String shape = String.format(Locale.ROOT, "%d %s layers of width %d%s%s", c.depth, act, c.width,
                c.residual ? ", residual" : "", c.layerNorm ? ", layer norm" : "");
        out.println("deep MLP: " + shape + "; " + data.describe());

        // the same fixed batch measures the gradients before and after training, so the two columns compare
        int probeRows = Math.min(256, train.count());
        Tensor probe = Tensor.of(train.floats(0, probeRows), probeRows, FashionMnist.PIXELS);
        Loss loss = Loss.softmaxCrossEntropy();
        Context ctx = new Context();
        double lossBefore = measure(model, loss, ctx, probe, train.labels());
        double[] before = norms(weights);

        Optimizer sgd = new Sgd(c.lr);
        SplittableRandom rnd = new SplittableRandom(c.seed);
        float[] xb = new float[c.batch * FashionMnist.PIXELS];
        int[] yb = new int[c.batch];
        int[] order = new int[train.count()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int at = order.length;
        long t0 = System.nanoTime();
        for (int s = 0; s < c.steps; s++) {
            if (at + c.batch > order.length) {
                shuffle(order, rnd);
                at = 0;
            }
            int rows = Math.min(c.batch, order.length);
            gather(train, order, at, rows, xb, yb);
            at += rows;
            model.zeroGrad();
            Tensor logits = model.forward(Tensor.wrap(xb, 0, rows, FashionMnist.PIXELS), ctx, Mode.TRAIN);
            loss.forward(logits, yb, 0, ctx);
            model.backward(loss.backward(ctx), ctx);
            sgd.step(model);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double lossAfter = measure(model, loss, ctx, probe, train.labels());
        double[] after = norms(weights);

        String afterLabel = "after " + c.steps + " steps";
        out.printf(Locale.ROOT, "%-6s %-22s %16s %18s%n", "layer", "", "‖∂L/∂W‖ at init", afterLabel);
        for (int i = 0; i < weights.size(); i++) {
            int[] s = weights.get(i).shape();
            String what = i == 0 ? "input" : i == weights.size() - 1 ? "output" : "hidden " + i;
            out.printf(Locale.ROOT, "%-6d %-22s %16.3e %18.3e%n", i + 1, what + " " + s[1] + "→" + s[0], before[i],
                    after[i]);
        }
        out.printf(Locale.ROOT, "loss on a fixed batch of %d: %.4f at init, %.4f after %d SGD steps (lr %s, batch %d,"
                + " %.1f s); ln 10 = %.4f is chance%n", probeRows, lossBefore, lossAfter, c.steps, c.lr, c.batch,
                seconds, Math.log(10));
        double ratio = before[0] / before[weights.size() - 1];
        out.printf(Locale.ROOT, "first/last layer gradient ratio at init: %.1e%s%n", ratio,
                ratio < 1e-3 ? " — the gradient vanishes on its way to the input" : "");
        if (c.plot != null) {
            Map<String, double[]> series = new LinkedHashMap<>();
            series.put("at initialization", before);
            series.put(afterLabel, after);
            Charts.gradientNorms(c.plot, "Gradient norm per layer: " + shape, series);
            out.println("plot saved to " + c.plot.toAbsolutePath().normalize());
        }
        return 0;
    }

    /** Loss of the probe batch, leaving its gradients in the model. */
    private static double measure(Model model, Loss loss, Context ctx, Tensor probe, int[] labels) {
        model.zeroGrad();
        double l = loss.forward(model.forward(probe, ctx, Mode.TRAIN), labels, 0, ctx);
        model.backward(loss.backward(ctx), ctx);
        return l;
    }

    private static double[] norms(List<Parameter> ps) {
        double[] n = new double[ps.size()];
        for (int i = 0; i < n.length; i++) {
            Tensor g = ps.get(i).grad();
            double s = 0;
            for (int j = 0; j < g.size(); j++) {
                double v = g.get(j);
                s += v * v;
            }
            n[i] = Math.sqrt(s);
        }
        return n;
    }

    /** Fraction of {@code split} the model classifies right; fills {@code confusion[truth][predicted]} if given. */
    static double accuracy(Model model, FashionMnist.Split split, int[][] confusion) {
        Context ctx = new Context();
        int hits = 0;
        float[] x = new float[Math.min(EVAL_BATCH, split.count()) * FashionMnist.PIXELS];
        for (int from = 0; from < split.count(); from += EVAL_BATCH) {
            int rows = Math.min(EVAL_BATCH, split.count() - from);
            split.floats(from, rows, x);
            Tensor logits = model.forward(Tensor.wrap(x, 0, rows, FashionMnist.PIXELS), ctx, Mode.INFERENCE);
            for (int r = 0; r < rows; r++) {
                int best = 0;
                double bestValue = logits.get(r, 0);
                for (int j = 1; j < logits.cols(); j++) {
                    double v = logits.get(r, j);
                    if (v > bestValue) {
                        bestValue = v;
                        best = j;
                    }
                }
                int truth = split.labels()[from + r];
                if (best == truth) {
                    hits++;
                }
                if (confusion != null) {
                    confusion[truth][best]++;
                }
            }
        }
        return split.count() == 0 ? 0 : (double) hits / split.count();
    }

    private static void requireInputs(Mlp mlp, Path file) {
        if (mlp.inputs() != FashionMnist.PIXELS || mlp.classes() != FashionMnist.CLASSES.size()) {
            throw new Main.UserException(file + ": the model is " + mlp.describe() + ", but Fashion-MNIST needs "
                    + FashionMnist.PIXELS + " inputs and " + FashionMnist.CLASSES.size() + " classes");
        }
    }

    private static double[] softmax(Tensor logits, int row) {
        double[] p = new double[logits.cols()];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < p.length; j++) {
            max = Math.max(max, logits.get(row, j));
        }
        double sum = 0;
        for (int j = 0; j < p.length; j++) {
            p[j] = Math.exp(logits.get(row, j) - max);
            sum += p[j];
        }
        for (int j = 0; j < p.length; j++) {
            p[j] /= sum;
        }
        return p;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int j = 1; j < p.length; j++) {
            if (p[j] > p[best]) {
                best = j;
            }
        }
        return best;
    }

    private static String className(int c) {
        return c < FashionMnist.CLASSES.size() ? FashionMnist.CLASSES.get(c) : "class " + c;
    }

    /** Fisher–Yates with the run's generator: the same seed gives the same batches. */
    static void shuffle(int[] a, SplittableRandom rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    private static void gather(FashionMnist.Split s, int[] order, int from, int rows, float[] xb, int[] yb) {
        for (int r = 0; r < rows; r++) {
            int i = order[from + r];
            byte[] px = s.pixels();
            for (int j = 0, src = i * FashionMnist.PIXELS, dst = r * FashionMnist.PIXELS; j < FashionMnist.PIXELS; j++) {
                xb[dst + j] = FashionMnist.pixel(px[src + j]);
            }
            yb[r] = s.labels()[i];
        }
    }
}
