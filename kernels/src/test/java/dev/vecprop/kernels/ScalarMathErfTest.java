package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * {@link ScalarMath}'s erf, erfc, exact GELU {@code x·Φ(x)} and its derivative {@code Φ(x) + x·φ(x)} against
 * {@link ErfReference}, a BigDecimal evaluation that shares no code or method with ScalarMath. ScalarMath is the
 * double GELU_ERF kernel on every path, the float one's scalar fallback and the oracle of ActivationsTest and
 * FastMathTest, so this is the only place its erf is checked against something other than itself.
 *
 * <p>Bounds are ScalarMath's documented accuracy, relative: erf 2e-15; erfc, geluErf 4e-15; the derivative 4e-15
 * of {@code |Φ(x)| + |x·φ(x)|} (it is a difference of those two terms and has a zero near x = −0.75, where no
 * working-precision evaluation keeps a relative error). 4e-15 is 18 to 36 ulp; the double kernels promise 1e-14.
 */
class ScalarMathErfTest {

    static final double ERF_REL = 2e-15;
    static final double REL = 4e-15;

    /** ScalarMath does not depend on the vector width: the width-forcing surefire executions skip it. */
    @BeforeEach
    void onceNotPerWidth() {
        Assumptions.assumeTrue(System.getProperty("vecprop.vectorBits") == null,
                "scalar formulas: checked in the executions that do not force a width");
    }

    /** The largest error of a run of comparisons, relative to a per-point scale. */
    static final class Worst {
        final String what;
        double err = 0;
        double x = Double.NaN;
        double ref;
        double got;
        int count;

        Worst(String what) {
            this.what = what;
        }

        /** |got − ref| / scale; a zero reference must be matched exactly (its scale is 0). */
        void add(double x, double ref, double got, double scale) {
            count++;
            double e = ref == got ? 0 : scale == 0 ? Double.POSITIVE_INFINITY : Math.abs(got - ref) / scale;
            if (!(e <= err)) { // NaN got counts as the worst
                err = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                this.x = x;
                this.ref = ref;
                this.got = got;
            }
        }

        void assertWithin(double bound) {
            if (!(err <= bound)) {
                fail(String.format(Locale.ROOT, "%s: at x = %.17g got %.17g, reference %.17g: relative error %.3e > %.1e"
                        + " (worst of %d points)", what, x, got, ref, err, bound, count));
            }
        }
    }

    /**
     * Reference values for the reference: mpmath at 50 digits, rounded once to double, produced by
     * {@code python3 -c 'import mpmath; mpmath.mp.dps = 50; print(repr(float(mpmath.erfc(3.0))))'} (and
     * likewise {@code mpmath.erf(x)}, {@code x*mpmath.ncdf(x)}, {@code mpmath.ncdf(x) + x*mpmath.npdf(x)}).
     * Both are correctly rounded, so they agree to the bit. (Python's {@code math.erfc}, the C library's,
     * is 1 ulp off at 3.0 and at −1.0: not good enough to check this with.)
     */
    @Test
    void referenceAgreesWithMpmath() {
        double[][] erfc = {{1e-10, 0.999999999887162}, {0.5, 0.4795001221869535}, {1.0, 0.15729920705028513},
            {1.5, 0.033894853524689274}, {3.0, 2.209049699858544e-05}, {5.0, 1.537459794428035e-12},
            {10.0, 2.088487583762545e-45}, {26.0, 5.663192408856143e-296}, {-2.0, 1.9953222650189528}};
        for (double[] p : erfc) {
            assertEquals(p[1], ErfReference.erfc(new BigDecimal(p[0])).doubleValue(), 0, "erfc(" + p[0] + ")");
        }
        assertEquals(0.5204998778130465, ErfReference.erf(new BigDecimal(0.5)).doubleValue(), 0, "erf(0.5)");
        assertEquals(-0.9999779095030014, ErfReference.erf(new BigDecimal(-3.0)).doubleValue(), 0, "erf(-3)");
        double[][] gelu = {{-10.0, -7.619853024160526e-23, -7.618400096464814e-22},
            {-3.0, -0.0040496940948902835, -0.011945647204183927}, {-0.5, -0.15426876936299344, 0.13250487534383715},
            {0.5, 0.34573123063700656, 0.8674951246561629}, {3.0, 2.99595030590511, 1.011945647204184}};
        for (double[] p : gelu) {
            assertEquals(p[1], ErfReference.gelu(p[0]).doubleValue(), 0, "x·Φ(x) at " + p[0]);
            assertEquals(p[2], ErfReference.geluDerivative(p[0]).doubleValue(), 0, "Φ(x) + x·φ(x) at " + p[0]);
        }
        assertEquals(Math.PI, ErfReference.pi().doubleValue(), 0, "π");
    }

    /** Small |x| (erf ≈ 2x/√π), 0.5–3, the tails up to where erfc underflows, both signs. */
    static final double[] ERF_POINTS = {0.0, 1e-300, 1e-20, 1e-8, 1e-3, 0.1, 0.25, 0.5, 0.75, 0.9999, 1.0, 1.25,
        1.4999, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 6.5, 10.0, 15.0, 20.0, 26.0, 26.5};

