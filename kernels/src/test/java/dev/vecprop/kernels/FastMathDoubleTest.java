package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * vecprop's own double exp, expm1 and log1p (and the float log1p of softplus), which replaced the JDK's
 * {@code lanewise(EXP/EXPM1/LOG1P)}: those are SVML in C2-compiled code but {@code Math.exp} lane by lane before,
 * so a kernel's bits depended on whether the JIT had compiled it yet. Two properties: accuracy against
 * {@link Math} over the whole range, and every lane bitwise equal to a scalar evaluation of the same steps
 * written here with {@link Math#fma} (basic IEEE operations round the same in every tier and in any lane, so
 * a kernel that is bitwise such a function cannot change its bits when the JIT compiles it; a transcendental
 * call from the JDK in its place would differ from the scalar steps in the last bit somewhere in the sweep).
 */
class FastMathDoubleTest {

    @BeforeEach
    void vectorOnly() {
        Assumptions.assumeTrue(Vectorization.isVectorized(), "FastMath runs on the vector path only");
    }

    interface DOp {
        DoubleVector apply(DoubleVector x);
    }

    static double[] run(double[] x, DOp op) {
        double[] y = new double[x.length];
        double[] one = new double[Species.DL];
        for (int i = 0; i < x.length; i += Species.DL) {
            int len = Math.min(Species.DL, x.length - i);
            System.arraycopy(x, i, one, 0, len);
            double[] out = new double[Species.DL];
            op.apply(DoubleVector.fromArray(Species.D, one, 0)).intoArray(out, 0);
            System.arraycopy(out, 0, y, i, len);
        }
        return y;
    }

    /** Error in units of the last place of the reference (its ulp; subnormal references included). */
    static double ulps(double got, double want) {
        if (Double.isNaN(want)) {
            return Double.isNaN(got) ? 0 : Double.POSITIVE_INFINITY;
        }
        if (got == want) {
            return 0;
        }
        return Math.abs(got - want) / Math.ulp(want);
    }

