package dev.vecprop.examples;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code vecprop demo}: which kernel path is active, and a timed GEMM. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Show which kernel path is active (Vector API or scalar fallback) and time a 512x512 GEMM.")
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    private Main main;

    @Override
    public Integer call() {
        Demo.run(main.env.out());
        return 0;
    }
}
