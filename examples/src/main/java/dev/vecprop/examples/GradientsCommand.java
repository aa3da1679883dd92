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

/** {@code vecprop gradients}: per-layer gradient norms of a deep MLP, to watch them vanish (or not). */
@Command(name = "gradients", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Show the classic drawback of backprop: per-layer gradient norms of a deep MLP on Fashion-MNIST,",
            "at initialization and after some training steps. Through 20 sigmoid layers they vanish;",
            "residual connections and layer normalization bring them back."})
final class GradientsCommand implements Callable<Integer> {
    /** Activations offered (lower case: they are what users type). */
    enum Act { sigmoid, tanh, relu }

    @ParentCommand
    Main main;
    @Spec
    CommandSpec spec;
    @Mixin
    Verbose verbose;

    @Option(names = "--depth", defaultValue = "20", description = "Hidden layers (default: ${DEFAULT-VALUE}).")
    int depth;
    @Option(names = "--width", defaultValue = "64", description = "Width of every hidden layer (default: ${DEFAULT-VALUE}).")
    int width;
    @Option(names = "--activation", defaultValue = "sigmoid", description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Act activation;
    @Option(names = "--residual", description = "Wrap each hidden layer in a skip connection: x + f(x).")
    boolean residual;
    @Option(names = "--layernorm", description = "Normalize the input of each hidden layer (pre-norm).")
    boolean layerNorm;
    @Option(names = "--steps", defaultValue = "300", description = "Training steps before the second measurement (default: ${DEFAULT-VALUE}).")
    int steps;
    @Option(names = "--batch", defaultValue = "64", description = "Mini-batch size (default: ${DEFAULT-VALUE}).")
    int batch;
    @Option(names = "--lr", defaultValue = "0.05", description = "SGD learning rate (default: ${DEFAULT-VALUE}).")
    double lr;
    @Option(names = "--seed", defaultValue = "42", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;
    @Option(names = "--data", paramLabel = "DIR|embedded", description = "Data directory, or 'embedded' (see 'train --help').")
    String data;
    @Option(names = "--plot", paramLabel = "PNG", description = "Also write a PNG of the norms per layer (log scale).")
    Path plot;

    @Override
    public Integer call() throws Exception {
        if (depth < 1 || width < 1 || steps < 0 || batch < 1 || !(lr > 0)) {
            throw new ParameterException(spec.commandLine(), "need --depth >= 1, --width >= 1, --steps >= 0,"
                    + " --batch >= 1, --lr > 0; got depth " + depth + ", width " + width + ", steps " + steps
                    + ", batch " + batch + ", lr " + lr);
        }
        return Training.gradients(this, main.env);
    }
}
