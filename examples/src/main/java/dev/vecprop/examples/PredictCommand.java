package dev.vecprop.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vecprop predict}: the class a saved model gives one test image, with the image as ASCII art. */
@Command(name = "predict", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify one test image with a saved model and draw the image as ASCII art.")
final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    Main main;
    @Mixin
    Verbose verbose;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by 'train'.")
    Path model;
    @Option(names = "--index", defaultValue = "0", paramLabel = "I", description = "Index of the test image (default: ${DEFAULT-VALUE}).")
    int index;
    @Option(names = "--data", paramLabel = "DIR|embedded", description = "Data directory, or 'embedded' (see 'train --help').")
    String data;

    @Override
    public Integer call() throws Exception {
        return Training.predict(this, main.env);
    }
}
