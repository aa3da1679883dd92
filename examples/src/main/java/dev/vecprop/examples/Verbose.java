package dev.vecprop.examples;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag every command has: stack traces on failure, more detail while running. */
final class Verbose {
    @Option(names = "--verbose", description = "Print stack traces on failure and more detail while running.")
    boolean verbose;
}
