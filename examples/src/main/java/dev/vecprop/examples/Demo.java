package dev.vecprop.examples;

import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Vectorization;
import java.io.PrintWriter;
import java.util.SplittableRandom;

/**
 * A first look: which kernel path is active, and a GEMM and an activation timed once the JIT has compiled
 * them (see {@link #time}). A rough wall-clock figure
 * for a newcomer; the measured numbers come from the JMH suite in bench/.
 */
final class Demo {
    private Demo() {
    }

    static void run(PrintWriter out) {
        out.println(Vectorization.describe());
        int n = 512;
        float[] a = random(n * n, 1);
        float[] b = random(n * n, 2);
        float[] c = new float[n * n];
        double seconds = time(() -> Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n));
        out.printf("sgemm %dx%dx%d: %.2f ms, %.1f GFLOPS%n", n, n, n, seconds * 1e3,
                2.0 * n * n * n / seconds / 1e9);

        int len = 1 << 16; // cache-resident: measures the arithmetic, not the memory
        float[] x = random(len, 3);
        float[] y = new float[len];
        double sigmoid = time(() -> Activations.sigmoid(x, 0, y, 0, len));
        double scalar = time(() -> {
            for (int i = 0; i < len; i++) {
                y[i] = (float) (1 / (1 + Math.exp(-x[i])));
            }
        });
        out.printf("sigmoid over %,d floats: %.1f us, %.2f Gelem/s (a plain Math.exp loop: %.2f Gelem/s)%n",
                len, sigmoid * 1e6, len / sigmoid / 1e9, len / scalar / 1e9);
    }

    /**
     * Best time of one call once the JIT has caught up. Vector API code runs 10-100x slower until C2 has
     * compiled it, and how long that takes depends on the machine's load, so the warm-up runs until the best
     * time of a 250 ms window stops improving (at most 15 s) instead of for a fixed time.
     */
    private static double time(Runnable work) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        double best = Double.MAX_VALUE;
        int windowsWithoutGain = 0;
        while (windowsWithoutGain < 4 && System.nanoTime() < deadline) {
            double windowBest = Double.MAX_VALUE;
            long windowEnd = System.nanoTime() + 250_000_000L;
            while (System.nanoTime() < windowEnd) {
                long t0 = System.nanoTime();
                work.run();
                windowBest = Math.min(windowBest, (System.nanoTime() - t0) / 1e9);
            }
            windowsWithoutGain = windowBest < 0.95 * best ? 0 : windowsWithoutGain + 1;
            best = Math.min(best, windowBest);
        }
        return best;
    }

    private static float[] random(int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[size];
        for (int i = 0; i < size; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
