package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Activations and their backward kernels against the float64 formulas of {@link ScalarMath}, at every length
 * around the lane count, with offsets, in place and not; special values; refused bad input.
 *
 * <p>Where a kernel is itself ScalarMath (the double GELU_ERF kernel on every path, and every kernel in the
 * scalar-fallback execution) these checks compare ScalarMath with itself and only test the loops, offsets and
 * special-value handling; ScalarMath's formulas are checked against an independent reference in
 * {@link ScalarMathErfTest} (erf, erfc, GELU_ERF) and in property-tests' ElementwiseKernelsTest.
 */
class ActivationsTest {

    interface FFwd {
        void run(float[] s, int so, float[] d, int dof, int n);
    }

    interface DFwd {
        void run(double[] s, int so, double[] d, int dof, int n);
    }

    interface FBwd {
        void run(float[] c, int co, float[] dy, int dyo, float[] dx, int dxo, int n);
    }

    interface DBwd {
        void run(double[] c, int co, double[] dy, int dyo, double[] dx, int dxo, int n);
    }

    static final double LEAKY = 0.25; // exact in float and double

    /** One activation: its named float/double kernels and the reference's enum and slope. */
    record Op(String name, Activation act, double alpha, FFwd ff, DFwd df, FBwd fb, DBwd db) {
        double f(double x) {
            return ScalarMath.apply(act, x, alpha);
        }

        double fp(double cached) {
            return ScalarMath.derivative(act, cached, alpha);
        }

        /**
         * The magnitude the derivative is assembled from: the sum of the absolute values of the terms of
         * f′ (f′ itself where it is a single product). Near a zero of f′ (gelu at x ≈ −0.75, silu at
         * x ≈ −1.28) f′ is a difference of such terms, and no evaluation in working precision does better
         * than a few ulp of this magnitude.
         */
        double fpScale(double c) {
            return switch (act) {
                case GELU -> {
                    double s = ScalarMath.sigmoidOfGeluArgument(c);
                    yield s + Math.abs(c) * s * (1 - s) * (ScalarMath.K1_HI + 3 * ScalarMath.K3_HI * c * c);
                }
                case GELU_ERF -> 0.5 * ScalarMath.erfc(-c * ScalarMath.SQRT_HALF)
                        + Math.abs(c) * ScalarMath.INV_SQRT_2PI * Math.exp(-0.5 * c * c);
                case SILU -> ScalarMath.sigmoid(c) * (1 + Math.abs(c) * ScalarMath.sigmoid(-c));
                default -> Math.abs(fp(c));
            };
        }

        /** A random cached tensor value: an output in (0,1) / (−1,1) for sigmoid/tanh, else an input. */
        double cached(SplittableRandom r) {
            return switch (act) {
                case SIGMOID -> r.nextDouble(0, 1);
                case TANH -> r.nextDouble(-1, 1);
                default -> r.nextDouble(-10, 10);
            };
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Op> OPS = List.of(
            new Op("relu", Activation.RELU, 0, Activations::relu, Activations::relu, Activations::reluBackward,
                    Activations::reluBackward),
            new Op("leakyRelu", Activation.LEAKY_RELU, LEAKY,
                    (s, so, d, dof, n) -> Activations.leakyRelu(s, so, d, dof, n, (float) LEAKY),
                    (s, so, d, dof, n) -> Activations.leakyRelu(s, so, d, dof, n, LEAKY),
                    (c, co, dy, dyo, dx, dxo, n) -> Activations.leakyReluBackward(c, co, dy, dyo, dx, dxo, n, (float) LEAKY),
                    (c, co, dy, dyo, dx, dxo, n) -> Activations.leakyReluBackward(c, co, dy, dyo, dx, dxo, n, LEAKY)),
            new Op("sigmoid", Activation.SIGMOID, 0, Activations::sigmoid, Activations::sigmoid,
                    Activations::sigmoidBackward, Activations::sigmoidBackward),
            new Op("tanh", Activation.TANH, 0, Activations::tanh, Activations::tanh, Activations::tanhBackward,
                    Activations::tanhBackward),
            new Op("gelu", Activation.GELU, 0, Activations::gelu, Activations::gelu, Activations::geluBackward,
                    Activations::geluBackward),
            new Op("geluErf", Activation.GELU_ERF, 0, Activations::geluErf, Activations::geluErf,
                    Activations::geluErfBackward, Activations::geluErfBackward),
            new Op("silu", Activation.SILU, 0, Activations::silu, Activations::silu, Activations::siluBackward,
                    Activations::siluBackward),
            new Op("softplus", Activation.SOFTPLUS, 0, Activations::softplus, Activations::softplus,
                    Activations::softplusBackward, Activations::softplusBackward));

    /** Forward accuracy bound in float ulps per op (4 unless a vector approximation states otherwise). */
    static double forwardUlps(Op op) {
        return 4;
    }

    /** Backward bound in float ulps of |dx₀| + |dy·f′| per op. */
    static double backwardUlps(Op op) {
        return 4;
    }

    // ---- forward ----

    /** Fills the elements around the regions, so a stray write of 0 (or of anything but this) shows. */
    static final float CANARY = -7.25f;

    static void checkForwardFloat(Op op, FFwd kernel, float[] x, int len, int srcOff, int dstOff, boolean inPlace) {
        float[] src = new float[srcOff + len + 3];
        java.util.Arrays.fill(src, CANARY);
        System.arraycopy(x, 0, src, srcOff, len);
        float[] dst = inPlace ? src : new float[dstOff + len + 3];
        if (!inPlace) {
            java.util.Arrays.fill(dst, CANARY);
        }
        int dOff = inPlace ? srcOff : dstOff;
        float[] before = dst.clone();
        double[] ref = new double[len];
        for (int i = 0; i < len; i++) {
            ref[i] = op.f(x[i]);
        }
        kernel.run(src, srcOff, dst, dOff, len);
        String what = op + " float n=" + len + " srcOff=" + srcOff + " dstOff=" + dOff + (inPlace ? " in place" : "");
        Tol.assertFloats(what, ref, null, dst, dOff, forwardUlps(op));
        for (int i = 0; i < dOff; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(dst[i]), what + ": wrote before the region");
        }
        for (int i = dOff + len; i < dst.length; i++) {
            assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(dst[i]), what + ": wrote past the region");
        }
    }

