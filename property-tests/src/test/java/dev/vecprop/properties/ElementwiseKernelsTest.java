package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import dev.vecprop.kernels.Activation;
import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.ErfReference;
import dev.vecprop.kernels.Softmax;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Sized;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
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

    /** Every activation (GELU_ERF's reference is {@link ErfReference}: the JDK has no erf). */
    static final Activation[] CHECKED = {Activation.IDENTITY, Activation.RELU, Activation.LEAKY_RELU,
            Activation.SIGMOID, Activation.TANH, Activation.GELU, Activation.GELU_ERF, Activation.SILU,
            Activation.SOFTPLUS};

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
            case GELU_ERF -> ErfReference.gelu(x).doubleValue();
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
            case GELU_ERF -> ErfReference.geluDerivative(x).doubleValue();
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1 + x * (1 - s));
            }
            case SOFTPLUS -> sigmoid(x);
            default -> throw new IllegalArgumentException(a.toString());
        };
    }

    /** |x·f′(x)/f(x)|: how much a relative error in x (or in an intermediate) grows in f. */
    static double cond(Activation a, double x) {
        double fx = f(a, x);
        if (fx == 0) {
            return 0;
        }
        double d = switch (a) {
            case SIGMOID -> df(a, f(a, x));
            case TANH -> df(a, f(a, x));
            default -> df(a, x);
        };
        return Math.abs(x * d / fx);
    }

    /** The sum of the absolute terms of f′ at the cached value: the scale its rounding error is relative to. */
    static double magnitude(Activation a, double cached) {
        double x = cached;
        return switch (a) {
            case SIGMOID -> Math.abs(cached) * (1 + Math.abs(cached));
            case TANH -> 1 + cached * cached;
            case GELU -> {
                double s = sigmoid(2 * GELU_C * (x + 0.044715 * x * x * x));
                yield s + Math.abs(x) * s * (1 - s) * 2 * GELU_C * (1 + 3 * 0.044715 * x * x);
            }
            case GELU_ERF -> ErfReference.geluDerivativeMagnitude(x);
            case SILU -> {
                double s = sigmoid(x);
                yield s * (1 + Math.abs(x) * (1 - s));
            }
            default -> Math.abs(df(a, cached));
        };
    }

    /**
     * 1 + |argument of exp| in f′: an error of ε in that argument is this many ε in e^t (1 for GELU_ERF, whose
     * reference is correctly rounded).
     */
    static double amplification(Activation a, double x) {
        return 1 + switch (a) {
            case GELU -> Math.abs(2 * GELU_C * (x + 0.044715 * x * x * x));
            case SILU, SOFTPLUS -> Math.abs(x);
            default -> 0;
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
            // the reference is only as exact as its own rounded intermediates: an error of ε in the argument
            // of exp becomes cond·ε in f, cond = |x·f′/f| (≈ 113 for GELU at x = −7.8); GELU_ERF's is
            // correctly rounded, half an ulp
            double refErr = k.act() == Activation.GELU_ERF ? Math.ulp(ref) / 2
                    : 2 * cond(k.act(), x[s]) * Math.ulp(1.0) * Math.abs(ref);
            double tol = k.f32() ? 4 * Math.ulp((float) ref) + 1e-20 : 1e-14 * Math.abs(ref) + refErr + 1e-300;
            check(k, "forward", i, x[s], ref, y[d], tol);
            double term = dy[s] * df(k.act(), cached[s]);
            double refDx = dx0[d] + term;
            // f′ is a sum of terms that can cancel (SiLU′ = σ(1 + x(1 − σ)) vanishes near x = −1.28): its error
            // is relative to the terms' magnitude M, and dx0 + dy·f′ rounds once more
            double scale = Math.abs(dx0[d]) + Math.abs(dy[s]) * magnitude(k.act(), cached[s]);
            double dtol = k.f32() ? 4 * eps * scale + 1e-20
                    : (1e-14 + 4 * amplification(k.act(), cached[s]) * Math.ulp(1.0)) * scale + 1e-300;
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
            // every element is within rel·ref of its reference, so Σ y is within rel·Σ ref of Σ ref; Σ ref is 1
            // up to the reference's own rounding ((n + 3)·2⁻⁵³: n additions in its sum, exp and the division)
            // and total adds n more roundings in double: |total − 1| ≤ rel + (2n + 3)·2⁻⁵³
            double sumTol = rel + (2 * s.n() + 3) * 0x1p-53;
            assertEquals(1.0, total, sumTol, s + ": row " + i + " sums to " + total);
        }
    }

    record Vec(boolean f32, int n, int aOff, int bOff) implements Sized {
        @Override
        public long size() {
            return n;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s n=%d offs=%d/%d", f32 ? "F32" : "F64", n, aOff, bOff);
        }
    }

    static Stream<Case<Vec>> vectors() {
        return Cases.of("reductions", 32, r -> new Vec(r.nextBoolean(),
                r.chance(0.05) ? 0 : r.chance(0.25) ? r.between(66, 20000) : r.dim(), r.between(0, 7), r.between(0, 7)));
    }

    /**
     * Σ terms in double-double (each addition's rounding error recovered exactly by two-sum and summed
     * apart), rounded to double: within 2⁻⁵³·|S| + n²·2⁻¹⁰⁶·Σ|terms| of the exact sum S.
     */
    static double compensatedSum(double[] terms) {
        double hi = 0, lo = 0;
        for (double t : terms) {
            double sum = hi + t;
            double tPart = sum - hi;
            lo += (hi - (sum - tPart)) + (t - tPart);
            hi = sum;
        }
        return hi + lo;
    }

    /**
     * What the float32 sum, dot and squaredNorm guarantee by accumulating in double (Reductions' class
     * comment): their n terms are exact in double (floats, and products of two floats: 48 bits), n − 1
     * additions in any order err by at most (n − 1)·2⁻⁵³·Σ|terms|, and a float result is rounded once more,
     * by at most 2⁻²⁴ of itself. Allowed: (n + 1)·2⁻⁵³·Σ|terms| (one more for the compensated reference,
     * one for second-order terms) plus 2⁻²⁴·|S| for a float result. A float accumulator misses this by orders
     * of magnitude ({@link #float32ReductionBoundRejectsFloatAccumulation}).
     */
    static double float32ReductionTol(int n, double sumAbs, double exact, boolean floatResult) {
        return (n + 1) * 0x1p-53 * sumAbs + (floatResult ? 0x1p-24 * Math.abs(exact) : 0);
    }

    /**
     * float32 sum, dot, squaredNorm within {@link #float32ReductionTol} of the exact sum; float64 ones within
     * {@code rtol(n)·Σ|terms|}; max and argmax exact; axpy bitwise {@code fma(alpha, x, y)} on every path,
     * scale bitwise {@code alpha·x}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void reductionsAndBlas1(Case<Vec> c) {
        Vec v = c.value();
        Rng rng = c.rng();
        int n = v.n();
        double[] a = rng.values(v.aOff() + n + 3);
        double[] b = rng.values(v.bOff() + n + 3);
        if (v.f32()) {
            a = widen(toFloat(a));
            b = widen(toFloat(b));
        }
        double sumAbs = 0, dotAbs = 0, max = Double.NEGATIVE_INFINITY;
        double[] xs = new double[n], products = new double[n], squares = new double[n];
        for (int i = 0; i < n; i++) {
            double x = a[v.aOff() + i];
            xs[i] = x;
            products[i] = x * b[v.bOff() + i]; // exact for floats; one rounding, inside rtol, for doubles
            squares[i] = x * x;
            sumAbs += Math.abs(x);
            dotAbs += Math.abs(products[i]);
            max = Math.max(max, x);
        }
        double sum = compensatedSum(xs), dot = compensatedSum(products), sq = compensatedSum(squares);
        double rtol = v.f32() ? dev.vecprop.testing.Approx.float32Rtol(n) : dev.vecprop.testing.Approx.float64Rtol(n);
        double gotSum, gotDot, gotSq, gotMax;
        float alpha = (float) rng.uniform(-2, 2);
        if (v.f32()) {
            float[] af = toFloat(a);
            float[] bf = toFloat(b);
            gotSum = dev.vecprop.kernels.Reductions.sum(af, v.aOff(), n);
            gotDot = dev.vecprop.kernels.Reductions.dot(af, v.aOff(), bf, v.bOff(), n);
            gotSq = dev.vecprop.kernels.Reductions.squaredNorm(af, v.aOff(), n);
            gotMax = dev.vecprop.kernels.Reductions.max(af, v.aOff(), n);
            float[] y = bf.clone();
            dev.vecprop.kernels.Blas1.axpy(af, v.aOff(), y, v.bOff(), n, alpha);
            float[] sc = af.clone();
            dev.vecprop.kernels.Blas1.scale(sc, v.aOff(), n, alpha);
            for (int i = 0; i < n; i++) {
                float want = Math.fma(alpha, af[v.aOff() + i], bf[v.bOff() + i]);
                if (Float.floatToRawIntBits(want) != Float.floatToRawIntBits(y[v.bOff() + i])) {
                    throw new AssertionFailedError(v + ": axpy element " + i + " = " + y[v.bOff() + i]
                            + ", fma gives " + want);
                }
                if (Float.floatToRawIntBits(alpha * af[v.aOff() + i]) != Float.floatToRawIntBits(sc[v.aOff() + i])) {
                    throw new AssertionFailedError(v + ": scale element " + i + " = " + sc[v.aOff() + i]);
                }
            }
            untouched("axpy y", bf, y, v.bOff(), n);
            untouched("scale x", af, sc, v.aOff(), n);
        } else {
            gotSum = dev.vecprop.kernels.Reductions.sum(a, v.aOff(), n);
            gotDot = dev.vecprop.kernels.Reductions.dot(a, v.aOff(), b, v.bOff(), n);
            gotSq = dev.vecprop.kernels.Reductions.squaredNorm(a, v.aOff(), n);
            gotMax = dev.vecprop.kernels.Reductions.max(a, v.aOff(), n);
            double[] y = b.clone();
            dev.vecprop.kernels.Blas1.axpy(a, v.aOff(), y, v.bOff(), n, alpha);
            double[] sc = a.clone();
            dev.vecprop.kernels.Blas1.scale(sc, v.aOff(), n, alpha);
            for (int i = 0; i < n; i++) {
                double want = Math.fma(alpha, a[v.aOff() + i], b[v.bOff() + i]);
                assertEquals(want, y[v.bOff() + i], 0, v + ": axpy element " + i + " vs fma");
                assertEquals(alpha * a[v.aOff() + i], sc[v.aOff() + i], 0, v + ": scale element " + i);
            }
            untouched("axpy y", b, y, v.bOff(), n);
            untouched("scale x", a, sc, v.aOff(), n);
        }
        if (v.f32()) {
            within(v + ": sum", sum, gotSum, float32ReductionTol(n, sumAbs, sum, true));
            within(v + ": dot", dot, gotDot, float32ReductionTol(n, dotAbs, dot, true));
            within(v + ": squaredNorm", sq, gotSq, float32ReductionTol(n, sq, sq, false)); // a double result
        } else {
            within(v + ": sum", sum, gotSum, rtol * sumAbs);
            within(v + ": dot", dot, gotDot, rtol * dotAbs);
            within(v + ": squaredNorm", sq, gotSq, rtol * sq);
        }
        assertEquals(n == 0 ? Double.NEGATIVE_INFINITY : max, gotMax, 0, v + ": max");
    }

    /**
     * The float32 reduction bound rejects float accumulation on realistic input: 10⁵ values of both signs,
     * magnitudes 1e-3 to 1e3 (log-uniform), summed, dotted and squared in float, in index order and in 16
     * lanes (a FloatVector accumulator); the kernels pass on the same arrays.
     */
    @Test
    void float32ReductionBoundRejectsFloatAccumulation() {
        SplittableRandom r = new SplittableRandom(45); // a fixed input: the control must fail every run
        int n = 100_000;
        float[] a = new float[n];
        float[] b = new float[n];
        double[] xs = new double[n], products = new double[n], squares = new double[n];
        double sumAbs = 0, dotAbs = 0;
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-3, 3)));
            b[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-3, 3)));
            xs[i] = a[i];
            products[i] = (double) a[i] * b[i];
            squares[i] = (double) a[i] * a[i];
            sumAbs += Math.abs(xs[i]);
            dotAbs += Math.abs(products[i]);
        }
        double sum = compensatedSum(xs), dot = compensatedSum(products), sq = compensatedSum(squares);
        double sumTol = float32ReductionTol(n, sumAbs, sum, true);
        double dotTol = float32ReductionTol(n, dotAbs, dot, true);
        double sqTol = float32ReductionTol(n, sq, sq, false);
        for (int lanes : new int[] {1, 16}) {
            float[] fs = new float[lanes], fd = new float[lanes], fq = new float[lanes];
            for (int i = 0; i < n; i++) {
                fs[i % lanes] += a[i];
                fd[i % lanes] += a[i] * b[i];
                fq[i % lanes] += a[i] * a[i];
            }
            for (int l = 1; l < lanes; l++) {
                fs[0] += fs[l];
                fd[0] += fd[l];
                fq[0] += fq[l];
            }
            String how = "float-accumulated in " + lanes + " lane(s): ";
            assertThrows(AssertionFailedError.class, () -> within(how + "sum", sum, fs[0], sumTol));
            assertThrows(AssertionFailedError.class, () -> within(how + "dot", dot, fd[0], dotTol));
            assertThrows(AssertionFailedError.class, () -> within(how + "squaredNorm", sq, fq[0], sqTol));
        }
        within("sum", sum, dev.vecprop.kernels.Reductions.sum(a, 0, n), sumTol);
        within("dot", dot, dev.vecprop.kernels.Reductions.dot(a, 0, b, 0, n), dotTol);
        within("squaredNorm", sq, dev.vecprop.kernels.Reductions.squaredNorm(a, 0, n), sqTol);
    }

    private static void within(String what, double expected, double actual, double tol) {
        if (!(Math.abs(actual - expected) <= tol)) {
            throw new AssertionFailedError(String.format(Locale.ROOT, "%s = %.17g, float64 reference %.17g, |diff| %.3e > %.3e",
                    what, actual, expected, Math.abs(actual - expected), tol));
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
