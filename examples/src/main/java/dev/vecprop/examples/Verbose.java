package dev.vecprop.examples;

import picocli.CommandLine.Option;

/** The {@code --verbose} flag every command has: the stack trace on failure, besides the one-line message. */
final class Verbose {
    @Option(names = "--verbose", description = "On failure, print the stack trace too.")
    boolean verbose;
}
