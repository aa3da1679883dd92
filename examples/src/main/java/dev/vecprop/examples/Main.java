package dev.vecprop.examples;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the examples jar, {@code ./vecprop <command>}: train, eval, predict, gradients and demo.
 *
 * <p>{@link #run} is the testable entry point: it never calls {@code System.exit} and returns the exit code.
 * Bad input (unknown options, missing or corrupt files) gives one line on stderr and a non-zero code; the stack
 * trace only with {@code --verbose}.
 */
@Command(name = "vecprop", mixinStandardHelpOptions = true, version = "vecprop 0.1.0-SNAPSHOT",
        description = "Train, evaluate and inspect a multilayer perceptron on Fashion-MNIST with vecprop.",
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, GradientsCommand.class,
            DemoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for a failure while running (missing data, corrupt model file, ...). */
    static final int EXIT_FAILURE = 1;
    /** Exit code for a command line that does not parse (unknown option, bad value). */
    static final int EXIT_USAGE = 2;

    /** Where commands write, and whether stdout is an interactive terminal (for the progress bar). */
    record Env(PrintWriter out, PrintWriter err, boolean interactive) {
    }

    final Env env;

    private Main(Env env) {
        this.env = env;
    }

    @Override
    public void run() {
        env.out().println(new CommandLine(this).getUsageMessage());
    }

    public static void main(String[] args) {
        // charts are drawn off-screen; no display is needed or wanted
        System.setProperty("java.awt.headless", "true");
        boolean interactive = System.console() != null && System.console().isTerminal();
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        int code = run(args, new Env(out, err, interactive));
        out.flush();
        err.flush();
        System.exit(code);
    }

    /** Runs one command writing to the given streams, non-interactively; returns the exit code. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        PrintWriter o = new PrintWriter(out, true, StandardCharsets.UTF_8);
        PrintWriter e = new PrintWriter(err, true, StandardCharsets.UTF_8);
        int code = run(args, new Env(o, e, false));
        o.flush();
        e.flush();
        return code;
    }

    /** Runs one command in the given environment; returns the exit code. */
    static int run(String[] args, Env env) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        CommandLine cl = new CommandLine(new Main(env));
        cl.setOut(env.out());
        cl.setErr(env.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, argv) -> {
            CommandLine where = ex.getCommandLine();
            String name = where.getCommandSpec().qualifiedName();
            env.err().println(name + ": " + ex.getMessage() + " (see ./" + name + " --help)");
            if (verbose) {
                ex.printStackTrace(env.err());
            }
            return EXIT_USAGE;
        });
        cl.setExecutionExceptionHandler((ex, where, parsed) -> {
            env.err().println(where.getCommandSpec().qualifiedName() + ": " + message(ex, verbose));
            if (verbose) {
                ex.printStackTrace(env.err());
            }
            return EXIT_FAILURE;
        });
        return cl.execute(args);
    }

    /** One line telling the user what went wrong, without the exception class when the message says it all. */
    static String message(Throwable ex, boolean verbose) {
        String m = ex.getMessage();
        if (ex instanceof NoSuchFileException nsf) {
            return nsf.getFile() + ": " + (nsf.getReason() != null ? nsf.getReason() : "no such file");
        }
        if (ex instanceof AccessDeniedException ade) {
            return ade.getFile() + ": permission denied";
        }
        if (ex instanceof UserException || ex instanceof Idx.IdxFormatException
                || ex instanceof IllegalArgumentException) {
            return m;
        }
        String line = m == null ? ex.getClass().getSimpleName() : ex.getClass().getSimpleName() + ": " + m;
        return verbose ? line : line + " (run with --verbose for the stack trace)";
    }

    /** A problem the user can fix (bad option value, missing data, unusable model file): reported as one line. */
    static final class UserException extends RuntimeException {
        UserException(String message) {
            super(message);
        }

        UserException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
