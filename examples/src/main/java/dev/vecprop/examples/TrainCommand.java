package dev.vecprop.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vecprop train}: trains an MLP on Fashion-MNIST and saves it as safetensors. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a multilayer perceptron on Fashion-MNIST and save it.",
            "Data: --data DIR, else /usr/share/datasets/fashion-mnist when installed, else the subset embedded"
                + " in the jar (10,000 training / 2,000 test images)."})
final class TrainCommand implements Callable<Integer> {
    /** Activations offered for the hidden layers (lower case: they are what users type). */
    enum Act { relu, gelu, tanh }

    /** Optimizers offered (lower case: they are what users type). */
    enum Opt { adam, adamw, sgd }

    /** Learning-rate schedules offered (lower case: they are what users type). */
    enum Schedule { cosine, constant }

    @ParentCommand
    Main main;
    @Spec
    CommandSpec spec;
    @Mixin
    Verbose verbose;

    @Option(names = "--epochs", defaultValue = "5", description = "Passes over the training data (default: ${DEFAULT-VALUE}).")
    int epochs;
    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "0.001", description = "Learning rate (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--hidden", split = ",", splitSynopsisLabel = ",", defaultValue = "256,128", paramLabel = "N",
            description = "Hidden layer widths (default: ${DEFAULT-VALUE}).")
    int[] hidden;
    @Option(names = "--activation", defaultValue = "relu", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Act activation;
    @Option(names = "--optimizer", defaultValue = "adam", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Opt optimizer;
    @Option(names = "--schedule", defaultValue = "cosine", description = "Learning rate over the run: cosine"
            + " (decays to 0 by the last step) or constant (default: ${DEFAULT-VALUE}).")
    Schedule schedule;
    @Option(names = "--threads", defaultValue = "0", description = "Threads for the kernels; 0 = all cores (default).")
    int threads;
    @Option(names = "--seed", defaultValue = "42", description = "Seed for initial weights and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--data", paramLabel = "DIR|embedded", description = "Directory with the four Fashion-MNIST IDX files,"
            + " or 'embedded' for the subset in the jar.")
    String data;
    @Option(names = "--limit", defaultValue = "0", description = "Train on the first N training images only; 0 = all (default).")
    int limit;
    @Option(names = "--out", defaultValue = "model.safetensors", description = "Model file to write (default: ${DEFAULT-VALUE}).")
    Path out;
    @Option(names = "--plot", paramLabel = "PNG", description = "Also write a PNG of training loss and test accuracy per epoch.")
    Path plot;
    @Option(names = "--warm-up", negatable = true, defaultValue = "false", description = "Start compiling the"
            + " kernels on a background thread while the data load (default: ${DEFAULT-VALUE}; it helps when a core"
            + " is free, and slows the loading when none is).")
    boolean warmUp;
    @Option(names = "--json", description = "Print one JSON object with the results at the end (progress goes to stderr).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        return Training.train(this, main.env);
    }

    private void validate() {
        if (epochs < 1) {
            throw bad("--epochs must be at least 1, but was " + epochs);
        }
        if (batch < 1) {
            throw bad("--batch must be at least 1, but was " + batch);
        }
        if (!(lr > 0) || !Double.isFinite(lr)) {
            throw bad("--lr must be a positive number, but was " + lr);
        }
        for (int h : hidden) {
            if (h < 1) {
                throw bad("--hidden widths must be at least 1, but got " + h);
            }
        }
        if (threads < 0) {
            throw bad("--threads must be 0 (all cores) or more, but was " + threads);
        }
        if (limit < 0) {
            throw bad("--limit must be 0 (all) or more, but was " + limit);
        }
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    int threadCount() {
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }
}
