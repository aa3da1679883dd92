package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link Model#computeGradients} (the trainer's fused "zero the arena, then backward") gives exactly what
 * {@link Model#zeroGrad} + {@link Model#backwardParameters} give, whatever the arena held before, including for
 * parameters that are written by accumulation (LayerNorm) or not at all.
 */
class ComputeGradientsTest {

    /** A layer with a parameter whose backward never writes a gradient: its region must still end up zero. */
    static final class Unused implements Layer {
        private final Parameter p = new Parameter("unused", Init.ONES, 1, 1, 3);

        @Override
        public List<Parameter> parameters() {
            return List.of(p);
        }

        @Override
        public Tensor forward(Tensor x, Context ctx, Mode mode) {
            return x;
        }

        @Override
        public Tensor checkBackward(Tensor dy, Context ctx) {
            return dy;
        }

        @Override
        public Tensor backward(Tensor dy, Context ctx) {
            return dy;
        }

        @Override
        public void backwardParameters(Tensor dy, Context ctx) {
        }
    }

    private static Model model(DType dtype) {
        return new Model(new Sequential(new Linear(7, 16), Activation.relu(), new Unused(), new LayerNorm(16),
                new Linear(16, 9), Activation.tanh(), new Linear(9, 4)), dtype, 3);
    }

    private static double[] gradients(Model m, boolean fused, double garbage) {
        Context ctx = new Context();
        Tensor x = TrainingTest.randomInputs(m.dtype(), 5, 13, 7);
        int[] y = TrainingTest.randomLabels(6, 13, 4);
        Loss loss = Loss.softmaxCrossEntropy();
        Kern.fill(m.grads(), garbage); // what a previous step left behind
        Tensor out = m.forward(x, ctx, Mode.TRAIN);
        loss.forward(out, y, 0, ctx);
        if (fused) {
            m.computeGradients(loss.backward(ctx), ctx);
        } else {
            m.zeroGrad();
            m.backwardParameters(loss.backward(ctx), ctx);
        }
        return m.grads().toDoubleArray();
    }

    @Test
    void equalsZeroGradThenBackwardInBothDtypes() {
        for (DType dtype : DType.values()) {
            double[] expected = gradients(model(dtype), false, 0.0);
            double[] fused = gradients(model(dtype), true, 7.5);
            assertEquals(expected.length, fused.length);
            int nonZero = 0;
            for (int i = 0; i < expected.length; i++) {
                // == (not bit equality): 0 + (−0) may give +0 where an overwrite keeps −0
                assertTrue(expected[i] == fused[i], dtype + " element " + i + ": " + fused[i] + " != " + expected[i]);
                nonZero += expected[i] != 0 ? 1 : 0;
            }
            assertTrue(nonZero > expected.length / 2, "the check must compare real gradients, " + nonZero + " non-zero");
        }
    }

    @Test
    void theLeftoverGarbageWouldBeSeenWithoutZeroing() {
        // control: accumulating onto the garbage (what a missing zeroing would give) differs from the expected
        Model m = model(DType.F64);
        double[] expected = gradients(model(DType.F64), false, 0.0);
        Context ctx = new Context();
        Tensor out = m.forward(TrainingTest.randomInputs(DType.F64, 5, 13, 7), ctx, Mode.TRAIN);
        Loss loss = Loss.softmaxCrossEntropy();
        loss.forward(out, TrainingTest.randomLabels(6, 13, 4), 0, ctx);
        Kern.fill(m.grads(), 7.5);
        m.backwardParameters(loss.backward(ctx), ctx);
        double[] stale = m.grads().toDoubleArray();
        int differ = 0;
        for (int i = 0; i < expected.length; i++) {
            differ += expected[i] != stale[i] ? 1 : 0;
        }
        assertEquals(expected.length, differ);
    }

    @Test
    void aRefusedGradientLeavesTheArenaUnchanged() {
        Model m = model(DType.F32);
        Context ctx = new Context();
        m.forward(TrainingTest.randomInputs(DType.F32, 5, 13, 7), ctx, Mode.TRAIN);
        Kern.fill(m.grads(), 2.0);
        Tensor wrong = Tensor.zeros(DType.F32, 12, 4);
        assertThrows(IllegalArgumentException.class, () -> m.computeGradients(wrong, ctx));
        double[] g = m.grads().toDoubleArray();
        for (double v : g) {
            assertEquals(2.0, v);
        }
    }
}
