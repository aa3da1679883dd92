package dev.vecprop.nn;

/**
 * The one random generator of nn: SplitMix64 (Steele, Lea, Flood 2014), small, fast and fully specified, so
 * the same seed gives bitwise the same numbers on every JVM. Not thread-safe.
 */
final class Rng {
    private long state;

    Rng(long seed) {
        state = seed;
    }

    /** Restarts the stream at {@code seed}, as {@code new Rng(seed)} would, without allocating. */
    void reseed(long seed) {
        state = seed;
    }

    /** The SplitMix64 finaliser: a bijective 64-bit mix, also used to derive independent sub-seeds. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed for stream {@code index} of {@code seed}, independent of the others. */
    static long derive(long seed, long index) {
        return mix(seed + 0x9E3779B97F4A7C15L * (index + 1));
    }

    long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [0, bound), without modulo bias (Lemire's method is not needed at these sizes: rejection). */
    int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be > 0, but was " + bound);
        }
        long limit = (1L << 31) - ((1L << 31) % bound);
        while (true) {
            long r = nextLong() >>> 33;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Standard normal by Box–Muller (one of the pair is used); StrictMath keeps it bitwise reproducible across JVMs. */
    double nextGaussian() {
        double u1 = 1.0 - nextDouble(); // (0, 1]: log is finite
        double u2 = nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * Math.PI * u2);
    }

    /** Fisher–Yates shuffle of {@code a[0, n)} in place. */
    void shuffle(int[] a, int n) {
        for (int i = n - 1; i > 0; i--) {
            int j = nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
