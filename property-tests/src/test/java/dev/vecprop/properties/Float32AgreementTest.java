package dev.vecprop.properties;

import java.util.function.Supplier;
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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * float32 forward and backward agree with the float64 path on the same (float-representable) weights, inputs
 * and dy, within {@code rtol = max(1e-5, 4·√K·1.2e-7)} ({@link Approx#float32Rtol}) where K is the reduction
 * length: per element {@code |a32 − a64| ≤ rtol·(|a64| + scale)}, i.e. relative for large elements and
 * relative to a scale for elements that cancel to near zero: the tensor's max |a64|, and for gradients at least
 * 1, the scale of dy (drawn from [−1, 1]).
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
        // gradients are judged against max(their own scale, the scale of dy = 1): a dx that cancels to ~0
        // (LayerNorm of 2 features has dx ≈ 0 identically) keeps float32 rounding of the O(|dy|) terms it cancelled
        close(what + ": dx", dx64.toDoubleArray(), dx32.toDoubleArray(), rtol, 1);
        close(what + ": parameter gradients", m64.grads().toDoubleArray(), m32.grads().toDoubleArray(), rtol, 1);
    }

    static void close(String what, double[] expected, double[] actual, double rtol, double floor) {
        double max = floor;
        for (double e : expected) {
            max = Math.max(max, Math.abs(e));
        }
        Approx.assertClose(what + " (float32 vs float64)", expected, actual, rtol, rtol * max);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void linear(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        int k = Math.max(s.dim(0), Math.max(s.dim(1), s.dim(2)));
        agree("Linear", () -> new Linear(s.dim(1), s.dim(2)), Tensor.of(rng.floats(s.dim(0) * s.dim(1)), s.dim(0),
                s.dim(1)), rng.nextLong(), k);
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
        agree("LayerNorm", () -> new LayerNorm(s.dim(1)), x, rng.nextLong(), s.dim(1));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void crossEntropy(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        int rows = s.dim(0);
        int classes = Math.max(2, s.dim(1));
        Tensor logits = Tensor.of(rng.floats(rows * classes, -8, 8), rows, classes);
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
        close("CE gradient", l64.backward(c64).toDoubleArray(), l32.backward(c32).toDoubleArray(), rtol, 0);
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
}
