package dev.vecprop.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.function.ThrowingConsumer;

/**
 * Seeded property-test cases for JUnit Jupiter, from {@code @MethodSource} or {@code @TestFactory}.
 *
 * <pre>{@code
 * static Stream<Case<Shape>> shapes() {
 *     return Cases.of("dense", 30, rng -> rng.shape(2, 65));
 * }
 *
 * @ParameterizedTest(name = "{0}")
 * @MethodSource("shapes")
 * void denseMatchesReference(Case<Shape> c) {
 *     double[] x = c.rng().values((int) c.value().size());
 *     ...
 * }
 * }</pre>
 *
 * <p>System properties (passed through by the Maven build):
 * <ul>
 *   <li>{@value #SEED_PROPERTY}: the base seed (default {@link #DEFAULT_SEED}, fixed so CI is reproducible).
 *       Each case's seed is derived from it, the suite name and the case number.</li>
 *   <li>{@value #CASES_PROPERTY}: multiplies every case count (default 1; {@code -Pdeep} sets 10).</li>
 *   <li>{@value #CASE_PROPERTY}: a case seed as printed in a display name; every case source then yields
 *       just that one case, so {@code -Dtest=Suite#method -Dvecprop.case=0x…} replays a failure.</li>
 * </ul>
 *
 * <p>Cases are sorted from small to large by {@link Sized#size()} when the values are {@link Sized}, so the
 * first failure reported is usually the smallest. Thread-safe: no mutable state.
 */
public final class Cases {

    /** System property holding the base seed (decimal or {@code 0x} hex). */
    public static final String SEED_PROPERTY = "vecprop.seed";
    /** System property holding the case-count multiplier. */
    public static final String CASES_PROPERTY = "vecprop.cases";
    /** System property holding the seed of the single case to run. */
    public static final String CASE_PROPERTY = "vecprop.case";
    /** Base seed when {@value #SEED_PROPERTY} is not set. */
    public static final long DEFAULT_SEED = 0x7EC_9209_2026L;

    private Cases() {
    }

    /**
     * What decides the cases: base seed, case-count multiplier, and the single case to replay (or null). The
     * one-argument-less methods read it from the system properties ({@link #fromSystemProperties}); tests of
     * the mechanism pass their own instead of changing global properties.
     *
     * @param baseSeed   the base seed
     * @param multiplier multiplies every case count, >= 1
     * @param onlyCase   the seed of the single case every source yields, or null for all cases
     */
    public record Settings(long baseSeed, int multiplier, Long onlyCase) {
        /** @throws IllegalArgumentException if multiplier < 1 */
        public Settings {
            if (multiplier < 1) {
                throw new IllegalArgumentException("multiplier must be >= 1, but was " + multiplier);
            }
        }

        /**
         * Settings read through {@code lookup} (property name to value, null when unset) with the names, defaults
         * and parsing documented on {@link Cases}.
         */
        public static Settings from(java.util.function.UnaryOperator<String> lookup) {
            String seed = property(lookup, SEED_PROPERTY);
            String only = property(lookup, CASE_PROPERTY);
            return new Settings(seed == null ? DEFAULT_SEED : parseSeed(SEED_PROPERTY, seed),
                    parseMultiplier(property(lookup, CASES_PROPERTY)), only == null ? null : parseSeed(CASE_PROPERTY, only));
        }
    }

    /** @return the settings of the system properties {@value #SEED_PROPERTY}, {@value #CASES_PROPERTY}, {@value #CASE_PROPERTY} */
    public static Settings fromSystemProperties() {
        return Settings.from(System::getProperty);
    }

    /** @return the base seed: {@value #SEED_PROPERTY} if set, else {@link #DEFAULT_SEED} */
    public static long baseSeed() {
        return fromSystemProperties().baseSeed();
    }

    /** @return the case-count multiplier: {@value #CASES_PROPERTY} if set (must be >= 1), else 1 */
    public static int multiplier() {
        return fromSystemProperties().multiplier();
    }

    private static int parseMultiplier(String s) {
        if (s == null) {
            return 1;
        }
        try {
            int m = Integer.parseInt(s);
            if (m >= 1) {
                return m;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("-D" + CASES_PROPERTY + " must be an integer >= 1, but was '" + s + "'");
    }

    /** @return the single case seed asked for with {@value #CASE_PROPERTY}, or null to run all cases */
    public static Long onlyCase() {
        return fromSystemProperties().onlyCase();
    }

    /**
     * {@code count ·} {@link #multiplier()} cases drawn by {@code gen}, sorted small to large.
     *
     * @param suite names the case stream; different suites get unrelated seeds from the same base seed
     * @param count the number of cases at multiplier 1 (at least 1)
     * @param gen draws a case value from the case's seed
     * @return the cases, for {@code @MethodSource} (use {@code @ParameterizedTest(name = "{0}")})
     */
    public static <T> Stream<Case<T>> of(String suite, int count, Gen<T> gen) {
        return list(suite, count, gen).stream();
    }

    /** The same cases as {@link #of}, as a list (settings from the system properties). */
    public static <T> List<Case<T>> list(String suite, int count, Gen<T> gen) {
        return list(fromSystemProperties(), suite, count, gen);
    }

    /** The cases {@link #list(String, int, Gen)} gives under {@code settings} instead of the system properties. */
    public static <T> List<Case<T>> list(Settings settings, String suite, int count, Gen<T> gen) {
        if (count < 1) {
            throw new IllegalArgumentException("count must be >= 1, but was " + count);
        }
        Long only = settings.onlyCase();
        if (only != null) {
            return List.of(new Case<>(0, 1, only, gen.generate(new Rng(only))));
        }
        int total = Math.multiplyExact(count, settings.multiplier());
        SplittableRandom seeds = new SplittableRandom(mix(settings.baseSeed() ^ mix(suite.hashCode())));
        List<Case<T>> drawn = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            long seed = seeds.nextLong();
            drawn.add(new Case<>(i, total, seed, gen.generate(new Rng(seed))));
        }
        // stable: values that are not Sized keep their generation order
        drawn.sort(Comparator.comparingLong(c -> c.value() instanceof Sized s ? s.size() : 0L));
        List<Case<T>> out = new ArrayList<>(total);
        for (int i = 0; i < total; i++) {
            Case<T> c = drawn.get(i);
            out.add(new Case<>(i, total, c.seed(), c.value()));
        }
        return out;
    }

    /**
     * The same cases as {@link #of}, as dynamic tests for a {@code @TestFactory}, each named by its case.
     *
     * @param body the property; it gets the case (its value, and {@link Case#rng()} for data)
     */
    public static <T> Stream<DynamicTest> tests(String suite, int count, Gen<T> gen, ThrowingConsumer<Case<T>> body) {
        return of(suite, count, gen).map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            try {
                body.accept(c);
            } catch (Throwable failure) {
                throw RerunHint.withHint(failure, c.toString(), c.rerunFlag() + " (with -Dtest=<the suite>)");
            }
        }));
    }

    /** @return {@code seed} as printed in display names, e.g. {@code 0x00c3…} (16 hex digits) */
    public static String hex(long seed) {
        return String.format(Locale.ROOT, "0x%016x", seed);
    }

    /** A 64-bit finaliser (from SplitMix64): spreads every input bit over the output. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static String property(java.util.function.UnaryOperator<String> lookup, String name) {
        String s = lookup.apply(name);
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static long parseSeed(String name, String s) {
        try {
            String t = s.toLowerCase(Locale.ROOT);
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + name + " must be a decimal or 0x-hex long, but was '" + s + "'", e);
        }
    }
}
