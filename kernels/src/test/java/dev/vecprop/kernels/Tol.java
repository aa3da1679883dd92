package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Tolerances and comparisons shared by the elementwise kernel tests (issue 4): float results within
 * {@code ulps} ulp of a float64 reference (or within 1e-20 absolute where the result is that small), double
 * results within a relative error (or 1e-300 absolute). Comparisons report the worst element.
 */
final class Tol {
    private Tol() {
    }

    static final double FLOAT_ABS_FLOOR = 1e-20;
    static final double DOUBLE_ABS_FLOOR = 1e-300;
    static final double DOUBLE_REL = 1e-14;

    /** Fixed base seed, overridable with -Dvecprop.test.seed. */
    static final long SEED = Long.getLong("vecprop.test.seed", 20261128L);

    /**
     * Lengths around the lane count: 0, 1, 2, V−1, V, V+1, 2V+3, 1000, 4099, and one over several
     * {@link ReduceKernels#CALL_BLOCK}s (deduplicated, ascending).
     */
    static int[] lengths(int v) {
        return Arrays.stream(new int[] {0, 1, 2, v - 1, v, v + 1, 2 * v + 3, 1000, 4099,
                    3 * ReduceKernels.CALL_BLOCK + 2 * v + 1}) // several blocks of a long kernel's loop
                .filter(x -> x >= 0).distinct().sorted().toArray();
    }

    static int[] floatLengths() {
        return lengths(Vectorization.floatLanes());
    }

    static int[] doubleLengths() {
        return lengths(Vectorization.doubleLanes());
    }

    static float[] randomFloats(SplittableRandom r, int n, double lo, double hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(lo, hi);
        }
        return a;
    }

    static double[] randomDoubles(SplittableRandom r, int n, double lo, double hi) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = r.nextDouble(lo, hi);
        }
        return a;
    }

    /** Error of a float result in ulps of the reference's float rounding; 0 when it passes the absolute floor. */
    static double floatUlps(double ref, float got) {
        if (Double.isNaN(ref) || Float.isNaN(got)) {
            return Double.isNaN(ref) && Float.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        float rf = (float) ref;
        if (Float.isInfinite(rf) || Float.isInfinite(got)) {
            return rf == got ? 0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs(got - ref);
        if (err <= FLOAT_ABS_FLOOR) {
            return 0;
        }
        return err / Math.ulp(rf);
    }

    /** Relative error of a double result; 0 when within the absolute floor. */
    static double doubleRel(double ref, double got) {
        if (Double.isNaN(ref) || Double.isNaN(got)) {
            return Double.isNaN(ref) && Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (Double.isInfinite(ref) || Double.isInfinite(got)) {
            return ref == got ? 0 : Double.POSITIVE_INFINITY;
        }
        double err = Math.abs(got - ref);
        if (err <= DOUBLE_ABS_FLOOR) {
            return 0;
        }
        return err / Math.abs(ref);
    }

    /**
     * Fails with the worst element unless every {@code got[off + i]} is within {@code ulps} of {@code ref[i]}.
     * {@code scale} (may be null) gives a magnitude per element to measure the ulp against instead of the
     * reference itself, for accumulating kernels whose result can cancel.
     */
    static void assertFloats(String what, double[] ref, double[] scale, float[] got, int off, double ulps) {
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < ref.length; i++) {
            double e = scale == null ? floatUlps(ref[i], got[off + i]) : scaledUlps(ref[i], scale[i], got[off + i]);
            if (e > worstErr || Double.isNaN(e)) {
                worstErr = e;
                worst = i;
            }
        }
        if (worst >= 0 && !(worstErr <= ulps)) {
            fail(what + ": element " + worst + " of " + ref.length + " is " + got[off + worst] + ", expected "
                    + ref[worst] + " (" + worstErr + " ulp > " + ulps + ")");
        }
    }

    static double scaledUlps(double ref, double scale, float got) {
        if (Double.isNaN(ref) || Float.isNaN(got) || Double.isInfinite(ref) || Float.isInfinite(got)) {
            return floatUlps(ref, got);
        }
        double err = Math.abs(got - ref);
        if (err <= FLOAT_ABS_FLOOR) {
            return 0;
        }
        return err / Math.ulp((float) Math.max(Math.abs(scale), Math.abs(ref)));
    }

    /** Double twin of {@link #assertFloats}: relative error ≤ rel (vs {@code scale} when given). */
    static void assertDoubles(String what, double[] ref, double[] scale, double[] got, int off, double rel) {
        int worst = -1;
        double worstErr = 0;
        for (int i = 0; i < ref.length; i++) {
            double e;
            if (scale == null || Double.isNaN(ref[i]) || Double.isInfinite(ref[i])) {
                e = doubleRel(ref[i], got[off + i]);
            } else {
                double err = Math.abs(got[off + i] - ref[i]);
                e = err <= DOUBLE_ABS_FLOOR ? 0 : err / Math.max(Math.abs(scale[i]), Math.abs(ref[i]));
            }
            if (e > worstErr || Double.isNaN(e)) {
                worstErr = e;
                worst = i;
            }
        }
        if (worst >= 0 && !(worstErr <= rel)) {
            fail(what + ": element " + worst + " of " + ref.length + " is " + got[off + worst] + ", expected "
                    + ref[worst] + " (relative error " + worstErr + " > " + rel + ")");
        }
    }

    /** Asserts that {@code a} and {@code b} hold the same bits (an output untouched by a refused call). */
    static void assertUntouched(float[] before, float[] after) {
        if (!Arrays.equals(before, after)) {
            fail("a refused call wrote to its output");
        }
    }

    static void assertUntouched(double[] before, double[] after) {
        if (!Arrays.equals(before, after)) {
            fail("a refused call wrote to its output");
        }
    }
}
