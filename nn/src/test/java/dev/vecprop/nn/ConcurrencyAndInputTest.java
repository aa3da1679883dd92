package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Concurrent inference, bad-input handling and the no-allocation-per-step property. */
class ConcurrencyAndInputTest {

    private static Model net(DType dt) {
        return new Model(new Sequential(new Linear(12, 32), Activation.gelu(), new Dropout(0.5, 1),
                new Residual(new Sequential(new LayerNorm(32), new Linear(32, 32), Activation.silu())),
                new Linear(32, 5)), dt, 3);
    }

    @Test
    void eightThreadsOfInferenceEqualSequential() throws Exception {
        Model m = net(DType.F32);
        List<Tensor> inputs = new ArrayList<>();
        List<float[]> expected = new ArrayList<>();
        Context seq = new Context();
        for (int i = 0; i < 16; i++) {
            Tensor x = TrainingTest.randomInputs(DType.F32, i, 1 + 7 * i, 12);
            inputs.add(x);
            expected.add(java.util.Arrays.copyOf(m.forward(x, seq, Mode.INFERENCE).floats(), x.rows() * 5));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Boolean>> fs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int start = t;
                fs.add(pool.submit(() -> {
                    Context ctx = new Context();
                    for (int rep = 0; rep < 20; rep++) {
                        int i = (start + rep) % inputs.size();
                        Tensor y = m.forward(inputs.get(i), ctx, Mode.INFERENCE);
                        float[] got = java.util.Arrays.copyOfRange(y.floats(), y.offset(), y.offset() + y.size());
                        if (!java.util.Arrays.equals(expected.get(i), got)) {
                            return false;
                        }
                    }
                    return true;
                }));
            }
            for (Future<Boolean> f : fs) {
                assertTrue(f.get(), "a thread saw a result different from the sequential one");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void wrongFeatureCountNamesShapes() {
        Model m = new Model(new Linear(784, 10), DType.F32, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(DType.F32, 128, 783), new Context(), Mode.TRAIN));
        assertTrue(e.getMessage().contains("[*, 784]") && e.getMessage().contains("[128, 783]"), e.getMessage());
    }

    @Test
    void dtypeMixIsRefused() {
        Model m = new Model(new Linear(4, 2), DType.F32, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.forward(Tensor.zeros(DType.F64, 3, 4), new Context(), Mode.TRAIN));
        assertTrue(e.getMessage().contains("F64") && e.getMessage().contains("F32"), e.getMessage());
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1));
        assertThrows(IllegalArgumentException.class, () -> t.fit(m, Dataset.of(Tensor.zeros(DType.F64, 3, 4), new int[3])));
    }

    @Test
    void badTrainingDataIsRefusedBeforeAnyChange() {
        Model m = new Model(new Sequential(new Linear(4, 8), Activation.relu(), new Linear(8, 3)), DType.F32, 1);
        float[] before = m.values().floats().clone();
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(0.1)).batchSize(2);
        Tensor x = TrainingTest.randomInputs(DType.F32, 1, 10, 4);
        int[] y = TrainingTest.randomLabels(1, 10, 3);
        y[9] = 3; // out of range, in the last batch
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(m, Dataset.of(x, y)));
        assertTrue(e.getMessage().contains("label 3 of example 9") && e.getMessage().contains("[0, 3)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.fit(m, Dataset.of(Tensor.zeros(DType.F32, 0, 4), new int[0])),
                "empty dataset");
        assertThrows(IllegalArgumentException.class, () -> t.fit(m, Dataset.of(TrainingTest.randomInputs(DType.F32, 1, 10, 5),
                new int[10])), "783-into-784 style width mismatch");
        assertThrows(IllegalArgumentException.class, () -> t.fit(m, Dataset.of(x, Tensor.zeros(DType.F32, 10, 3))),
                "targets for a label loss");
        assertThrows(IllegalArgumentException.class, () -> Dataset.of(x, new int[9]), "label count");
        assertArrayEquals(before, m.values().floats());
        assertEquals(0, t.steps());
    }

    @Test
    void lossesRefuseBadBatches() {
        Context ctx = new Context();
        Loss ce = Loss.softmaxCrossEntropy();
        Tensor logits = Tensor.zeros(DType.F32, 4, 3);
        assertThrows(IllegalArgumentException.class, () -> ce.forward(Tensor.zeros(DType.F32, 0, 3), new int[0], 0, ctx));
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, new int[]{0, 1, 2, -1}, 0, ctx));
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, new int[]{0, 1, 2}, 0, ctx));
        assertThrows(IllegalArgumentException.class, () -> ce.forward(logits, Tensor.zeros(DType.F32, 4, 3), ctx));
        assertThrows(IllegalStateException.class, () -> ce.backward(ctx), "backward before any forward");
        Loss mse = Loss.mse();
        assertThrows(IllegalArgumentException.class, () -> mse.forward(logits, Tensor.zeros(DType.F32, 4, 2), ctx));
        assertThrows(IllegalArgumentException.class, () -> mse.forward(logits, Tensor.zeros(DType.F64, 4, 3), ctx));
        assertThrows(IllegalArgumentException.class, () -> mse.forward(logits, new int[4], 0, ctx));
    }

    @Test
    void gradientOfWrongShapeIsRefusedWithoutTouchingGradients() {
        Model m = new Model(new Linear(4, 2), DType.F64, 1);
        Context ctx = new Context();
        m.forward(Tensor.zeros(DType.F64, 3, 4), ctx, Mode.TRAIN);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> m.backward(Tensor.zeros(DType.F64, 3, 3), ctx));
        assertTrue(e.getMessage().contains("[3, 2]") && e.getMessage().contains("[3, 3]"), e.getMessage());
        assertEquals(0.0, m.gradNorm());
    }

    @Test
    void aLayerBelongsToOneModel() {
        Linear l = new Linear(2, 2);
        new Model(l, DType.F32, 1);
        assertThrows(IllegalArgumentException.class, () -> new Model(l, DType.F32, 1));
        Linear shared = new Linear(2, 2);
        assertThrows(IllegalArgumentException.class, () -> new Model(new Sequential(shared, shared), DType.F32, 1));
        Activation relu = Activation.relu();
        assertThrows(IllegalArgumentException.class, () -> new Model(new Sequential(new Linear(2, 2), relu,
                new Linear(2, 2), relu), DType.F32, 1), "a parameter-free layer used twice would share its context state");
        Model other = new Model(new Linear(2, 2), DType.F32, 1);
        Sgd sgd = new Sgd(0.1);
        sgd.step(other);
        Model mine = new Model(new Linear(2, 2), DType.F32, 1);
        assertThrows(IllegalArgumentException.class, () -> new Trainer(Loss.softmaxCrossEntropy(), sgd)
                .fit(mine, Dataset.of(Tensor.zeros(DType.F32, 3, 2), new int[3])), "optimizer of another model");
        assertThrows(IllegalStateException.class, () -> new Linear(2, 2).forward(Tensor.zeros(DType.F32, 1, 2),
                new Context(), Mode.TRAIN), "unbound parameters");
    }
}
