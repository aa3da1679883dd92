package dev.vecprop.examples;

import dev.vecprop.kernels.Parallelism;

/** The {@code --threads} option: how many threads the kernels may use for the rest of this run. */
final class Threads {
    private Threads() {
    }

    /** Sets the kernels' default parallelism; results are bitwise the same for any count (DESIGN §2). */
    static void use(int threads) {
        Parallelism.setDefault(Parallelism.threads(threads));
    }
}
