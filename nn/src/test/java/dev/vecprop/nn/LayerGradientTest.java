package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every layer's backward against central differences in float64 (DESIGN §4 tolerances). */
class LayerGradientTest {
    private static final double RTOL_OP = 1e-6, ATOL_OP = 1e-9;
    private static final double RTOL_NET = 1e-5, ATOL_NET = 1e-8;

    private static void assertGradients(Layer layer, Tensor x, double rtol, double atol) {
        Model m = new Model(layer, DType.F64, 7);
        // make zero-initialised parameters (biases, β) non-trivial so their gradients are really tested
        for (Parameter p : m.parameters()) {
            Tensor noise = GradCheck.random(p.offset() + 11, -0.5, 0.5, p.shape());
            for (int i = 0; i < p.size(); i++) {
                p.value().set(i, p.value().get(i) + noise.get(i));
            }
        }
        GradCheck.Failure f = GradCheck.check(m, x, 3, rtol, atol);
        assertNull(f, () -> layer + ": " + f);
    }

    @TestFactory
    List<DynamicTest> singleOps() {
        int[][] shapes = {{1, 1}, {3, 7}, {4, 17}, {2, 3, 5}};
        List<Supplier<Layer>> layers = List.of(
                () -> new Linear(shapesCols(), 5),
                Activation::relu, () -> Activation.leakyRelu(0.1), Activation::gelu, Activation::geluExact, Activation::tanh,
                Activation::sigmoid, Activation::silu, Activation::softplus,
                () -> new LayerNorm(shapesCols()),
                () -> new Linear(shapesCols(), 3, Init.XAVIER_UNIFORM, false));
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (int[] shape : shapes) {
            for (int li = 0; li < layers.size(); li++) {
                int idx = li;
                tests.add(DynamicTest.dynamicTest("layer" + li + " shape" + java.util.Arrays.toString(shape), () -> {
                    cols = shape[shape.length - 1];
                    Layer l = layers.get(idx).get();
                    Tensor x = GradCheck.awayFromZero(shape.length * 100L + idx, 1e-3, shape);
                    assertGradients(l, x, RTOL_OP, ATOL_OP);
                }));
            }
        }
        return tests;
    }

    private static int cols;

    private static int shapesCols() {
        return cols;
    }

    @Test
    void smallNetworkWithResidualLayerNormAndDropout() {
        Layer net = new Sequential(
                new Linear(6, 8), Activation.gelu(),
                new Residual(new Sequential(new LayerNorm(8), new Linear(8, 8, Init.XAVIER_NORMAL, true),
                        Activation.tanh())),
                new Dropout(0.3, 99),
                new Linear(8, 4));
        assertGradients(net, GradCheck.random(5, -2, 2, 5, 6), RTOL_NET, ATOL_NET);
    }

    @Test
    void plantedWrongBackwardIsCaught() {
        // a Linear whose weight gradient is transposed-wrong: dW += dyᵀ·x scaled by 1.01 is enough to be caught
        Layer wrong = new Layer() {
            final Linear inner = new Linear(4, 3);

            @Override
            public Tensor forward(Tensor x, Context ctx, Mode mode) {
                return inner.forward(x, ctx, mode);
            }

            @Override
            public Tensor backward(Tensor dy, Context ctx) {
                Tensor dx = inner.backward(dy, ctx);
                dx.set(5, -dx.get(5)); // a sign flip in one element of dx
                return dx;
            }

            @Override
            public List<Layer> children() {
                return List.of(inner);
            }
        };
        Model m = new Model(wrong, DType.F64, 1);
        GradCheck.Failure f = GradCheck.check(m, GradCheck.random(2, -1, 1, 2, 4), 3, RTOL_OP, ATOL_OP);
        assertNotNull(f, "the checker must report a flipped sign");
        assertEquals("x", f.tensor());
        assertEquals(5, f.index());
    }

    @Test
    void plantedMissingBiasGradientIsCaught() {
        Layer wrong = new Layer() {
            final Linear inner = new Linear(4, 3);

            @Override
            public Tensor forward(Tensor x, Context ctx, Mode mode) {
                return inner.forward(x, ctx, mode);
            }

            @Override
            public Tensor backward(Tensor dy, Context ctx) {
                Tensor dx = inner.backward(dy, ctx);
                Kern.fill(inner.bias().grad(), 0.0); // forgets db
                return dx;
            }

            @Override
            public List<Layer> children() {
                return List.of(inner);
            }
        };
        Model m = new Model(wrong, DType.F64, 1);
        GradCheck.Failure f = GradCheck.check(m, GradCheck.random(2, -1, 1, 2, 4), 3, RTOL_OP, ATOL_OP);
        assertNotNull(f, "the checker must report a missing bias gradient");
        assertEquals("0.bias", f.tensor());
    }

    @Test
    void tooLargeStepIsCaughtOnCurvedFunction() {
        // the same comparison with h far too large must fail on tanh: shows the tolerance is not vacuous
        Tensor x = GradCheck.random(4, 0.5, 1.5, 3, 4);
        Context ctx = new Context();
        Activation t = Activation.tanh();
        t.forward(x, ctx, Mode.TRAIN);
        Tensor dy = Tensor.zeros(DType.F64, 3, 4);
        Kern.fill(dy, 1.0);
        Tensor dx = t.backward(dy, ctx);
        double h = 0.5;
        double v = x.get(0);
        double num = (Math.tanh(v + h) - Math.tanh(v - h)) / (2 * h);
        double a = dx.get(0);
        assertEquals(true, Math.abs(a - num) > ATOL_OP + RTOL_OP * Math.abs(num));
    }

    @Test
    void backwardAccumulatesParameterGradients() {
        Linear l = new Linear(3, 2);
        Model m = new Model(l, DType.F64, 3);
        Tensor x = GradCheck.random(1, -1, 1, 4, 3);
        Tensor dy = GradCheck.random(2, -1, 1, 4, 2);
        Context ctx = new Context();
        m.forward(x, ctx, Mode.TRAIN);
        m.backward(dy, ctx);
        double[] once = m.grads().toDoubleArray();
        m.backward(dy, ctx);
        double[] twice = m.grads().toDoubleArray();
        for (int i = 0; i < once.length; i++) {
            assertEquals(2 * once[i], twice[i], 1e-12 * Math.abs(once[i]));
        }
        m.zeroGrad();
        assertEquals(0.0, m.gradNorm());
    }

    @Test
    void backwardBeforeForwardIsRefused() {
        Linear l = new Linear(3, 2);
        new Model(l, DType.F64, 3);
        assertThrows(IllegalStateException.class, () -> l.backward(Tensor.zeros(DType.F64, 1, 2), new Context()));
    }
}
