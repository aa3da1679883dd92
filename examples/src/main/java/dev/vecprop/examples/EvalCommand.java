package dev.vecprop.examples;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vecprop eval}: test accuracy and confusion matrix of a saved model. */
@Command(name = "eval", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Print the test accuracy and the confusion matrix of a model saved by 'train'.")
final class EvalCommand implements Callable<Integer> {
    @ParentCommand
    Main main;
    @Mixin
    Verbose verbose;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "Model file written by 'train'.")
    Path model;
    @Option(names = "--data", paramLabel = "DIR|embedded", description = "Data directory, or 'embedded' (see 'train --help').")
    String data;

    @Override
    public Integer call() throws Exception {
        return Training.eval(this, main.env);
    }
}
