package dev.vecprop.examples;

/** Sets how many threads the kernels may use, before they first run. */
final class Threads {
    private Threads() {
    }

    /** Kernels read {@code vecprop.threads} when they start; an explicit setting made earlier wins. */
    static void use(int threads) {
        System.setProperty("vecprop.threads", Integer.toString(threads));
    }
}
