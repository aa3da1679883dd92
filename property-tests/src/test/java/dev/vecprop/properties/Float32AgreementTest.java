package dev.vecprop.properties;

import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertThrows;
import java.util.stream.Stream;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Tensor;
import dev.vecprop.testing.Approx;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.Network;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.opentest4j.AssertionFailedError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float32 forward and backward agree with the float64 path on the same (float-representable) weights, inputs
 * and dy, within {@code rtol = max(1e-5, 4·√K·1.2e-7)} ({@link Approx#float32Rtol}) where K is the reduction
 * length: per element {@code |a32 − a64| ≤ rtol·|a64| + atol}, relative for large elements, with
 * {@code atol = rtol·max(rms(a64), rms(dy)·gain)} for elements that cancel to near zero (see {@link #close}).
 */
@ExtendWith(RerunHint.class)
class Float32AgreementTest {

    /** rows × in × out. */
    static Stream<Case<Shape>> shapes() {
        return Cases.of("f32-shapes", 16, r -> Shape.of(r.dim(), r.dim(), r.dim()));
    }

    static Stream<Case<Network>> networks() {
        return Cases.of("f32-networks", 10, r -> Network.draw(r, 65, Network.ACTIVATIONS));
    }

    /** The float64 twin of a float32 model: same layers, the float32 values widened. */
    static Model twin(Supplier<Layer> layer, Model m32) {
        Model m64 = new Model(layer.get(), DType.F64, 0);
        for (int i = 0; i < m32.parameterCount(); i++) {
            m64.values().set(i, m32.values().get(i));
        }
        return m64;
    }

    static void agree(String what, Supplier<Layer> layer, Tensor x32, long seed, int k) {
        agree(what, layer, x32, seed, k, 1);
    }

    /** @param gradScale a known amplification of rounding in the backward (LayerNorm's rstd), else 1 */
    static void agree(String what, Supplier<Layer> layer, Tensor x32, long seed, int k, double gradScale) {
        Model m32 = new Model(layer.get(), DType.F32, seed);
        Model m64 = twin(layer, m32);
        Tensor x64 = x32.copy(DType.F64);
        Context c32 = new Context();
        Context c64 = new Context();
        Tensor y32 = m32.forward(x32, c32, Mode.TRAIN);
        Tensor y64 = m64.forward(x64, c64, Mode.TRAIN);
        double rtol = Approx.float32Rtol(k);
        close(what + ": forward", y64.toDoubleArray(), y32.toDoubleArray(), rtol, 0);
        Rng rng = new Rng(seed);
        Tensor dy32 = Tensor.of(rng.floats(y32.size(), -1, 1), y32.shape());
        m32.zeroGrad();
        m64.zeroGrad();
        Tensor dx32 = m32.backward(dy32, c32);
        Tensor dx64 = m64.backward(dy32.copy(DType.F64), c64);
        // element-wise, atol from each tensor's RMS or the dy terms times the layer's gain (see close)
        double dyTerms = rms(dy32.toDoubleArray()) * gradScale;
        close(what + ": dx", dx64.toDoubleArray(), dx32.toDoubleArray(), rtol, dyTerms);
        close(what + ": parameter gradients", m64.grads().toDoubleArray(), m32.grads().toDoubleArray(), rtol, dyTerms);
    }

    /**
     * Element-wise {@code |a32 − a64| ≤ rtol·|a64| + atol} with {@code atol = rtol·max(rms(a64), termScale)}.
     *
     * <p>Why this atol: both paths get the same float32-representable inputs, weights and dy, so the only
     * difference is float32 rounding inside the computation. An element is a sum of K terms; rounding leaves an
     * error of about {@code ε·√K} times the size of those terms, which {@code rtol = max(1e-5, 4·√K·ε)} bounds
     * relative to the element when the terms do not cancel. When they cancel to near zero the error stays that
     * of the terms, whose typical size is the typical size of the tensor's elements — its RMS (not its max,
     * and not a fixed floor) — or, for a gradient, at least the size of the dy terms it is made of times the
     * layer's known gain ({@code termScale = rms(dy)·gain}; LayerNorm's gain is its largest rstd): a LayerNorm
     * of 2 features has dx = 0 exactly, and float32 keeps the rounding of the rstd·dy terms that cancelled.
     */
    static void close(String what, double[] expected, double[] actual, double rtol, double termScale) {
        double rms = rms(expected);
        Approx.assertClose(what + " (float32 vs float64)", expected, actual, rtol, rtol * Math.max(rms, termScale));
    }

    static double rms(double[] a) {
        double ss = 0;
        for (double e : a) {
            ss += e * e;
        }
        return a.length == 0 ? 0 : Math.sqrt(ss / a.length);
    }

    /**
     * Linear, judged per element against its own terms: y = x·Wᵀ + b, dx = dy·W, dW = dyᵀ·x and db = Σ dy are
     * sums whose float32 rounding error is at most ≈ (K/2)·ε·Σ|terms| (K ≤ 65 here, so ≤ 4e-6·Σ|terms|, inside
     * rtol = 1e-5). The float64 path on |x|, |W|, |b| and |dy| gives Σ|terms| of every element exactly, so the
     * bound {@code |a32 − a64| ≤ rtol·Σ|terms|} is element-wise with no tensor-wide atol (and ≥ rtol·|a64|).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void linear(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        int k = Math.max(s.dim(0), Math.max(s.dim(1), s.dim(2)));
        Supplier<Layer> layer = () -> new Linear(s.dim(1), s.dim(2));
        Tensor x32 = Tensor.of(rng.floats(s.dim(0) * s.dim(1)), s.dim(0), s.dim(1));
        Model m32 = new Model(layer.get(), DType.F32, rng.nextLong());
        Model m64 = twin(layer, m32);
        Model abs = twin(layer, m32);
        for (int i = 0; i < abs.parameterCount(); i++) {
            abs.values().set(i, Math.abs(abs.values().get(i)));
        }
        Tensor dy32 = Tensor.of(rng.floats(s.dim(0) * s.dim(2), -1, 1), s.dim(0), s.dim(2));
        Context c32 = new Context(), c64 = new Context(), cAbs = new Context();
        Tensor y32 = m32.forward(x32, c32, Mode.TRAIN);
        Tensor y64 = m64.forward(x32.copy(DType.F64), c64, Mode.TRAIN);
        Tensor yAbs = abs.forward(absolute(x32), cAbs, Mode.TRAIN);
        double rtol = Approx.float32Rtol(k);
        elementwise("Linear forward", y64, y32, yAbs, rtol);
        Tensor dx32 = m32.backward(dy32, c32);
        Tensor dx64 = m64.backward(dy32.copy(DType.F64), c64);
        Tensor dxAbs = abs.backward(absolute(dy32), cAbs);
        elementwise("Linear dx", dx64, dx32, dxAbs, rtol);
        elementwise("Linear parameter gradients", m64.grads(), m32.grads(), abs.grads(), rtol);
    }

    private static Tensor absolute(Tensor t) {
        Tensor a = t.copy(DType.F64);
        for (int i = 0; i < a.size(); i++) {
            a.set(i, Math.abs(a.get(i)));
        }
        return a;
    }

    /** {@code |a32 − a64| ≤ rtol·terms} element by element, terms = Σ|terms| of each element. */
    private static void elementwise(String what, Tensor expected, Tensor actual, Tensor terms, double rtol) {
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.get(i), a = actual.get(i), bound = rtol * terms.get(i);
            if (!(Math.abs(a - e) <= bound)) {
                throw new AssertionFailedError(String.format(java.util.Locale.ROOT,
                        "%s (float32 vs float64): element %d of %d: float32 %.9g, float64 %.9g, |diff| %.3e > rtol %.1e"
                                + " · Σ|terms| %.6g", what, i, expected.size(), a, e, Math.abs(a - e), rtol, terms.get(i)));
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void activationsAndLayerNorm(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        Tensor x = Tensor.of(rng.floats(s.dim(0) * s.dim(1)), s.dim(0), s.dim(1));
        for (String act : Network.ACTIVATIONS) {
            agree(act, Network.activation(act), x, rng.nextLong(), 1);
        }
        // LayerNorm scales gradients by rstd = 1/√(var + ε), large for a row of nearly equal values: float32
        // rounding of the centred values is then amplified by the same factor
        double maxRstd = 1;
        for (int r = 0; r < s.dim(0); r++) {
            double mean = 0;
            for (int j = 0; j < s.dim(1); j++) {
                mean += x.get(r * s.dim(1) + j);
            }
            mean /= s.dim(1);
            double var = 0;
            for (int j = 0; j < s.dim(1); j++) {
                var += (x.get(r * s.dim(1) + j) - mean) * (x.get(r * s.dim(1) + j) - mean);
            }
            maxRstd = Math.max(maxRstd, 1 / Math.sqrt(var / s.dim(1) + 1e-5));
        }
        agree("LayerNorm", () -> new LayerNorm(s.dim(1)), x, rng.nextLong(), s.dim(1), maxRstd);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void crossEntropy(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        int rows = s.dim(0);
        int classes = Math.max(2, s.dim(1));
        // most rows moderate, every third row up to ±1000 (no overflow allowed: the kernels subtract the row max)
        float[] values = new float[rows * classes];
        for (int r = 0; r < rows; r++) {
            float[] row = r % 3 == 2 ? rng.floats(classes, -1000, 1000) : rng.floats(classes, -8, 8);
            System.arraycopy(row, 0, values, r * classes, classes);
        }
        Tensor logits = Tensor.of(values, rows, classes);
        int[] labels = new int[rows];
        for (int i = 0; i < rows; i++) {
            labels[i] = rng.nextInt(classes);
        }
        Loss l32 = Loss.softmaxCrossEntropy();
        Loss l64 = Loss.softmaxCrossEntropy();
        Context c32 = new Context();
        Context c64 = new Context();
        double rtol = Approx.float32Rtol(classes);
        double v32 = l32.forward(logits, labels, 0, c32);
        double v64 = l64.forward(logits.copy(DType.F64), labels, 0, c64);
        Approx.assertClose("CE value (float32 vs float64)", v64, v32, rtol, rtol);
        // each gradient element is (p − onehot)/rows, of size at most 1/rows: its terms' scale, as rms(dy)·gain is
        // for a layer (a term scale of 1 made atol = rtol, up to `rows` times the largest element)
        close("CE gradient", l64.backward(c64).toDoubleArray(), l32.backward(c32).toDoubleArray(), rtol, 1.0 / rows);
    }

    /** K for a network: every layer adds its reduction lengths (in, out, batch) to the chain. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void network(Case<Network> c) {
        Network n = c.value();
        Rng rng = c.rng();
        long k = 0;
        int width = n.in();
        for (int w : n.widths()) {
            k += width + w + n.batch();
            width = w;
        }
        agree(n.toString(), n::build, Tensor.of(rng.floats(n.batch() * n.in()), n.batch(), n.in()), rng.nextLong(),
                (int) k);
    }

    /** The bound can fail: one element off by 10·rtol relative, or a near-zero element off by 10·atol. */
    @Test
    void closeCatchesOneElementOutsideTheBound() {
        double rtol = Approx.float32Rtol(64);
        double[] e = new Rng(3).values(200);
        e[17] = 1.5;
        close("identical", e, e.clone(), rtol, 0);
        double[] a = e.clone();
        a[17] *= 1 + 10 * rtol;
        assertThrows(AssertionFailedError.class, () -> close("planted", e, a, rtol, 0));
        double[] z = e.clone();
        z[5] = 0;
        double[] b = z.clone();
        b[5] = 10 * rtol * rms(z);
        assertThrows(AssertionFailedError.class, () -> close("planted near zero", z, b, rtol, 0));
    }

    /** The per-element bound can fail: one element off by more than rtol times its own term sum. */
    @Test
    void elementwiseCatchesAnElementOutsideItsTerms() {
        Tensor e = Tensor.of(new double[] {1, -2, 0.5}, 3);
        Tensor terms = Tensor.of(new double[] {3, 4, 10}, 3);
        elementwise("identical", e, e.copy(), terms, 1e-5);
        Tensor a = e.copy();
        a.set(2, 0.5 + 2e-4); // allowed: 1e-5·10 = 1e-4
        assertThrows(AssertionFailedError.class, () -> elementwise("planted", e, a, terms, 1e-5));
    }
}
