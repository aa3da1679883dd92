package dev.vecprop.testing;

/**
 * One generated property-test case: a value (shape, configuration, …) drawn from the case's own seed.
 *
 * <p>{@link #toString()} is the display name JUnit shows, e.g. {@code 7x16 seed=0x3c1f…}; rerun exactly
 * this case with {@code -Dvecprop.case=0x3c1f…} (see {@link Cases}). Draw the case's data (tensor values)
 * from {@link #rng()}, which is replayed from the same seed.
 *
 * @param index position of this case in its run, from 0, small cases first
 * @param count number of cases in the run
 * @param seed the case's seed: the value and {@link #rng()} are functions of it alone
 * @param value the generated value
 * @param <T> the value type
 */
public record Case<T>(int index, int count, long seed, T value) {

    /**
     * @return a fresh random source for this case's data, the same on every call and every rerun (it is
     *         independent of the draws that made {@link #value()})
     */
    public Rng rng() {
        return new Rng(Cases.mix(seed ^ 0x9E3779B97F4A7C15L));
    }

    /** @return the flag that reruns only this case, e.g. {@code -Dvecprop.case=0x3c1f…} */
    public String rerunFlag() {
        return "-D" + Cases.CASE_PROPERTY + "=" + Cases.hex(seed);
    }

    /** @return the display name: the value, then the seed */
    @Override
    public String toString() {
        return value + " seed=" + Cases.hex(seed);
    }
}