    static void checkForwardDouble(Op op, DFwd kernel, double[] x, int len, int srcOff, int dstOff, boolean inPlace) {
        double[] src = new double[srcOff + len + 3];
        java.util.Arrays.fill(src, CANARY);
        System.arraycopy(x, 0, src, srcOff, len);
        double[] dst = inPlace ? src : new double[dstOff + len + 3];
        if (!inPlace) {
            java.util.Arrays.fill(dst, CANARY);
        }
        int dOff = inPlace ? srcOff : dstOff;
        double[] before = dst.clone();
        double[] ref = new double[len];
        for (int i = 0; i < len; i++) {
            ref[i] = op.f(x[i]);
        }
        kernel.run(src, srcOff, dst, dOff, len);
        String what = op + " double n=" + len + " srcOff=" + srcOff + " dstOff=" + dOff + (inPlace ? " in place" : "");
        Tol.assertDoubles(what, ref, null, dst, dOff, Tol.DOUBLE_REL);
        for (int i = 0; i < dOff; i++) {
            assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(dst[i]), what + ": wrote before the region");
        }
        for (int i = dOff + len; i < dst.length; i++) {
            assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(dst[i]), what + ": wrote past the region");
        }
    }

    @TestFactory
    List<DynamicTest> forwardFloat() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : OPS) {
            tests.add(DynamicTest.dynamicTest(op.name, () -> {
                SplittableRandom r = new SplittableRandom(Tol.SEED + op.name.hashCode());
                for (int len : Tol.floatLengths()) {
                    float[] x = Tol.randomFloats(r, len, -12, 12);
                    checkForwardFloat(op, op.ff, x, len, 0, 0, false);
                    checkForwardFloat(op, op.ff, x, len, 3, 5, false);
                    checkForwardFloat(op, op.ff, x, len, 1, 0, true);
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> forwardDouble() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : OPS) {
            tests.add(DynamicTest.dynamicTest(op.name, () -> {
                SplittableRandom r = new SplittableRandom(Tol.SEED + op.name.hashCode());
                for (int len : Tol.doubleLengths()) {
                    double[] x = Tol.randomDoubles(r, len, -12, 12);
                    checkForwardDouble(op, op.df, x, len, 0, 0, false);
                    checkForwardDouble(op, op.df, x, len, 3, 5, false);
                    checkForwardDouble(op, op.df, x, len, 1, 0, true);
                }
            }));
        }
        return tests;
    }

    // ---- backward ----

    /** Elements of dx after its region, which (like the off + 2 before it) the backward kernels must not touch. */
    static final int DX_PAST = 3;

    static void checkBackwardFloat(Op op, FBwd kernel, SplittableRandom r, int len, int off) {
        float[] c = new float[off + len];
        float[] dy = new float[off + 1 + len];
        float[] dx = new float[off + 2 + len + DX_PAST];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = (float) r.nextDouble(-2, 2); // inside the region: dx₀; outside: canaries
        }
        float[] before = dx.clone();
        double[] ref = new double[len];
        double[] scale = new double[len];
        for (int i = 0; i < len; i++) {
            c[off + i] = (float) op.cached(r);
            dy[off + 1 + i] = (float) r.nextDouble(-2, 2);
            double t = dy[off + 1 + i] * op.fp(c[off + i]);
            ref[i] = dx[off + 2 + i] + t;
            scale[i] = Math.abs(dx[off + 2 + i]) + Math.abs(dy[off + 1 + i]) * op.fpScale(c[off + i]);
        }
        kernel.run(c, off, dy, off + 1, dx, off + 2, len);
        String what = op + "Backward float n=" + len + " off=" + off;
        Tol.assertFloats(what, ref, scale, dx, off + 2, backwardUlps(op));
        for (int i = 0; i < dx.length; i++) {
            if (i < off + 2 || i >= off + 2 + len) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(dx[i]),
                        what + ": wrote dx[" + i + "], outside [" + (off + 2) + ", " + (off + 2 + len) + ")");
            }
        }
    }

    static void checkBackwardDouble(Op op, DBwd kernel, SplittableRandom r, int len, int off) {
        double[] c = new double[off + len];
        double[] dy = new double[off + 1 + len];
        double[] dx = new double[off + 2 + len + DX_PAST];
        for (int i = 0; i < dx.length; i++) {
            dx[i] = r.nextDouble(-2, 2); // inside the region: dx₀; outside: canaries
        }
        double[] before = dx.clone();
        double[] ref = new double[len];
        double[] scale = new double[len];
        for (int i = 0; i < len; i++) {
            c[off + i] = op.cached(r);
            dy[off + 1 + i] = r.nextDouble(-2, 2);
            double t = dy[off + 1 + i] * op.fp(c[off + i]);
            ref[i] = dx[off + 2 + i] + t;
            scale[i] = Math.abs(dx[off + 2 + i]) + Math.abs(dy[off + 1 + i]) * op.fpScale(c[off + i]);
        }
        kernel.run(c, off, dy, off + 1, dx, off + 2, len);
        String what = op + "Backward double n=" + len + " off=" + off;
        Tol.assertDoubles(what, ref, scale, dx, off + 2, Tol.DOUBLE_REL);
        for (int i = 0; i < dx.length; i++) {
            if (i < off + 2 || i >= off + 2 + len) {
                assertEquals(Double.doubleToRawLongBits(before[i]), Double.doubleToRawLongBits(dx[i]),
                        what + ": wrote dx[" + i + "], outside [" + (off + 2) + ", " + (off + 2 + len) + ")");
            }
        }
    }

    @TestFactory
    List<DynamicTest> backward() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Op op : OPS) {
            tests.add(DynamicTest.dynamicTest(op.name, () -> {
                SplittableRandom r = new SplittableRandom(Tol.SEED + 7 * op.name.hashCode());
                for (int len : Tol.floatLengths()) {
                    checkBackwardFloat(op, op.fb, r, len, 0);
                    checkBackwardFloat(op, op.fb, r, len, 3);
                }
                for (int len : Tol.doubleLengths()) {
                    checkBackwardDouble(op, op.db, r, len, 0);
                    checkBackwardDouble(op, op.db, r, len, 3);
                }
            }));
        }
        return tests;
    }

    /** The checkers can fail: a planted wrong derivative (σ′ = y(1 + y)) and a wrong forward are caught. */
    @Test
    void plantedBugsAreCaught() {
        Op sigmoid = OPS.get(2);
        FBwd wrongBackward = (c, co, dy, dyo, dx, dxo, n) -> {
            for (int i = 0; i < n; i++) {
                dx[dxo + i] += dy[dyo + i] * c[co + i] * (1 + c[co + i]);
            }
        };
        assertThrows(AssertionFailedError.class,
                () -> checkBackwardFloat(sigmoid, wrongBackward, new SplittableRandom(1), 17, 1));
        DBwd forgetsToAccumulate = (c, co, dy, dyo, dx, dxo, n) -> {
            for (int i = 0; i < n; i++) {
                dx[dxo + i] = dy[dyo + i] * c[co + i] * (1 - c[co + i]);
            }
        };
        assertThrows(AssertionFailedError.class,
                () -> checkBackwardDouble(sigmoid, forgetsToAccumulate, new SplittableRandom(1), 17, 1));
        // a gelu evaluated as 0.5·x·(1 + tanh u) in float loses the negative tail: 4 ulp catches it
        Op gelu = OPS.get(4);
        FFwd cancelling = (s, so, d, dof, n) -> {
            for (int i = 0; i < n; i++) {
                float x = s[so + i];
                float u = (float) (ScalarMath.SQRT_2_OVER_PI * (x + 0.044715f * x * x * x));
                d[dof + i] = 0.5f * x * (1 + (float) Math.tanh(u));
            }
        };
        float[] tail = {-5f, -6f, -7f, -4.5f};
        assertThrows(AssertionFailedError.class, () -> checkForwardFloat(gelu, cancelling, tail, 4, 0, 0, false));
        // the 4-ulp bound sits where it says: one element set 5 ulp above the reference's float rounding
        // (4.5 to 5.5 ulp from the reference) is caught; one set 3 ulp below it (2.5 to 3.5) passes
        float[] x = Tol.randomFloats(new SplittableRandom(3), 9, -3, 3);
        assertThrows(AssertionFailedError.class,
                () -> checkForwardFloat(sigmoid, offByUlps(x[4], 4, 5), x, 9, 0, 0, false));
        checkForwardFloat(sigmoid, offByUlps(x[4], 4, -3), x, 9, 0, 0, false);
    }

    /**
     * The float sigmoid kernel, with element {@code at} replaced by the float nearest σ(xAt) moved {@code ulps}
     * ulps (up if positive, down if negative: a step across a power of 2 only makes the error larger going up
     * and smaller going down, so the caught case stays caught and the passing one passes).
     */
    static FFwd offByUlps(float xAt, int at, int ulps) {
        return (s, so, d, dof, n) -> {
            Activations.sigmoid(s, so, d, dof, n);
            float v = (float) ScalarMath.sigmoid(xAt);
            for (int i = 0; i < Math.abs(ulps); i++) {
                v = ulps > 0 ? Math.nextUp(v) : Math.nextDown(v);
            }
            d[dof + at] = v;
        };
    }

    /**
     * The region checks can fail: a double forward that also writes the element before dst's region, and
     * backward kernels that write one dx element past or before theirs, are caught.
     */
    @Test
    void writesOutsideTheRegionAreCaught() {
        Op sigmoid = OPS.get(2);
        DFwd writesBefore = (s, so, d, dof, n) -> {
            Activations.sigmoid(s, so, d, dof, n);
            d[dof - 1] = 0.5;
        };
        double[] x = Tol.randomDoubles(new SplittableRandom(4), 9, -3, 3);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> checkForwardDouble(sigmoid, writesBefore, x, 9, 3, 5, false));
        assertTrue(e.getMessage().contains("wrote before the region"), e.getMessage());
        FBwd writesPast = (c, co, dy, dyo, dx, dxo, n) -> {
            Activations.sigmoidBackward(c, co, dy, dyo, dx, dxo, n);
            dx[dxo + n] += 1;
        };
        e = assertThrows(AssertionFailedError.class, () -> checkBackwardFloat(sigmoid, writesPast, new SplittableRandom(1), 17, 1));
        assertTrue(e.getMessage().contains("wrote dx[20]"), e.getMessage()); // region [3, 20)
        DBwd writesBeforeDx = (c, co, dy, dyo, dx, dxo, n) -> {
            Activations.sigmoidBackward(c, co, dy, dyo, dx, dxo, n);
            dx[dxo - 1] = 0;
        };
        e = assertThrows(AssertionFailedError.class,
                () -> checkBackwardDouble(sigmoid, writesBeforeDx, new SplittableRandom(1), 17, 1));
        assertTrue(e.getMessage().contains("wrote dx[2]"), e.getMessage());
    }

    static double fpScale(Activation act, double c) {
        return new Op(act.name(), act, Activation.LEAKY_RELU_ALPHA, null, null, null, null).fpScale(c);
    }

    // ---- enum dispatch and fused bias ----

    @Test
    void enumDispatchEqualsNamedKernels() {
        SplittableRandom r = new SplittableRandom(Tol.SEED);
        int n = 2 * Vectorization.floatLanes() + 5;
        for (Op op : OPS) {
            if (op.act == Activation.LEAKY_RELU) {
                continue; // the enum uses the default slope; the table uses another
            }
            float[] x = Tol.randomFloats(r, n, -6, 6);
            float[] a = new float[n];
            float[] b = new float[n];
            op.ff.run(x, 0, a, 0, n);
            Activations.apply(op.act, x, 0, b, 0, n);
            assertTrue(java.util.Arrays.equals(a, b), op.name);
            float[] dy = Tol.randomFloats(r, n, -1, 1);
            float[] c = op.act.backwardUsesOutput() ? a : x;
            float[] da = new float[n];
            float[] db = new float[n];
            op.fb.run(c, 0, dy, 0, da, 0, n);
            Activations.backward(op.act, c, 0, dy, 0, db, 0, n);
            assertTrue(java.util.Arrays.equals(da, db), op.name + " backward");
        }
    }

    /**
     * The slope overloads of biasActivation/biasActivationBackward: leaky relu with α = 0.2 equals the separate
     * bias add + {@code leakyRelu(…, 0.2)} and {@code leakyReluBackward(…, 0.2)} bit for bit, and differs from
     * the default slope (so a kernel that ignored α fails here).
     */
    @Test
    void biasActivationTakesTheLeakySlope() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 13);
        int m = 5, n = 2 * Vectorization.floatLanes() + 3;
        float alpha = 0.2f;
        float[] x = Tol.randomFloats(r, m * n, -3, 3);
        float[] bias = Tol.randomFloats(r, n, -1, 1);
        float[] dy = Tol.randomFloats(r, m * n, -1, 1);
        float[] y = new float[m * n], pre = new float[m * n], yDefault = new float[m * n];
        Activations.biasActivation(Activation.LEAKY_RELU, m, n, x, 0, n, bias, 0, pre, 0, n, y, 0, n, alpha);
        Activations.biasActivation(Activation.LEAKY_RELU, m, n, x, 0, n, bias, 0, yDefault, 0, n);
        float[] z = new float[m * n], want = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                z[i * n + j] = x[i * n + j] + bias[j];
            }
        }
        Activations.leakyRelu(z, 0, want, 0, m * n, alpha);
        assertTrue(java.util.Arrays.equals(want, y), "biasActivation with alpha = 0.2");
        assertTrue(java.util.Arrays.equals(z, pre), "pre");
        assertTrue(!java.util.Arrays.equals(y, yDefault), "alpha = 0.2 must differ from the default slope");
        float[] y2 = new float[m * n];
        Activations.biasActivation(Activation.LEAKY_RELU, m, n, x, 0, n, bias, 0, y2, 0, n, alpha);
        assertTrue(java.util.Arrays.equals(want, y2), "biasActivation (no pre) with alpha = 0.2");
        float[] dz = new float[m * n], db = new float[n], dzWant = new float[m * n], dbWant = new float[n];
        Activations.biasActivationBackward(Activation.LEAKY_RELU, m, n, pre, 0, n, dy, 0, n, dz, 0, n, db, 0, alpha);
        Activations.leakyReluBackward(pre, 0, dy, 0, dzWant, 0, m * n, alpha);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                dbWant[j] += dzWant[i * n + j];
            }
        }
        assertTrue(java.util.Arrays.equals(dzWant, dz), "biasActivationBackward dz with alpha = 0.2");
        assertTrue(java.util.Arrays.equals(dbWant, db), "biasActivationBackward dbias with alpha = 0.2");
        double[] xd = new double[m * n], bd = new double[n], yd = new double[m * n], zd = new double[m * n];
        double[] wd = new double[m * n];
        for (int k = 0; k < m * n; k++) {
            xd[k] = x[k];
            zd[k] = xd[k] + bias[k % n];
        }
        for (int j = 0; j < n; j++) {
            bd[j] = bias[j];
        }
        Activations.biasActivation(Activation.LEAKY_RELU, m, n, xd, 0, n, bd, 0, yd, 0, n, 0.2);
        Activations.leakyRelu(zd, 0, wd, 0, m * n, 0.2);
        assertTrue(java.util.Arrays.equals(wd, yd), "double biasActivation with alpha = 0.2");
    }

    /** The fused bias + relu pass keeps NaN and the sign of zero exactly as the bias pass + relu do. */
    @Test
    void fusedBiasReluKeepsNaNAndSignedZero() {
        int n = 2 * Vectorization.floatLanes() + 3; // vector body and masked tail
        float[] x = new float[n];
        float[] bias = new float[n];
        float[] specials = {Float.NaN, -0f, 0f, -0f, 0f, -3f, 3f, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY};
        float[] biases = {0f, -0f, -0f, 0f, 0f, 1f, -1f, 1f, -1f};
        for (int i = 0; i < n; i++) {
            x[i] = specials[i % specials.length];
            bias[i] = biases[(i / specials.length + i) % biases.length];
        }
        float[] want = new float[n];
        float[] pre = new float[n];
        Activations.biasActivation(Activation.RELU, 1, n, x, 0, n, bias, 0, pre, 0, n, want, 0, n);
        float[] got = new float[n];
        java.util.Arrays.fill(got, 42f);
        Activations.biasActivation(Activation.RELU, 1, n, x, 0, n, bias, 0, got, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    "relu(" + x[i] + " + " + bias[i] + ") = " + want[i] + ", fused gave " + got[i]);
        }
        double[] xd = new double[n];
        double[] bd = new double[n];
        for (int i = 0; i < n; i++) {
            xd[i] = x[i];
            bd[i] = bias[i];
        }
        double[] wantD = new double[n];
        Activations.biasActivation(Activation.RELU, 1, n, xd, 0, n, bd, 0, new double[n], 0, n, wantD, 0, n);
        double[] gotD = new double[n];
        java.util.Arrays.fill(gotD, 42);
        Activations.biasActivation(Activation.RELU, 1, n, xd, 0, n, bd, 0, gotD, 0, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(wantD[i]), Double.doubleToRawLongBits(gotD[i]),
                    "double relu(" + xd[i] + " + " + bd[i] + ")");
        }
    }

    @Test
    void biasActivationFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 11);
        int v = Vectorization.floatLanes();
        int[][] shapes = {{0, 3}, {3, 0}, {1, 1}, {3, v - 1 > 0 ? v - 1 : 1}, {4, v + 1}, {5, 2 * v + 3}, {7, 100}};
        for (Activation act : Activation.values()) {
            for (int[] sh : shapes) {
                int m = sh[0], n = sh[1], ldx = n + 2, ldy = n + 1, ldp = n + 3;
                float[] x = Tol.randomFloats(r, 1 + m * ldx, -5, 5);
                float[] bias = Tol.randomFloats(r, n + 2, -1, 1);
                float[] y = new float[2 + m * ldy];
                java.util.Arrays.fill(y, 42f); // a lane left unwritten shows
                float[] pre = new float[m * ldp];
                Activations.biasActivation(act, m, n, x, 1, ldx, bias, 2, pre, 0, ldp, y, 2, ldy);
                // without the pre-activation (relu takes a fused pass there): bitwise the same output
                float[] yNoPre = new float[y.length];
                java.util.Arrays.fill(yNoPre, 42f);
                Activations.biasActivation(act, m, n, x, 1, ldx, bias, 2, yNoPre, 2, ldy);
                assertTrue(java.util.Arrays.equals(y, yNoPre), "biasActivation " + act + " " + m + "x" + n + " without pre");
                double[] refY = new double[m * n];
                float[] gotY = new float[m * n];
                float[] gotPre = new float[m * n];
                double[] refPre = new double[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        float z = x[1 + i * ldx + j] + bias[2 + j];
                        refPre[i * n + j] = z;
                        refY[i * n + j] = ScalarMath.apply(act, z);
                        gotY[i * n + j] = y[2 + i * ldy + j];
                        gotPre[i * n + j] = pre[i * ldp + j];
                    }
                }
                String what = "biasActivation " + act + " " + m + "x" + n;
                Tol.assertFloats(what + " pre", refPre, null, gotPre, 0, 0);
                Tol.assertFloats(what, refY, null, gotY, 0, 4);
                // in place, no bias
                float[] x2 = x.clone();
                Activations.biasActivation(act, m, n, x2, 1, ldx, null, 0, x2, 1, ldx);
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        refY[i * n + j] = ScalarMath.apply(act, x[1 + i * ldx + j]);
                        gotY[i * n + j] = x2[1 + i * ldx + j];
                    }
                }
                Tol.assertFloats(what + " in place, no bias", refY, null, gotY, 0, 4);
                // backward: dz += dy·f′, dbias += column sums of dy·f′
                float[] cached = act.backwardUsesOutput() ? y : pre;
                int cOff = act.backwardUsesOutput() ? 2 : 0;
                int ldc = act.backwardUsesOutput() ? ldy : ldp;
                float[] dy = Tol.randomFloats(r, m * n, -1, 1);
                float[] dz = Tol.randomFloats(r, m * n, -1, 1);
                float[] dbias = Tol.randomFloats(r, n, -1, 1);
                double[] refDz = new double[m * n];
                double[] scaleDz = new double[m * n];
                double[] refDb = new double[n];
                double[] scaleDb = new double[n];
                for (int j = 0; j < n; j++) {
                    refDb[j] = dbias[j];
                    scaleDb[j] = Math.abs(dbias[j]);
                }
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double c = cached[cOff + i * ldc + j];
                        double t = dy[i * n + j] * ScalarMath.derivative(act, c);
                        double ts = Math.abs(dy[i * n + j]) * fpScale(act, c);
                        refDz[i * n + j] = dz[i * n + j] + t;
                        scaleDz[i * n + j] = Math.abs(dz[i * n + j]) + ts;
                        refDb[j] += t;
                        scaleDb[j] += ts;
                    }
                }
                int ldn = Math.max(1, n);
                Activations.biasActivationBackward(act, m, n, cached, cOff, ldc, dy, 0, ldn, dz, 0, ldn, dbias, 0);
                Tol.assertFloats(what + " backward dz", refDz, scaleDz, dz, 0, 4);
                Tol.assertFloats(what + " backward dbias", refDb, scaleDb, dbias, 0, 4 + m);
            }
        }
    }

    @Test
    void biasActivationDouble() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 12);
        int m = 5, n = 2 * Vectorization.doubleLanes() + 3;
        for (Activation act : Activation.values()) {
            double[] x = Tol.randomDoubles(r, m * n, -5, 5);
            double[] bias = Tol.randomDoubles(r, n, -1, 1);
            double[] y = new double[m * n];
            double[] pre = new double[m * n];
            Activations.biasActivation(act, m, n, x, 0, n, bias, 0, pre, 0, n, y, 0, n);
            double[] yNoPre = new double[y.length];
            java.util.Arrays.fill(yNoPre, 42);
            Activations.biasActivation(act, m, n, x, 0, n, bias, 0, yNoPre, 0, n);
            assertTrue(java.util.Arrays.equals(y, yNoPre), "double biasActivation " + act + " without pre");
            double[] refY = new double[m * n];
            for (int i = 0; i < m * n; i++) {
                refY[i] = ScalarMath.apply(act, x[i] + bias[i % n]);
            }
            Tol.assertDoubles("biasActivation double " + act, refY, null, y, 0, Tol.DOUBLE_REL);
            double[] cached = act.backwardUsesOutput() ? y : pre;
            double[] dy = Tol.randomDoubles(r, m * n, -1, 1);
            double[] dz = new double[m * n];
            double[] db = new double[n];
            double[] refDz = new double[m * n];
            double[] refDb = new double[n];
            double[] scaleDb = new double[n];
            double[] scaleDz = new double[m * n];
            for (int i = 0; i < m * n; i++) {
                refDz[i] = dy[i] * ScalarMath.derivative(act, cached[i]);
                scaleDz[i] = Math.abs(dy[i]) * fpScale(act, cached[i]);
                refDb[i % n] += refDz[i];
                scaleDb[i % n] += scaleDz[i];
            }
            Activations.biasActivationBackward(act, m, n, cached, 0, n, dy, 0, n, dz, 0, n, db, 0);
            Tol.assertDoubles("biasActivationBackward double dz " + act, refDz, scaleDz, dz, 0, Tol.DOUBLE_REL);
            Tol.assertDoubles("biasActivationBackward double db " + act, refDb, scaleDb, db, 0, Tol.DOUBLE_REL);
        }
    }

    // ---- special values ----

    static final double[] SPECIALS = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Float.MIN_VALUE,
        -Float.MIN_VALUE, Float.MIN_NORMAL, -Float.MIN_NORMAL, 1e-30, -1e-30, 1e-8, -1e-8, 1e-4, -1e-4, 0.5, -0.5, 1,
        -1, 3, -3, 5, -5, 9, -9, 10, -10, 15, -15, 20, -20, 30, -30, -45, 50, -50, -60, 88.7, -88.7, 89, -89, 100, -100, 104,
        -104, 700, -700, 710, -710, 1e4, -1e4, 1e30, -1e30, Float.MAX_VALUE, -Float.MAX_VALUE, 1e300, -1e300,
        Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN};

    @Test
    void specialValuesFloat() {
        int v = Vectorization.floatLanes();
        for (Op op : OPS) {
            // every special value lands in every lane position and in the tail
            int n = SPECIALS.length * (v + 1) + 3;
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) SPECIALS[i % SPECIALS.length];
            }
            checkForwardFloat(op, op.ff, x, n, 0, 0, false);
        }
    }

    @Test
    void specialValuesDouble() {
        int v = Vectorization.doubleLanes();
        for (Op op : OPS) {
            int n = SPECIALS.length * (v + 1) + 3;
            double[] x = new double[n];
            for (int i = 0; i < n; i++) {
                x[i] = SPECIALS[i % SPECIALS.length];
            }
            checkForwardDouble(op, op.df, x, n, 0, 0, false);
        }
    }

    /** Backward at special cached values (outputs of the specials for sigmoid/tanh): dx = 0 + 1·f′. */
    @Test
    void specialValuesBackward() {
        for (Op op : OPS) {
            int n = SPECIALS.length * (Vectorization.floatLanes() + 1) + 3;
            float[] c = new float[n];
            double[] cd = new double[n];
            for (int i = 0; i < n; i++) {
                double x = SPECIALS[i % SPECIALS.length];
                cd[i] = op.act.backwardUsesOutput() ? op.f(x) : x;
                c[i] = (float) (op.act.backwardUsesOutput() ? op.f((float) x) : (float) x);
            }
            float[] ones = new float[n];
            java.util.Arrays.fill(ones, 1f);
            float[] dx = new float[n];
            op.fb.run(c, 0, ones, 0, dx, 0, n);
            double[] ref = new double[n];
            double[] scale = new double[n];
            for (int i = 0; i < n; i++) {
                ref[i] = op.fp(c[i]);
                scale[i] = op.fpScale(c[i]);
            }
            Tol.assertFloats(op + "Backward float, special values", ref, scale, dx, 0, backwardUlps(op));
            double[] onesD = new double[n];
            java.util.Arrays.fill(onesD, 1.0);
            double[] dxd = new double[n];
            op.db.run(cd, 0, onesD, 0, dxd, 0, n);
            for (int i = 0; i < n; i++) {
                ref[i] = op.fp(cd[i]);
                scale[i] = op.fpScale(cd[i]);
            }
            Tol.assertDoubles(op + "Backward double, special values", ref, scale, dxd, 0, Tol.DOUBLE_REL);
        }
    }

    /** The limits the issue names, asserted directly (not through the reference). */
    @Test
    void limitsAtInfinityAndNaN() {
        float[] x = {Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, Float.NaN};
        float[] y = new float[3];
        Activations.sigmoid(x, 0, y, 0, 3);
        assertEquals(0f, y[0]);
        assertEquals(1f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        Activations.tanh(x, 0, y, 0, 3);
        assertEquals(-1f, y[0]);
        assertEquals(1f, y[1]);
        assertTrue(Float.isNaN(y[2]));
        Activations.relu(x, 0, y, 0, 3);
        assertEquals(0f, y[0]);
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertTrue(Float.isNaN(y[2]));
        for (FFwd f : new FFwd[] {Activations::gelu, Activations::geluErf, Activations::silu, Activations::softplus}) {
            f.run(x, 0, y, 0, 3);
            assertEquals(0f, Math.abs(y[0]));
            assertEquals(Float.POSITIVE_INFINITY, y[1]);
            assertTrue(Float.isNaN(y[2]));
        }
        double[] xd = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN};
        double[] yd = new double[3];
        Activations.sigmoid(xd, 0, yd, 0, 3);
        assertEquals(0.0, yd[0]);
        assertEquals(1.0, yd[1]);
        assertTrue(Double.isNaN(yd[2]));
        Activations.gelu(xd, 0, yd, 0, 3);
        assertEquals(0.0, Math.abs(yd[0]));
        assertEquals(Double.POSITIVE_INFINITY, yd[1]);
        assertTrue(Double.isNaN(yd[2]));
        // the negative tail of gelu is not flushed to 0: gelu(−5) ≈ −2.3e-6 (tanh form), gelu(−10) ≈ −1.6e-37
        float[] t = {-5f};
        Activations.gelu(t, 0, y, 0, 1);
        assertTrue(y[0] < -1e-7 && y[0] > -1e-5, "gelu(-5) = " + y[0]);
    }

    // ---- bad input ----

    @Test
    void badInputIsRefusedBeforeWriting() {
        for (Op op : OPS) {
            float[] src = {1, 2, 3, 4};
            float[] dst = {9, 9, 9, 9};
            float[] keep = dst.clone();
            assertThrows(IllegalArgumentException.class, () -> op.ff.run(src, 0, dst, 0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> op.ff.run(src, 0, dst, 1, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> op.ff.run(src, 2, dst, 0, 3));
            assertThrows(IndexOutOfBoundsException.class, () -> op.ff.run(src, -1, dst, 0, 1));
            assertThrows(NullPointerException.class, () -> op.ff.run(null, 0, dst, 0, 1));
            assertThrows(NullPointerException.class, () -> op.ff.run(src, 0, null, 0, 1));
            Tol.assertUntouched(keep, dst);
            float[] dx = {5, 5, 5};
            float[] keepDx = dx.clone();
            assertThrows(IndexOutOfBoundsException.class, () -> op.fb.run(src, 0, src, 0, dx, 0, 4));
            assertThrows(IndexOutOfBoundsException.class, () -> op.fb.run(src, 0, new float[2], 0, dx, 0, 3));
            assertThrows(NullPointerException.class, () -> op.fb.run(null, 0, src, 0, dx, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> op.fb.run(src, 0, src, 0, dx, 0, -2));
            Tol.assertUntouched(keepDx, dx);
            double[] dsrc = {1, 2};
            double[] ddst = {7, 7};
            double[] keepD = ddst.clone();
            assertThrows(IndexOutOfBoundsException.class, () -> op.df.run(dsrc, 0, ddst, 0, 3));
            assertThrows(IllegalArgumentException.class, () -> op.df.run(dsrc, 0, ddst, 0, -1));
            Tol.assertUntouched(keepD, ddst);
        }
        float[] y = {3, 3, 3, 3};
        float[] keep = y.clone();
        assertThrows(NullPointerException.class,
                () -> Activations.biasActivation(null, 2, 2, new float[4], 0, 2, null, 0, y, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Activations.biasActivation(Activation.RELU, 2, 2, new float[4], 0, 2, new float[1], 0, y, 0, 2));
        assertThrows(IllegalArgumentException.class,
                () -> Activations.biasActivation(Activation.RELU, 2, 2, new float[4], 0, 1, null, 0, y, 0, 2));
        assertThrows(IndexOutOfBoundsException.class,
                () -> Activations.biasActivation(Activation.RELU, 2, 3, new float[6], 0, 3, null, 0, y, 0, 3));
        Tol.assertUntouched(keep, y);
        float[] db = {1, 1};
        float[] keepDb = db.clone();
        assertThrows(IndexOutOfBoundsException.class, () -> Activations.biasActivationBackward(Activation.GELU, 2, 2,
                new float[3], 0, 2, new float[4], 0, 2, null, 0, 2, db, 0));
        Tol.assertUntouched(keepDb, db);
    }
}
