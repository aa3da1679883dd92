// notes/startup-probe/NormFirst.java — what a first Vector API call costs in a fresh JVM: an optional short squared
// norm (argument: its length, e.g. 64), then three squared norms of 200,704 floats, each timed. A 64-element norm as the
// first call took 124-144 ms (the Vector API spinning ~125 lambda and LambdaForm classes: -Xlog:class+load). Same flags
// and class path as FirstStepParts.java; main class dev.vecprop.bench.NormFirst.
package dev.vecprop.bench;
import dev.vecprop.kernels.*;
public final class NormFirst {
    public static void main(String[] args) {
        float[] a = new float[200704];
        for (int i = 0; i < a.length; i++) a[i] = i * 1e-6f;
        int warm = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        long t0 = System.nanoTime();
        double s = 0;
        if (warm > 0) s += Reductions.squaredNorm(a, 0, warm);
        long t1 = System.nanoTime();
        for (int r = 0; r < 3; r++) {
            long u = System.nanoTime();
            s += Reductions.squaredNorm(a, 0, a.length);
            System.out.printf("call %d: %.1f ms%n", r, (System.nanoTime() - u) / 1e6);
        }
        System.out.printf("warm(%d) %.1f ms; %g%n", warm, (t1 - t0) / 1e6, s);
    }
}
