package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.stream.Stream;

import dev.vecprop.kernels.Activation;
import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.Softmax;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Sized;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * The activation and softmax kernels against float64 references written here from the formulas, over
 * generated lengths (0, lane boundaries, several vectors plus a tail) and offsets, in float and double, at
 * the width the build forces ({@code kernel} tag: also run at 128 and 256 bits). Accuracy is the one the
 * kernels document: float ≤ 4 ulp (absolute 1e-20 for tiny results), double relative 1e-14 (absolute 1e-300).
 * Elements around the written range must stay untouched.
 */
@Tag("kernel")
@ExtendWith(RerunHint.class)
class ElementwiseKernelsTest {

    /** The activations with a reference here (GELU_ERF needs erf, which the JDK lacks: left to its own tests). */
    static final Activation[] CHECKED = {Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU,
            Activation.SIGMOID, Activation.TANH, Activation.GELU, Activation.SILU, Activation.SOFTPLUS};

    record Call(Activation act, boolean f32, int n, int srcOff, int dstOff) implements Sized {
        @Override
        public long size() {
            return n;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %s n=%d offs=%d/%d", act, f32 ? "F32" : "F64", n, srcOff, dstOff);
        }
    }

    static Stream<Case<Call>> calls() {
        return Cases.of("elementwise", 48, r -> new Call(r.pick(CHECKED), r.nextBoolean(),
                r.chance(0.05) ? 0 : r.chance(0.2) ? r.between(66, 700) : r.dim(), r.between(0, 7), r.between(0, 7)));
    }

    static double sigmoid(double t) {
        return t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
    }

    static final double GELU_C = Math.sqrt(2 / Math.PI);

    static double f(Activation a, double x) {
        return switch (a) {
            case IDENTITY -> x;
            case RELU -> Math.max(x, 0);
            case LEAKY_RELU -> x >= 0 ? x : Activation.LEAKY_RELU_ALPHA * x;
            case SIGMOID -> sigmoid(x);
            case TANH -> Math.tanh(x);
            case GELU -> x * sigmoid(2 * GELU_C * (x + 0.044715 * x * x * x));
            case SILU -> x * sigmoid(x);
            case SOFTPLUS -> Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            default -> throw new IllegalArgumentException(a.toString());
        };
    }

