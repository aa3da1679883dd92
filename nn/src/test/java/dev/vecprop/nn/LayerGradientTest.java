package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntFunction;
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
        // each factory takes the input's feature count: no state shared between the dynamic tests
        List<IntFunction<Layer>> layers = List.of(
                cols -> new Linear(cols, 5),
                cols -> Activation.relu(), cols -> Activation.leakyRelu(0.1), cols -> Activation.gelu(),
                cols -> Activation.geluExact(), cols -> Activation.tanh(), cols -> Activation.sigmoid(),
                cols -> Activation.silu(), cols -> Activation.softplus(),
                cols -> new LayerNorm(cols),
                cols -> new Linear(cols, 3, Init.XAVIER_UNIFORM, false));
        List<DynamicTest> tests = new java.util.ArrayList<>();
        for (int[] shape : shapes) {
            for (int li = 0; li < layers.size(); li++) {
                int idx = li;
                tests.add(DynamicTest.dynamicTest("layer" + li + " shape" + java.util.Arrays.toString(shape), () -> {
                    Layer l = layers.get(idx).apply(shape[shape.length - 1]);
                    Tensor x = GradCheck.awayFromZero(shape.length * 100L + idx, 1e-3, shape);
                    assertGradients(l, x, RTOL_OP, ATOL_OP);
                }));
            }
        }
        return tests;
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
    void plantedNaNOnBothSidesIsCaught() {
        // forward puts NaN into the output (so every numeric derivative is NaN) and backward returns NaN
        // everywhere: analytic and numeric "agree" element by element, which must still fail
        Layer nan = new Layer() {
            final Linear inner = new Linear(4, 3);

            @Override
            public Tensor forward(Tensor x, Context ctx, Mode mode) {
                Tensor y = inner.forward(x, ctx, mode);
                y.set(0, Double.NaN);
                return y;
            }

            @Override
            public Tensor backward(Tensor dy, Context ctx) {
                Tensor dx = inner.backward(dy, ctx);
                Kern.fill(dx, Double.NaN);
                Kern.fill(inner.weight().grad(), Double.NaN);
                Kern.fill(inner.bias().grad(), Double.NaN);
                return dx;
            }

            @Override
            public List<Layer> children() {
                return List.of(inner);
            }
        };
        Model m = new Model(nan, DType.F64, 1);
        GradCheck.Failure f = GradCheck.check(m, GradCheck.random(2, -1, 1, 2, 4), 3, RTOL_OP, ATOL_OP);
        assertNotNull(f, "NaN on both sides must be reported");
        assertTrue(Double.isNaN(f.analytic()) && Double.isNaN(f.numeric()), f.toString());
    }

    @Test
    void plantedWrongBackwardIsCaught() {
        // a Linear whose backward flips the sign of one element of dx: the checker must name that element
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

    /**
     * The checker itself reports a too-large step on a curved function: with h = 0.5 the central difference of
     * tanh is off by about h²·|tanh‴|/6 ≈ 0.03, far outside rtol 1e-6, while at the default step the same
     * check passes. So the tolerance is not loose enough to hide a truncation error this size.
     */
    @Test
    void tooLargeStepIsCaughtOnCurvedFunction() {
        Tensor x = GradCheck.random(4, 0.5, 1.5, 3, 4);
        Model m = new Model(Activation.tanh(), DType.F64, 1);
        assertNull(GradCheck.check(m, x, 3, RTOL_OP, ATOL_OP));
        GradCheck.Failure f = GradCheck.check(m, x, 3, RTOL_OP, ATOL_OP, 0.5);
        assertNotNull(f, "a step of 0.5 on tanh must be reported");
        assertEquals("x", f.tensor());
        assertTrue(Math.abs(f.analytic() - f.numeric()) > 1e-3, f.toString());
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
    void backwardParametersGivesTheSameParameterGradientsAsBackward() {
        for (Layer first : new Layer[]{new Linear(5, 6), Activation.tanh(), new LayerNorm(5)}) {
            Model m = new Model(new Sequential(first, new Linear(first instanceof Linear ? 6 : 5, 3)), DType.F64, 2);
            Tensor x = GradCheck.random(1, -1, 1, 4, 5);
            Context ctx = new Context();
            Tensor y = m.forward(x, ctx, Mode.TRAIN);
            Tensor dy = GradCheck.random(2, -1, 1, y.shape());
            m.backward(dy, ctx);
            double[] full = m.grads().toDoubleArray();
            m.zeroGrad();
            m.backwardParameters(dy, ctx);
            assertEquals(java.util.Arrays.toString(full), java.util.Arrays.toString(m.grads().toDoubleArray()), first.toString());
        }
    }

    @Test
    void float32PathAgreesWithFloat64Path() {
        // same layers, same seed: the F32 initial values are the rounded F64 ones; forward and gradients agree
        // within a bound that grows with the reduction length (DESIGN §4: max(1e-5, 4·√K·1.2e-7) relative, with
        // K = 64 here, plus an atol derived below from the tensors' RMS)
        java.util.function.Supplier<Layer> net = () -> new Sequential(new Linear(64, 32), Activation.gelu(),
                new LayerNorm(32), new Linear(32, 8, Init.XAVIER_NORMAL, true), Activation.tanh());
        Model m64 = new Model(net.get(), DType.F64, 5);
        Model m32 = new Model(net.get(), DType.F32, 5);
        for (int i = 0; i < m32.parameterCount(); i++) {
            assertEquals((float) m64.values().get(i), (float) m32.values().get(i));
        }
        Tensor x64 = GradCheck.random(9, -1, 1, 16, 64);
        Tensor x32 = x64.copy(DType.F32);
        m64.copyValuesFrom(m32); // both models now hold exactly the same (float-representable) weights
        Context c64 = new Context(), c32 = new Context();
        Tensor y64 = m64.forward(x64, c64, Mode.TRAIN), y32 = m32.forward(x32, c32, Mode.TRAIN);
        Tensor dy = GradCheck.random(10, -1, 1, y64.shape());
        m64.backward(dy, c64);
        m32.backward(dy.copy(DType.F32), c32);
        double rel = Math.max(1e-5, 4 * Math.sqrt(64) * 1.2e-7);
        // element-wise |a − n| ≤ rel·|n| + atol. Both paths get the same float32-representable x, weights and dy,
        // so they differ only by float32 rounding inside; an element that is a sum of K terms cancelling to ~0
        // keeps the rounding of its terms, whose typical size is the tensor's RMS (forward), or for gradients at
        // least the RMS of the dy terms they are built from: atol = rel·that, no fixed absolute term
        double atolY = rel * rms(y64.toDoubleArray());
        for (int i = 0; i < y64.size(); i++) {
            assertEquals(y64.get(i), y32.get(i), atolY + rel * Math.abs(y64.get(i)), "y[" + i + "]");
        }
        double atolG = rel * Math.max(rms(m64.grads().toDoubleArray()), rms(dy.toDoubleArray()));
        for (int i = 0; i < m64.parameterCount(); i++) {
            double g = m64.grads().get(i);
            assertEquals(g, m32.grads().get(i), atolG + rel * Math.abs(g), "grad[" + i + "]");
        }
    }

    private static double rms(double[] a) {
        double ss = 0;
        for (double v : a) {
            ss += v * v;
        }
        return a.length == 0 ? 0 : Math.sqrt(ss / a.length);
    }

    @Test
    void backwardBeforeForwardIsRefused() {
        Linear l = new Linear(3, 2);
        new Model(l, DType.F64, 3);
        assertThrows(IllegalStateException.class, () -> l.backward(Tensor.zeros(DType.F64, 1, 2), new Context()));
    }
}
