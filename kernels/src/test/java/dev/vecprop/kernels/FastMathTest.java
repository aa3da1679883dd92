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
        System.out.println("FastMath.tanh float: max error " + worst + " ulp over " + x.length + " points");
        assertTrue(worst <= 4.0, "tanh max error " + worst + " ulp");
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