    /** f′ from the cached tensor: y for sigmoid and tanh, x otherwise. */
    static double df(Activation a, double cached) {
        double x = cached;
        return switch (a) {
            case IDENTITY -> 1;
            case RELU -> x > 0 ? 1 : 0;
            case LEAKY_RELU -> x > 0 ? 1 : Activation.LEAKY_RELU_ALPHA;
            case SIGMOID -> cached * (1 - cached);
            case TANH -> 1 - cached * cached;
            case GELU -> {
                double s = sigmoid(2 * GELU_C * (x + 0.044715 * x * x * x));
                yield s + x * s * (1 - s) * 2 * GELU_C * (1 + 3 * 0.044715 * x * x);
            }
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1 + x * (1 - s));
            }
            case SOFTPLUS -> sigmoid(x);
            default -> throw new IllegalArgumentException(a.toString());
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void activationForwardAndBackward(Case<Call> c) {
        Call k = c.value();
        Rng rng = c.rng();
        int n = k.n();
        int len = Math.max(k.srcOff(), k.dstOff()) + n + 5;
        double[] x = rng.values(len, -8, 8);
        double[] dy = rng.values(len, -1, 1);
        double[] dx0 = rng.values(len, -1, 1);
        double[] cached = new double[len];
        for (int i = 0; i < len; i++) {
            cached[i] = k.act().backwardUsesOutput() ? f(k.act(), x[i]) : x[i];
        }
        double[] y;
        double[] dx;
        if (k.f32()) {
            float[] xf = toFloat(x);
            float[] yf = toFloat(rng.values(len));
            float[] before = yf.clone();
            Activations.apply(k.act(), xf, k.srcOff(), yf, k.dstOff(), n);
            float[] cf = toFloat(cached);
            float[] dyf = toFloat(dy);
            float[] dxf = toFloat(dx0);
            Activations.backward(k.act(), cf, k.srcOff(), dyf, k.srcOff(), dxf, k.dstOff(), n);
            untouched("y", before, yf, k.dstOff(), n);
            untouched("dx", toFloat(dx0), dxf, k.dstOff(), n);
            x = widen(xf);
            cached = widen(cf);
            dy = widen(dyf);
            dx0 = widen(toFloat(dx0));
            y = widen(yf);
            dx = widen(dxf);
        } else {
            y = rng.values(len);
            double[] before = y.clone();
            Activations.apply(k.act(), x, k.srcOff(), y, k.dstOff(), n);
            dx = dx0.clone();
            Activations.backward(k.act(), cached, k.srcOff(), dy, k.srcOff(), dx, k.dstOff(), n);
            untouched("y", before, y, k.dstOff(), n);
            untouched("dx", dx0, dx, k.dstOff(), n);
        }
        double eps = k.f32() ? Math.ulp(1.0f) : 0;
        for (int i = 0; i < n; i++) {
            int s = k.srcOff() + i;
            int d = k.dstOff() + i;
            double ref = f(k.act(), x[s]);
            double tol = k.f32() ? 4 * Math.ulp((float) ref) + 1e-20 : 1e-14 * Math.abs(ref) + 1e-300;
            check(k, "forward", i, x[s], ref, y[d], tol);
            double term = dy[s] * df(k.act(), cached[s]);
            double refDx = dx0[d] + term;
            // the sum dx0 + dy·f′ rounds once more: allow it on top of f′'s own accuracy, against the terms
            double dtol = k.f32() ? 4 * eps * (Math.abs(dx0[d]) + Math.abs(term)) + 1e-20
                    : 1e-14 * (Math.abs(dx0[d]) + Math.abs(term)) + 1e-300;
            check(k, "backward (dx += dy·f′)", i, cached[s], refDx, dx[d], dtol);
        }
    }

