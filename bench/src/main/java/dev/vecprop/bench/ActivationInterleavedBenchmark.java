package dev.vecprop.bench;

import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Companion to {@link ActivationComputeBenchmark} for a busy machine: the same benchmark methods (called on an
 * {@code ActivationComputeBenchmark} instance, so the code is identical), timed call by call in round-robin
 * order (vecprop, lanewise, scalar, vecprop, …), so every variant sees the same interference. Reports the
 * fastest call and the median call of each variant in Gelem/s, and the ratios. JMH runs one benchmark after
 * another, so when other processes come and go its ratios swing by 2× on a shared 2-core host; this keeps
 * them comparable. Not a replacement for JMH (no forks, no blackhole; the result arrays are kept live).
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp bench/target/vecprop-benchmarks.jar
 * dev.vecprop.bench.ActivationInterleavedBenchmark [seconds per size] [sizes…]} (default 6 s, 16384 1048576).
 */
public final class ActivationInterleavedBenchmark {
    private ActivationInterleavedBenchmark() {
    }

    private static volatile float sink;

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 6;
        int[] sizes = args.length > 1
                ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
                : new int[] {16384, 1048576};
        for (int n : sizes) {
            ActivationComputeBenchmark b = new ActivationComputeBenchmark();
            b.n = n;
            b.setup();
            run("tanh", n, seconds, new String[] {"vecprop", "lanewise", "scalar"},
                    b::tanhVecprop, b::tanhLanewise, b::tanhScalar);
            run("gelu", n, seconds, new String[] {"vecprop", "lanewise", "scalar"},
                    b::geluVecprop, b::geluLanewise, b::geluScalar);
        }
    }

    @SafeVarargs
    private static void run(String what, int n, double seconds, String[] names, Supplier<float[]>... f) {
        // warm-up: every variant until C2 has compiled it (the scalar ones slow the round-robin down: ≥ 3 s)
        long warmEnd = System.nanoTime() + (long) (Math.max(3, seconds * 0.5) * 1e9);
        while (System.nanoTime() < warmEnd) {
            for (Supplier<float[]> g : f) {
                sink += g.get()[0];
            }
        }
        int cap = 1 << 16;
        long[][] t = new long[f.length][cap];
        int count = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end && count < cap) {
            for (int v = 0; v < f.length; v++) {
                long t0 = System.nanoTime();
                float[] y = f[v].get();
                t[v][count] = System.nanoTime() - t0;
                sink += y[n - 1];
            }
            count++;
        }
        double[] best = new double[f.length];
        double[] median = new double[f.length];
        StringBuilder sb = new StringBuilder(String.format("%s n=%d (%d rounds):", what, n, count));
        for (int v = 0; v < f.length; v++) {
            long[] s = Arrays.copyOf(t[v], count);
            Arrays.sort(s);
            best[v] = n / (double) s[0];
            median[v] = n / (double) s[count / 2];
            sb.append(String.format(" %s best %.3f median %.3f;", names[v], best[v], median[v]));
        }
        sb.append(String.format(" Gelem/s. vecprop/%s best %.2f median %.2f", names[1], best[0] / best[1],
                median[0] / median[1]));
        sb.append(String.format(", vecprop/%s best %.1f median %.1f", names[2], best[0] / best[2],
                median[0] / median[2]));
        System.out.println(sb);
    }
}
