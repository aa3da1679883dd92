package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The float vector exp and tanh of {@link FastMath} swept densely over their whole range against
 * {@link Math#exp}/{@link Math#tanh} in double (only on the vector path; the scalar path never uses them).
 */
class FastMathTest {

    @BeforeEach
    void vectorOnly() {
        Assumptions.assumeTrue(Vectorization.isVectorized(), "FastMath runs on the vector path only");
    }

    /**
     * Every {@code stride}-th float bit pattern in [lo, 0) and [0, hi] (lo < 0 < hi), plus a 1e-3-spaced
     * grid so no region is skipped; the bit-pattern walk covers every binade densely.
     */
    static float[] sweep(float lo, float hi, int stride) {
        int negCount = (Float.floatToRawIntBits(lo) & 0x7fffffff) / stride + 1;
        int posCount = Float.floatToRawIntBits(hi) / stride + 1;
        int grid = (int) ((hi - lo) / 1e-3f);
        float[] r = new float[negCount + posCount + grid];
        int k = 0;
        for (int i = 0; i < negCount; i++) {
            r[k++] = -Float.intBitsToFloat(i * stride);
        }
        for (int i = 0; i < posCount; i++) {
            r[k++] = Float.intBitsToFloat(i * stride);
        }
        for (int i = 0; i < grid; i++) {
            r[k++] = lo + i * 1e-3f;
        }
        return r;
    }

    interface VOp {
        FloatVector apply(FloatVector x);
    }

    static float[] run(float[] x, VOp op) {
        float[] y = new float[x.length];
        int i = 0;
        for (; i < Species.F.loopBound(x.length); i += Species.FL) {
            op.apply(FloatVector.fromArray(Species.F, x, i)).intoArray(y, i);
        }
        for (; i < x.length; i++) {
            float[] one = new float[Species.FL];
            one[0] = x[i];
            float[] out = new float[Species.FL];
            op.apply(FloatVector.fromArray(Species.F, one, 0)).intoArray(out, 0);
            y[i] = out[0];
        }
        return y;
    }

    static double maxUlps(float[] x, float[] y, java.util.function.DoubleUnaryOperator ref) {
        double worst = 0;
        for (int i = 0; i < x.length; i++) {
            worst = Math.max(worst, Tol.floatUlps(ref.applyAsDouble(x[i]), y[i]));
        }
        return worst;
    }

    @Test
    void expWithinOneUlpOverItsWholeRange() {
        float[] x = sweep(-104f, 89f, 1 << 10);
        double worst = maxUlps(x, run(x, FastMath::exp), Math::exp);
        System.out.println("FastMath.exp float: max error " + worst + " ulp over " + x.length + " points");
        assertTrue(worst <= 1.0, "exp max error " + worst + " ulp");
        float[] special = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 88.72283f, 88.722839f, 89f,
            1000f, -87.33654f, -100f, -103.97f, -104f, -1000f, 0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] y = run(special, FastMath::exp);
        for (int i = 0; i < special.length; i++) {
            double ref = Math.exp(special[i]);
            assertTrue(Tol.floatUlps(ref, y[i]) <= 1.0, "exp(" + special[i] + ") = " + y[i] + ", expected " + ref);
        }
        assertEquals(Float.POSITIVE_INFINITY, y[1]);
        assertEquals(0f, y[2]);
        assertTrue(Float.isNaN(y[0]));
    }

    @Test
    void tanhWithinFourUlpOverItsWholeRange() {
        float[] x = sweep(-12f, 12f, 1 << 10);
        double worst = maxUlps(x, run(x, FastMath::tanh), Math::tanh);
        System.out.println("FastMath.tanh float (" + Species.FL + " lanes, "
                + (Species.FL == FastMath.TANH_N ? "table" : "exp form") + "): max error " + worst + " ulp over "
                + x.length + " points");
        assertTrue(worst <= 4.0, "tanh max error " + worst + " ulp");
    }

    /**
     * The points where the table tanh switches interval (|x| = (k + ½)·H, k = 0…15, where the rounding of
     * |x|/H + 1.5·2²³ moves to k + 1), ±16 floats around each, both signs; the clamp TANH_MAX ±16 floats; and
     * the float-rounds-to-1 threshold 9.011 ±16 floats. Checked at every width (the exp form below 512 bits).
     */
    static float[] tanhBoundaries() {
        int w = 16;
        float[] centres = new float[FastMath.TANH_N + 2];
        for (int k = 0; k < FastMath.TANH_N; k++) {
            centres[k] = (k + 0.5f) * FastMath.TANH_H;
        }
        centres[FastMath.TANH_N] = FastMath.TANH_MAX;
        centres[FastMath.TANH_N + 1] = 9.011f;
        float[] x = new float[centres.length * (2 * w + 1) * 2];
        int n = 0;
        for (float c : centres) {
            int bits = Float.floatToRawIntBits(c);
            for (int d = -w; d <= w; d++) {
                float v = Float.intBitsToFloat(bits + d);
                x[n++] = v;
                x[n++] = -v;
            }
        }
        return x;
    }

    /** The interval index the table tanh gives |x| (the low 4 bits of |x|/H + 1.5·2²³ rounded once). */
    static int tanhInterval(float x) {
        float a = Math.min(Math.abs(x), FastMath.TANH_MAX);
        return Float.floatToRawIntBits(Math.fma(a, FastMath.TANH_INV_H, FastMath.ROUND_MAGIC)) & (FastMath.TANH_N - 1);
    }

    @Test
    void tanhAtIntervalBoundariesAndSpecialValues() {
        float[] x = tanhBoundaries();
        // each ±16-float window around (k + ½)·H really contains the switch from interval k to k + 1
        for (int k = 0; k + 1 < FastMath.TANH_N; k++) {
            int first = k * 66;
            assertEquals(k, tanhInterval(x[first]), "window " + k + " starts in interval " + k);
            assertEquals(k + 1, tanhInterval(x[first + 64]), "window " + k + " ends in interval " + (k + 1));
        }
        float[] y = run(x, FastMath::tanh);
        double worst = maxUlps(x, y, Math::tanh);
        System.out.println("FastMath.tanh float at the interval boundaries: max error " + worst + " ulp");
        assertTrue(worst <= 4.0, "tanh max error at the interval boundaries " + worst + " ulp");

        // tanh x = x (correctly rounded) for tiny |x|, subnormals and ±0 included, sign kept
        float[] tiny = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, 1e-40f, -1e-40f, Float.MIN_NORMAL,
            -Float.MIN_NORMAL, 1e-20f, -1e-20f, 1e-6f, -1e-6f, 0x1p-13f, -0x1p-13f};
        float[] ty = run(tiny, FastMath::tanh);
        for (int i = 0; i < tiny.length; i++) {
            assertEquals(Float.floatToRawIntBits(tiny[i]), Float.floatToRawIntBits(ty[i]), "tanh(" + tiny[i] + ")");
        }
        // exactly ±1 from the clamp on (tanh rounds to 1 in float from 9.011), at ±∞ too; NaN stays NaN
        float[] big = {FastMath.TANH_MAX, 9.5f, 10f, 20f, 88.8f, 100f, 1e30f, Float.MAX_VALUE,
            Float.POSITIVE_INFINITY, Float.NaN};
        float[] both = new float[2 * big.length];
        for (int i = 0; i < big.length; i++) {
            both[2 * i] = big[i];
            both[2 * i + 1] = -big[i];
        }
        float[] by = run(both, FastMath::tanh);
        for (int i = 0; i < both.length; i++) {
            if (Float.isNaN(both[i])) {
                assertTrue(Float.isNaN(by[i]), "tanh(NaN) = " + by[i]);
            } else {
                assertEquals(Math.signum(both[i]), by[i], "tanh(" + both[i] + ")");
            }
        }
    }

    /**
     * The forward GELU's negative tail, where σ(v) ≈ e^v has relative condition number |v| and its float-float
     * argument (FastMath.geluForwardPTail) matters: every 64th float in [−10, −0.25], plus the clamp ±4 floats.
     */
    @Test
    void geluNegativeTailWithinFourUlp() {
        int lo = Float.floatToRawIntBits(0.25f);
        int hi = Float.floatToRawIntBits(10f);
        int stride = 64;
        float[] x = new float[(hi - lo) / stride + 1 + 18];
        int n = 0;
        for (int b = lo; b <= hi; b += stride) {
            x[n++] = -Float.intBitsToFloat(b);
        }
        for (int d = -4; d <= 4; d++) {
            x[n++] = -Float.intBitsToFloat(hi + d);
            x[n++] = Float.intBitsToFloat(hi + d);
        }
        double worst = maxUlps(x, run(x, FastMath::gelu), ScalarMath::gelu);
        System.out.println("FastMath.gelu float, negative tail: max error " + worst + " ulp over " + x.length
                + " points");
        assertTrue(worst <= 4.0, "gelu negative tail max error " + worst + " ulp");
    }

    @Test
    void sigmoidAndGeluWithinFourUlp() {
        float[] x = sweep(-110f, 110f, 1 << 11);
        double ws = maxUlps(x, run(x, FastMath::sigmoid), ScalarMath::sigmoid);
        double wg = maxUlps(x, run(x, FastMath::gelu), ScalarMath::gelu);
        double wsilu = maxUlps(x, run(x, FastMath::silu), ScalarMath::silu);
        double wsp = maxUlps(x, run(x, FastMath::softplus), ScalarMath::softplus);
        double wge = maxUlps(x, run(x, FastMath::geluErf), ScalarMath::geluErf);
        System.out.println("float max ulp: sigmoid " + ws + ", gelu " + wg + ", silu " + wsilu + ", softplus " + wsp
                + ", geluErf " + wge + " over " + x.length + " points");
        assertTrue(ws <= 4 && wg <= 4 && wsilu <= 4 && wsp <= 4 && wge <= 4,
                "sigmoid " + ws + ", gelu " + wg + ", silu " + wsilu + ", softplus " + wsp + ", geluErf " + wge);
    }
}