    /** NaN anywhere in the input comes out as NaN at the same place (forward). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void nanPropagatesForward(Case<Call> c) {
        Call k = c.value();
        if (k.n() == 0) {
            return; // nothing to poison: an empty call writes nothing (checked above)
        }
        Rng rng = c.rng();
        int at = rng.nextInt(k.n());
        double[] x = rng.values(k.srcOff() + k.n());
        x[k.srcOff() + at] = Double.NaN;
        double[] y = new double[k.dstOff() + k.n()];
        float[] yf = new float[y.length];
        Activations.apply(k.act(), x, k.srcOff(), y, k.dstOff(), k.n());
        Activations.apply(k.act(), toFloat(x), k.srcOff(), yf, k.dstOff(), k.n());
        assertTrue(Double.isNaN(y[k.dstOff() + at]), k + ": double NaN input at " + at + " gave " + y[k.dstOff() + at]);
        assertTrue(Float.isNaN(yf[k.dstOff() + at]), k + ": float NaN input at " + at + " gave " + yf[k.dstOff() + at]);
    }

    record Rows(boolean f32, int m, int n, int xOff, int ldx, int yOff, int ldy) implements Sized {
        @Override
        public long size() {
            return (long) m * n;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s %dx%d offs=%d/%d ld=%d/%d", f32 ? "F32" : "F64", m, n, xOff, yOff,
                    ldx, ldy);
        }
    }

    static Stream<Case<Rows>> rows() {
        return Cases.of("softmax", 24, r -> {
            int n = r.chance(0.15) ? r.between(66, 500) : r.dim();
            return new Rows(r.nextBoolean(), r.dim(9), n, r.between(0, 5), n + r.between(0, 4), r.between(0, 5),
                    n + r.between(0, 4));
        });
    }

    /** Softmax rows against the reference (accuracy as documented), rows sum to 1, invariant under shifts. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void softmaxMatchesReferenceSumsToOneAndIsShiftInvariant(Case<Rows> c) {
        Rows s = c.value();
        Rng rng = c.rng();
        double[] x = rng.values(s.xOff() + s.m() * s.ldx(), -10, 10);
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.rint(x[i] * 1024) / 1024; // multiples of 2⁻¹⁰: x + shift stays exact in float and double
        }
        double[] y = new double[s.yOff() + s.m() * s.ldy()];
        double[] shifted = x.clone();
        double[] ys = y.clone();
        for (int i = 0; i < s.m(); i++) {
            double shift = rng.pickInt(-64, 3, 100);
            for (int j = 0; j < s.n(); j++) {
                shifted[s.xOff() + i * s.ldx() + j] += shift;
            }
        }
        if (s.f32()) {
            float[] xf = toFloat(x);
            float[] yf = new float[y.length];
            float[] ysf = new float[y.length];
            Softmax.softmax(s.m(), s.n(), xf, s.xOff(), s.ldx(), yf, s.yOff(), s.ldy());
            Softmax.softmax(s.m(), s.n(), toFloat(shifted), s.xOff(), s.ldx(), ysf, s.yOff(), s.ldy());
            x = widen(xf);
            y = widen(yf);
            ys = widen(ysf);
        } else {
            Softmax.softmax(s.m(), s.n(), x, s.xOff(), s.ldx(), y, s.yOff(), s.ldy());
            Softmax.softmax(s.m(), s.n(), shifted, s.xOff(), s.ldx(), ys, s.yOff(), s.ldy());
        }
        double rel = s.f32() ? 4 * Math.ulp(1.0f) + s.n() * 0x1p-24 : 1e-14;
        for (int i = 0; i < s.m(); i++) {
            int xi = s.xOff() + i * s.ldx();
            int yi = s.yOff() + i * s.ldy();
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < s.n(); j++) {
                max = Math.max(max, x[xi + j]);
            }
            double sum = 0;
            for (int j = 0; j < s.n(); j++) {
                sum += Math.exp(x[xi + j] - max);
            }
            double total = 0;
            for (int j = 0; j < s.n(); j++) {
                double ref = Math.exp(x[xi + j] - max) / sum;
                double tol = rel * ref + (s.f32() ? 1e-20 : 1e-300);
                if (!(Math.abs(y[yi + j] - ref) <= tol)) {
                    throw new AssertionFailedError(String.format(Locale.ROOT,
                            "%s: softmax[%d][%d] = %.17g, reference %.17g, |diff| %.3e > %.3e", s, i, j, y[yi + j],
                            ref, Math.abs(y[yi + j] - ref), tol));
                }
                total += y[yi + j];
                double shiftTol = 2 * tol + 2 * rel * ref;
                if (!(Math.abs(ys[yi + j] - y[yi + j]) <= shiftTol)) {
                    throw new AssertionFailedError(String.format(Locale.ROOT,
                            "%s: softmax of the shifted row %d differs at %d: %.17g vs %.17g", s, i, j, ys[yi + j],
                            y[yi + j]));
                }
            }
            assertEquals(1.0, total, s.n() * rel + 1e-15, s + ": row " + i + " sums to " + total);
        }
    }

    private static void check(Call k, String what, int i, double in, double expected, double actual, double tol) {
        if (!(Math.abs(actual - expected) <= tol)) {
            throw new AssertionFailedError(String.format(Locale.ROOT,
                    "%s %s: element %d (input %.9g): %.17g, reference %.17g, |diff| %.3e > %.3e", k, what, i, in,
                    actual, expected, Math.abs(actual - expected), tol));
        }
    }

    private static void untouched(String name, float[] before, float[] after, int off, int n) {
        for (int i = 0; i < before.length; i++) {
            if ((i < off || i >= off + n) && Float.floatToRawIntBits(before[i]) != Float.floatToRawIntBits(after[i])) {
                throw new AssertionFailedError(name + "[" + i + "] outside the written range [" + off + ", "
                        + (off + n) + ") changed");
            }
        }
    }

    private static void untouched(String name, double[] before, double[] after, int off, int n) {
        for (int i = 0; i < before.length; i++) {
            if ((i < off || i >= off + n) && Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
                throw new AssertionFailedError(name + "[" + i + "] outside the written range [" + off + ", "
                        + (off + n) + ") changed");
            }
        }
    }

    private static float[] toFloat(double[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) a[i];
        }
        return out;
    }

    private static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
