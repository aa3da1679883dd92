package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A refused backward (or loss backward) writes nothing: every public entry validates the whole chain — state
 * present for every layer, shapes consistent — before any gradient or output workspace is touched.
 */
class RefusedBackwardTest {

    private static Tensor random(DType dt, long seed, int rows, int cols) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(dt, rows, cols);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(-2, 2));
        }
        return t;
    }

    /** A model whose gradients hold a known non-zero pattern (so "untouched" is visible). */
    private static Model model(Linear first, Linear last) {
        Model m = new Model(new Sequential(first, Activation.tanh(),
                new Residual(new Sequential(new LayerNorm(5), new Linear(5, 5))), last), DType.F64, 3);
        for (int i = 0; i < m.parameterCount(); i++) {
            m.grads().set(i, 0.25 * (i + 1));
        }
        return m;
    }

    @Test
    void backwardWithoutAForwardStateForAnEarlierLayerTouchesNoGradient() {
        Linear first = new Linear(4, 5), last = new Linear(5, 3);
        Model m = model(first, last);
        Context ctx = new Context();
        last.forward(random(DType.F64, 1, 2, 5), ctx, Mode.TRAIN); // only the last layer has a state
        double[] before = m.grads().toDoubleArray();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> m.backward(random(DType.F64, 2, 2, 3), ctx));
        assertTrue(e.getMessage().contains("before forward"), e.getMessage());
        assertArrayEquals(before, m.grads().toDoubleArray(), "the last layer must not have added its gradient");
        assertThrows(IllegalStateException.class, () -> m.backwardParameters(random(DType.F64, 2, 2, 3), ctx));
        assertArrayEquals(before, m.grads().toDoubleArray(), "backwardParameters");
    }

    @Test
    void backwardWithInconsistentLayerStatesTouchesNoGradient() {
        Linear first = new Linear(4, 5), last = new Linear(5, 3);
        Model m = model(first, last);
        Context ctx = new Context();
        m.forward(random(DType.F64, 3, 6, 4), ctx, Mode.TRAIN); // every layer: 6 rows
        last.forward(random(DType.F64, 4, 2, 5), ctx, Mode.TRAIN); // then the last layer alone: 2 rows
        double[] before = m.grads().toDoubleArray();
        assertThrows(IllegalArgumentException.class, () -> m.backward(random(DType.F64, 5, 2, 3), ctx));
        assertArrayEquals(before, m.grads().toDoubleArray(), "the last layer must not have added its gradient");
        assertThrows(IllegalArgumentException.class, () -> m.backwardParameters(random(DType.F64, 5, 2, 3), ctx));
        assertArrayEquals(before, m.grads().toDoubleArray(), "backwardParameters");
    }

    @Test
    void residualBlockWithAMissingStateTouchesNoGradient() {
        Linear inner = new Linear(5, 5);
        Residual res = new Residual(new Sequential(new LayerNorm(5), inner));
        Model m = new Model(new Sequential(res, new Linear(5, 2)), DType.F64, 4);
        for (int i = 0; i < m.parameterCount(); i++) {
            m.grads().set(i, i + 1);
        }
        Context ctx = new Context();
        m.forward(random(DType.F64, 6, 3, 5), ctx, Mode.TRAIN);
        inner.forward(random(DType.F64, 7, 4, 5), ctx, Mode.TRAIN); // inner layer now disagrees (4 rows, not 3)
        double[] before = m.grads().toDoubleArray();
        assertThrows(IllegalArgumentException.class, () -> m.backward(random(DType.F64, 8, 3, 2), ctx));
        assertArrayEquals(before, m.grads().toDoubleArray());
    }

    @Test
    void lossBackwardWithABadLabelLeavesItsGradientUntouched() {
        for (DType dt : DType.values()) {
            Loss loss = Loss.softmaxCrossEntropy();
            Context ctx = new Context();
            int[] labels = {0, 2, 1};
            Tensor logits = random(dt, 9, 3, 3);
            loss.forward(logits, labels, 0, ctx);
            Tensor grad = loss.backward(ctx);
            double[] before = grad.toDoubleArray();
            loss.forward(logits, labels, 0, ctx);
            labels[1] = 7; // changed between forward and backward: the kernel refuses it
            assertThrows(IllegalArgumentException.class, () -> loss.backward(ctx), dt.toString());
            assertArrayEquals(before, grad.toDoubleArray(), dt + ": dlogits must not be zeroed by a refused call");
        }
    }
}
