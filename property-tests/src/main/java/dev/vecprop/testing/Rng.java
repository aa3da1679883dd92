package dev.vecprop.testing;

import java.util.List;
import java.util.SplittableRandom;

import dev.vecprop.nn.Tensor;

/**
 * The random source of one property-test case: sizes drawn from SIMD lane boundaries and at random,
 * values uniform in a range at full precision, optionally kept away from kinks.
 *
 * <p>Everything is a pure function of the seed, so a case is replayed exactly from the seed printed in its
 * name (see {@link Cases}). Not thread-safe: one {@code Rng} per case and thread.
 */
public final class Rng {

    /**
     * Sizes where vector code changes behaviour: one element, a few, and one below, at and above the lane
     * counts of 128-, 256- and 512-bit species (2, 4, 8, 16 floats or doubles) and of unrolled loops.
     * Unmodifiable: {@link #dim(int, int)} draws from it, so a caller that changed it would change every
     * case drawn afterwards and a printed seed would no longer replay its case.
     */
    public static final List<Integer> LANE_DIMS = List.of(1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 63, 65);

    /** Default value range of {@link #values(int)}: uniform in [−2, 2]. */
    public static final double DEFAULT_BOUND = 2.0;

    private final long seed;
    private final SplittableRandom random;

    /** @param seed the whole state of this source */
    public Rng(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** @return the seed this source started from */
    public long seed() {
        return seed;
    }

    /** @return a uniformly random long */
    public long nextLong() {
        return random.nextLong();
    }

    /** @return a uniformly random int in [0, bound) */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** @return a uniformly random int in [lo, hi], both inclusive */
    public int between(int lo, int hi) {
        if (hi < lo) {
            throw new IllegalArgumentException("between(lo, hi) needs lo <= hi, but was " + lo + ", " + hi);
        }
        return random.nextInt(lo, hi + 1);
    }

    /** @return true with probability 1/2 */
    public boolean nextBoolean() {
        return random.nextBoolean();
    }

    /** @return true with probability {@code p} */
    public boolean chance(double p) {
        return random.nextDouble() < p;
    }

    /** @return one of the given options, uniformly */
    @SafeVarargs
    public final <T> T pick(T... options) {
        return options[random.nextInt(options.length)];
    }

    /** @return one of the given ints, uniformly */
    public int pickInt(int... options) {
        return options[random.nextInt(options.length)];
    }

    /** @return a dimension in [1, 65]: half the time a {@link #LANE_DIMS lane boundary}, else uniform */
    public int dim() {
        return dim(1, 65);
    }

    /** @return a dimension in [1, max]: half the time a lane boundary {@code <= max}, else uniform */
    public int dim(int max) {
        return dim(1, max);
    }

    /**
     * @return a dimension in [min, max]: half the time a {@link #LANE_DIMS lane boundary} in that range
     *         (when there is one), else uniform in the range
     */
    public int dim(int min, int max) {
        if (max < min || min < 0) {
            throw new IllegalArgumentException("dim(min, max) needs 0 <= min <= max, but was " + min + ", " + max);
        }
        if (random.nextBoolean()) {
            int count = 0;
            for (int d : LANE_DIMS) {
                if (d >= min && d <= max) {
                    count++;
                }
            }
            if (count > 0) {
                int chosen = random.nextInt(count);
                for (int d : LANE_DIMS) {
                    if (d >= min && d <= max && chosen-- == 0) {
                        return d;
                    }
                }
            }
        }
        return random.nextInt(min, max + 1);
    }

    /** @return a shape of {@code rank} dimensions, each from {@link #dim(int) dim(maxDim)} */
    public Shape shape(int rank, int maxDim) {
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) {
            dims[i] = dim(maxDim);
        }
        return Shape.of(dims);
    }

    /** @return a double uniform in [lo, hi) with all 53 bits of precision */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * random.nextDouble();
    }

    /** @return {@code n} doubles uniform in [−2, 2) */
    public double[] values(int n) {
        return values(n, -DEFAULT_BOUND, DEFAULT_BOUND);
    }

    /** @return {@code n} doubles uniform in [lo, hi) */
    public double[] values(int n, double lo, double hi) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = uniform(lo, hi);
        }
        return out;
    }

    /** @return {@code n} floats uniform in [−2, 2) (all 24 bits random) */
    public float[] floats(int n) {
        return floats(n, -DEFAULT_BOUND, DEFAULT_BOUND);
    }

    /** @return {@code n} floats uniform in [lo, hi) */
    public float[] floats(int n, double lo, double hi) {
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            out[i] = (float) uniform(lo, hi);
        }
        return out;
    }

    /**
     * {@code n} doubles uniform in [lo, hi) that keep more than ten finite-difference steps
     * ({@code 10·}{@link GradientCheck#step(double) step(x)}) away from every kink, e.g. {@code 0} for ReLU:
     * there a central difference straddles the kink and disagrees with either one-sided derivative.
     */
    public double[] valuesAwayFrom(int n, double lo, double hi, double... kinks) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            double x;
            do {
                x = uniform(lo, hi);
            } while (nearKink(x, kinks));
            out[i] = x;
        }
        return out;
    }

    /** @return true when {@code x} lies within ten finite-difference steps of one of {@code kinks} */
    public static boolean nearKink(double x, double... kinks) {
        double margin = 10 * GradientCheck.step(x);
        for (double k : kinks) {
            if (Math.abs(x - k) <= margin) {
                return true;
            }
        }
        return false;
    }

    /** @return a float64 tensor of this shape, values uniform in [−2, 2) */
    public Tensor tensor(int... shape) {
        return Tensor.of(values(Math.toIntExact(Shape.of(shape).size())), shape);
    }

    /** @return a float64 tensor of this shape, values uniform in [−2, 2) */
    public Tensor tensor(Shape shape) {
        return tensor(shape.dims());
    }

    /** @return a float64 tensor of this shape, values uniform in [−2, 2) and {@link #valuesAwayFrom away} from kinks */
    public Tensor tensorAwayFrom(double[] kinks, int... shape) {
        return Tensor.of(valuesAwayFrom(Math.toIntExact(Shape.of(shape).size()), -DEFAULT_BOUND, DEFAULT_BOUND, kinks),
                shape);
    }

    /** @return an independent source derived from this one (for a sub-task that must not shift later draws) */
    public Rng split() {
        return new Rng(random.nextLong());
    }

    @Override
    public String toString() {
        return "Rng[seed=" + Cases.hex(seed) + "]";
    }
}