    /** Dense points over [lo, hi], the specials, and the ends of the ranges. */
    static double[] points(double lo, double hi, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] x = new double[n + 12];
        for (int i = 0; i < n; i++) {
            x[i] = i % 2 == 0 ? lo + (hi - lo) * i / n : r.nextDouble(lo, hi);
        }
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, -1e-300, lo, hi, Math.nextDown(hi)};
        System.arraycopy(special, 0, x, n, special.length);
        return x;
    }

    /** The scalar steps of {@link FastMath#exp(DoubleVector)}, in the same order. */
    static double expSteps(double x) {
        double xc = x > FastMath.D_EXP_MAX ? FastMath.D_EXP_MAX : x < FastMath.D_EXP_MIN ? FastMath.D_EXP_MIN : x;
        double t = Math.fma(xc, FastMath.D_LOG2E, FastMath.D_ROUND_MAGIC);
        double kf = t - FastMath.D_ROUND_MAGIC;
        long k = Double.doubleToRawLongBits(t) - FastMath.D_ROUND_MAGIC_BITS;
        double r = Math.fma(kf, -FastMath.D_LN2_HI, xc);
        r = Math.fma(kf, -FastMath.D_LN2_LO, r);
        double er = expm1ReducedSteps(r) + 1.0;
        long k1 = k >> 1;
        long k2 = k - k1;
        return er * Double.longBitsToDouble((k1 + 1023) << 52) * Double.longBitsToDouble((k2 + 1023) << 52);
    }

    static double expm1ReducedSteps(double r) {
        double[] c = {FastMath.IF12, FastMath.IF11, FastMath.IF10, FastMath.IF9, FastMath.IF8, FastMath.IF7,
            FastMath.IF6, FastMath.IF5, FastMath.IF4, FastMath.IF3, FastMath.IF2};
        double q = Math.fma(r, FastMath.IF13, c[0]);
        for (int i = 1; i < c.length; i++) {
            q = Math.fma(q, r, c[i]);
        }
        return Math.fma(r * q, r, r);
    }

    /** The scalar steps of {@link FastMath#expm1}. */
    static double expm1Steps(double y) {
        return Math.abs(y) <= FastMath.D_HALF_LN2 ? expm1ReducedSteps(y) : expSteps(y) - 1.0;
    }

    /** The scalar steps of {@link FastMath#log1pUnit(DoubleVector)}: 2s + 2s·w·q, q = Σ w^(j−1)/(2j + 1). */
    static double log1pSteps(double z) {
        double s = z / (z + 2.0);
        double w = s * s;
        double q = Math.fma(w, 1.0 / 33, 1.0 / 31);
        for (int d = 29; d >= 3; d -= 2) {
            q = Math.fma(q, w, 1.0 / d);
        }
        return (s + s) * (w * q) + (s + s);
    }

    /** The float steps of {@link FastMath#log1pUnit(FloatVector)}. */
    static float log1pSteps(float z) {
        float s = z / (z + 2f);
        float w = s * s;
        float q = Math.fma(w, 1f / 15, 1f / 13);
        for (int d = 11; d >= 3; d -= 2) {
            q = Math.fma(q, w, 1f / d);
        }
        return (s + s) * (w * q) + (s + s);
    }

    /**
     * expm1 and log1p, like exp, are bitwise their scalar steps in every lane: a JDK EXPM1 or LOG1P put back in
     * their place would differ somewhere here (checked: each planted back fails this).
     */
    @Test
    void expm1AndLog1pAreBitwiseTheirOwnSteps() {
        double[] y = points(-40, 40, 200_000, 6);
        double[] e = run(y, FastMath::expm1);
        for (int i = 0; i < y.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expm1Steps(y[i])), Double.doubleToRawLongBits(e[i]),
                    "expm1(" + y[i] + ") lane differs from its scalar steps");
        }
        double[] z = points(0, 1, 200_000, 7);
        double[] l = run(z, FastMath::log1pUnit);
        for (int i = 0; i < z.length; i++) {
            if (z[i] >= 0 && z[i] <= 1) {
                assertEquals(Double.doubleToRawLongBits(log1pSteps(z[i])), Double.doubleToRawLongBits(l[i]),
                        "log1p(" + z[i] + ") lane differs from its scalar steps");
            }
        }
        float[] zf = new float[Species.FL];
        float[] out = new float[Species.FL];
        for (int i = 0; i <= 100_000; i++) {
            zf[0] = (float) i / 100_000;
            FastMath.log1pUnit(FloatVector.fromArray(Species.F, zf, 0)).intoArray(out, 0);
            assertEquals(Float.floatToRawIntBits(log1pSteps(zf[0])), Float.floatToRawIntBits(out[0]),
                    "float log1p(" + zf[0] + ") lane differs from its scalar steps");
        }
    }

    @Test
    void expIsAccurateAndBitwiseItsOwnSteps() {
        double[] x = points(-750, 712, 400_000, 1);
        double[] y = run(x, FastMath::exp);
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expSteps(x[i])), Double.doubleToRawLongBits(y[i]),
                    "exp(" + x[i] + ") lane differs from its scalar steps");
            worst = Math.max(worst, ulps(y[i], Math.exp(x[i])));
        }
        System.out.println("FastMath.exp double: max error " + worst + " ulp against Math.exp over " + x.length
                + " points");
        // two roundings past exp's own ≤ 1 ulp: the reduced argument's, and a subnormal result's last scale
        assertTrue(worst <= 2, "double exp: " + worst + " ulp");
    }

    @Test
    void expm1IsAccurateNearZeroAndFarOut() {
        double[] x = points(-40, 40, 200_000, 2);
        double[] tiny = points(-1e-6, 1e-6, 20_000, 3);
        double worst = 0;
        for (double[] xs : new double[][] {x, tiny}) {
            double[] y = run(xs, FastMath::expm1);
            for (int i = 0; i < xs.length; i++) {
                worst = Math.max(worst, ulps(y[i], Math.expm1(xs[i])));
            }
        }
        System.out.println("FastMath.expm1 double: max error " + worst + " ulp against Math.expm1");
        // beyond |y| = ln2/2, e^y − 1 carries exp's 1 ulp of e^y, which is up to 4 ulps of the result just above
        // ln2/2 (e^y ≈ 1.41 has 4 times the ulp of e^y − 1 ≈ 0.41), plus the subtraction's half ulp
        assertTrue(worst <= 4.5, "double expm1: " + worst + " ulp");
    }

    @Test
    void log1pOnTheUnitIntervalIsAccurate() {
        double[] z = points(0, 1, 200_000, 4);
        double[] y = run(z, FastMath::log1pUnit);
        double worst = 0;
        for (int i = 0; i < z.length; i++) {
            if (z[i] >= 0 && z[i] <= 1 || Double.isNaN(z[i])) {
                worst = Math.max(worst, ulps(y[i], Math.log1p(z[i])));
            }
        }
        System.out.println("FastMath.log1pUnit double: max error " + worst + " ulp against Math.log1p");
        assertTrue(worst <= 3, "double log1p: " + worst + " ulp");

        float[] zf = new float[100_003];
        for (int i = 0; i < zf.length - 3; i++) {
            zf[i] = (float) i / (zf.length - 4);
        }
        zf[zf.length - 3] = Float.MIN_VALUE;
        zf[zf.length - 2] = Float.NaN;
        zf[zf.length - 1] = 1e-30f;
        float[] one = new float[Species.FL];
        float[] out = new float[Species.FL];
        double worstF = 0;
        for (float v : zf) {
            one[0] = v;
            FastMath.log1pUnit(FloatVector.fromArray(Species.F, one, 0)).intoArray(out, 0);
            float want = (float) Math.log1p(v);
            double e = Float.isNaN(want) ? (Float.isNaN(out[0]) ? 0 : Double.POSITIVE_INFINITY)
                    : out[0] == want ? 0 : Math.abs((double) out[0] - Math.log1p(v)) / Math.ulp(want);
            worstF = Math.max(worstF, e);
        }
        System.out.println("FastMath.log1pUnit float: max error " + worstF + " ulp");
        assertTrue(worstF <= 3, "float log1p: " + worstF + " ulp");
    }

    /** The double activations that use exp/expm1/log1p stay within the kernels' 1e-14 against Math. */
    @Test
    void tanhAndSoftplusKeepTheirSignsAndAccuracy() {
        double[] x = points(-30, 30, 100_000, 5);
        double[] t = run(x, FastMath::tanh);
        double[] sp = run(x, FastMath::softplus);
        for (int i = 0; i < x.length; i++) {
            double tw = Math.tanh(x[i]);
            double sw = Math.max(x[i], 0) + Math.log1p(Math.exp(-Math.abs(x[i])));
            if (Double.isNaN(x[i])) {
                assertTrue(Double.isNaN(t[i]) && Double.isNaN(sp[i]), "NaN in, NaN out");
                continue;
            }
            if (Double.isInfinite(x[i])) {
                assertEquals(tw, t[i], "tanh(" + x[i] + ")");
                assertEquals(sw, sp[i], "softplus(" + x[i] + ")");
                continue;
            }
            assertTrue(Math.abs(t[i] - tw) <= 1e-14 * Math.abs(tw) + Double.MIN_VALUE, "tanh(" + x[i] + ") " + t[i]);
            assertTrue(Math.abs(sp[i] - sw) <= 1e-14 * Math.abs(sw) + Double.MIN_VALUE, "softplus(" + x[i] + ")");
        }
        double[] zeros = run(new double[] {0.0, -0.0}, FastMath::tanh);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(zeros[0]), "tanh(+0) = +0");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(zeros[1]), "tanh(-0) = -0");
    }
}
