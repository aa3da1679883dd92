package dev.vecprop.testing;

import java.util.Locale;

import org.opentest4j.AssertionFailedError;

/**
 * Element-wise closeness: element {@code i} passes when
 * {@code |actual − expected| ≤ atol + rtol·|expected|}. A failure names the worst element (the largest
 * error relative to its allowance), with both values and the absolute and relative errors.
 *
 * <p>NaN never passes (NaN against NaN included), and infinities pass only when equal. Thread-safe.
 */
public final class Approx {
    private Approx() {
    }

    /** Unit roundoff of float32, 2⁻²³ ≈ 1.2e-7 (the spacing of floats at 1). */
    public static final double FLOAT_EPS = Math.ulp(1.0f);
    /** Unit roundoff of float64, 2⁻⁵² ≈ 2.2e-16. */
    public static final double DOUBLE_EPS = Math.ulp(1.0);

    /**
     * The relative bound for a float32 result whose elements each sum {@code k} products,
     * compared with the float64 path: {@code max(1e-5, 4·√k·1.2e-7)}. Rounding errors of a length-k sum
     * grow like √k; the factor 4 covers the tail over many elements.
     */
    public static double float32Rtol(long k) {
        return Math.max(1e-5, 4 * Math.sqrt(Math.max(1, k)) * FLOAT_EPS);
    }

    /** The float64 analogue of {@link #float32Rtol}: {@code max(1e-13, 4·√k·2.2e-16)}. */
    public static double float64Rtol(long k) {
        return Math.max(1e-13, 4 * Math.sqrt(Math.max(1, k)) * DOUBLE_EPS);
    }

    /**
     * The worst element of a comparison.
     *
     * @param index the flat index
     * @param expected the reference value
     * @param actual the value under test
     * @param ratio {@code |actual − expected| / (atol + rtol·|expected|)}; the element passes when ≤ 1
     */
    public record Worst(int index, double expected, double actual, double ratio) {
        /** @return {@code |actual − expected|} */
        public double absError() {
            return Math.abs(actual - expected);
        }

        /** @return {@code |actual − expected| / |expected|} (infinite when expected is 0 and they differ) */
        public double relError() {
            double abs = absError();
            return abs == 0 ? 0 : abs / Math.abs(expected);
        }

        /** @return true when the element is within its allowance */
        public boolean passes() {
            return ratio <= 1;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[%d] expected %.17g, actual %.17g, abs error %.3e, rel error %.3e",
                    index, expected, actual, absError(), relError());
        }
    }

    /**
     * @return the allowance ratio of one element; {@code > 1} fails; NaN or mismatched infinities give +∞
     * @throws IllegalArgumentException if {@code rtol} or {@code atol} is negative or NaN (a negative allowance
     *     would make every element pass)
     */
    public static double ratio(double expected, double actual, double rtol, double atol) {
        checkTolerances(rtol, atol);
        if (Double.isNaN(expected) || Double.isNaN(actual)) {
            return Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(expected) || Double.isInfinite(actual)) {
            return expected == actual ? 0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs(actual - expected);
        if (err == 0) {
            return 0;
        }
        double allowed = atol + rtol * Math.abs(expected);
        return allowed == 0 ? Double.POSITIVE_INFINITY : err / allowed;
    }

    /**
     * @return the worst element of {@code actual[i]} against {@code expected[i]}, or null when empty
     * @throws AssertionFailedError if the lengths differ
     * @throws IllegalArgumentException if {@code rtol} or {@code atol} is negative or NaN
     */
    public static Worst worst(double[] expected, double[] actual, double rtol, double atol) {
        checkTolerances(rtol, atol);
        sameLength(expected.length, actual.length);
        Worst w = null;
        for (int i = 0; i < expected.length; i++) {
            double r = ratio(expected[i], actual[i], rtol, atol);
            if (w == null || r > w.ratio) {
                w = new Worst(i, expected[i], actual[i], r);
            }
        }
        return w;
    }

    /**
     * Tolerances are allowances: a negative one would let every error pass (the ratio turns negative), a NaN one
     * could let the first element pass unexamined; both are refused rather than trusted.
     */
    static void checkTolerances(double rtol, double atol) {
        if (!(rtol >= 0)) {
            throw new IllegalArgumentException("rtol must be >= 0 and not NaN, but was " + rtol);
        }
        if (!(atol >= 0)) {
            throw new IllegalArgumentException("atol must be >= 0 and not NaN, but was " + atol);
        }
    }

    /**
     * Asserts every {@code actual[i]} is close to {@code expected[i]}; the message names {@code what}.
     *
     * @throws AssertionFailedError if the lengths differ
     * @throws IllegalArgumentException if {@code rtol} or {@code atol} is negative or NaN
     */
    public static void assertClose(String what, double[] expected, double[] actual, double rtol, double atol) {
        Worst w = worst(expected, actual, rtol, atol);
        if (w != null && !w.passes()) {
            throw new AssertionFailedError(String.format(Locale.ROOT,
                    "%s: %d elements, worst %s; allowed |a - e| <= %.1e + %.1e*|e|",
                    what, expected.length, w, atol, rtol));
        }
    }

    /** Asserts float32 results are close to a float64 reference. */
    public static void assertClose(String what, double[] expected, float[] actual, double rtol, double atol) {
        assertClose(what, expected, toDouble(actual), rtol, atol);
    }

    /** Asserts two scalars are close. */
    public static void assertClose(String what, double expected, double actual, double rtol, double atol) {
        assertClose(what, new double[] {expected}, new double[] {actual}, rtol, atol);
    }

    /** @return the float array widened to double */
    public static double[] toDouble(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** @return the double array rounded to float */
    public static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    private static void sameLength(int expected, int actual) {
        if (expected != actual) {
            throw new AssertionFailedError("lengths differ: expected " + expected + " elements, actual " + actual);
        }
    }
}