    /** x over [−6.5, 6.5] in steps of 1/61 (not dyadic, so every point has a full mantissa), then the points above. */
    static double[] erfSweep() {
        int grid = 13 * 61 + 1;
        double[] x = new double[grid + 2 * ERF_POINTS.length];
        for (int k = 0; k < grid; k++) {
            x[k] = -6.5 + k / 61.0;
        }
        for (int k = 0; k < ERF_POINTS.length; k++) {
            x[grid + 2 * k] = ERF_POINTS[k];
            x[grid + 2 * k + 1] = -ERF_POINTS[k];
        }
        return x;
    }

    /** The erfc check on its own, so the control below can hand it a wrong erfc. */
    static void checkErfc(DoubleUnaryOperator erfc, double[] xs) {
        Worst w = new Worst("erfc");
        for (double x : xs) {
            double ref = ErfReference.erfc(new BigDecimal(x)).doubleValue();
            w.add(x, ref, erfc.applyAsDouble(x), Math.abs(ref));
        }
        w.assertWithin(REL);
    }

    @Test
    void erfAndErfc() {
        double[] xs = erfSweep();
        Worst w = new Worst("erf");
        for (double x : xs) {
            double ref = ErfReference.erf(new BigDecimal(x)).doubleValue();
            w.add(x, ref, ScalarMath.erf(x), Math.abs(ref));
        }
        w.assertWithin(ERF_REL);
        checkErfc(ScalarMath::erfc, xs);
        // beyond 27.3 erfc is below half the smallest subnormal: both round to 0
        assertEquals(0.0, ErfReference.erfc(new BigDecimal(27.3)).doubleValue(), 0);
        assertEquals(0.0, ScalarMath.erfc(27.5), 0);
    }

    /**
     * The checker fails on the erfc ScalarMath had until this test found it: {@code 1 − erf(x)} up to x = 1.5,
     * whose relative error reaches 1.6e-14 near 1.5 (erf's few ulp of 1 over erfc(1.5) = 0.034).
     */
    @Test
    void erfcCheckRejectsOneMinusErfUpTo1point5() {
        DoubleUnaryOperator cancelling = x -> x >= 0 && x < 1.5 ? 1 - ScalarMath.erf(x) : ScalarMath.erfc(x);
        assertThrows(AssertionFailedError.class, () -> checkErfc(cancelling, erfSweep()));
    }

    /** The points the review named, the old worst point (−2.09), the zero of the derivative, the far tail. */
    static final double[] GELU_POINTS = {-37.5, -30, -20, -15, -10, -5, -3, -2.0923338274140764, -2, -1, -0.7518,
        -0.5, -1e-10, 0.0, 1e-10, 0.5, 1, 3, 5, 9};

    /** [−9, 9] in steps of 1/29, then the named points. */
    static double[] geluSweep() {
        int grid = 18 * 29 + 1;
        double[] x = new double[grid + GELU_POINTS.length];
        for (int k = 0; k < grid; k++) {
            x[k] = -9 + k / 29.0;
        }
        System.arraycopy(GELU_POINTS, 0, x, grid, GELU_POINTS.length);
        return x;
    }

    static void checkGelu(DoubleUnaryOperator gelu, double[] xs) {
        Worst w = new Worst("geluErf x·Φ(x)");
        for (double x : xs) {
            double ref = ErfReference.gelu(x).doubleValue();
            w.add(x, ref, gelu.applyAsDouble(x), Math.abs(ref));
        }
        w.assertWithin(REL);
    }

    @Test
    void geluErfAndItsDerivative() {
        double[] xs = geluSweep();
        checkGelu(ScalarMath::geluErf, xs);
        Worst d = new Worst("geluErfDerivative Φ(x) + x·φ(x), relative to |Φ| + |x·φ|");
        for (double x : xs) {
            d.add(x, ErfReference.geluDerivative(x).doubleValue(), ScalarMath.geluErfDerivative(x),
                    ErfReference.geluDerivativeMagnitude(x));
        }
        d.assertWithin(REL);
        assertEquals(0.0, ScalarMath.geluErf(Double.NEGATIVE_INFINITY), 0);
        assertEquals(Double.POSITIVE_INFINITY, ScalarMath.geluErf(Double.POSITIVE_INFINITY), 0);
        assertEquals(0.0, ScalarMath.geluErfDerivative(Double.NEGATIVE_INFINITY), 0);
        assertEquals(1.0, ScalarMath.geluErfDerivative(Double.POSITIVE_INFINITY), 0);
    }

    /**
     * The checker fails on a geluErf that forms −x/√2 in plain double: the rounding of 1/√2 and of the product
     * is a relative error δ ≈ 1e-16 in t, and erfc(t(1 + δ)) is off by 2t²·δ relative, 1e-13 at x = −37.5.
     */
    @Test
    void geluCheckRejectsAPlainDoubleArgument() {
        DoubleUnaryOperator plain = x -> 0.5 * x * ScalarMath.erfc(-x * ScalarMath.SQRT_HALF);
        assertThrows(AssertionFailedError.class, () -> checkGelu(plain, GELU_POINTS));
    }
}
