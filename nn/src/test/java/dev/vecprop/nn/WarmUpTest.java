package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecprop.kernels.Parallelism;
import org.junit.jupiter.api.Test;

/** A warm-up runs training steps on the side, stops when closed, and changes no result of the real run. */
class WarmUpTest {

    private static Layer network() {
        // wide enough that the GEMMs take the packed path and split between two threads
        return new Sequential(new Linear(300, 256), Activation.relu(), new Linear(256, 10));
    }

    private static float[] train() {
        Model m = new Model(network(), DType.F32, 3);
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(128).seed(4);
        t.fit(m, Dataset.of(TrainingTest.randomInputs(DType.F32, 5, 512, 300), TrainingTest.randomLabels(6, 512, 10)));
        return m.values().floats().clone();
    }

    private static void awaitSteps(WarmUp w, long n) throws InterruptedException {
        long until = System.nanoTime() + 60_000_000_000L;
        while (w.steps() < n && w.failure() == null && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertNull(w.failure());
        assertTrue(w.steps() >= n, "the warm-up made " + w.steps() + " steps");
    }

    @Test
    void trainingBesideARunningWarmUpGivesBitwiseTheSameWeights() throws InterruptedException {
        Parallelism before = Parallelism.getDefault();
        try {
            for (Parallelism p : new Parallelism[] {Parallelism.serial(), Parallelism.threads(2)}) {
                Parallelism.setDefault(p);
                float[] alone = train();
                float[] beside;
                try (WarmUp w = WarmUp.start(WarmUpTest::network, DType.F32, Loss.softmaxCrossEntropy(),
                        () -> new Adam(1e-3), 128, 300)) {
                    beside = train(); // the warm-up runs meanwhile, not closed: the worst case
                    awaitSteps(w, 1); // it did run kernels
                }
                assertArrayEquals(alone, beside, "with " + p);
            }
            // the comparison can fail: another shuffle seed gives other weights
            Model m = new Model(network(), DType.F32, 3);
            new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(128).seed(5).fit(m,
                    Dataset.of(TrainingTest.randomInputs(DType.F32, 5, 512, 300), TrainingTest.randomLabels(6, 512, 10)));
            assertFalse(java.util.Arrays.equals(train(), m.values().floats()));
        } finally {
            Parallelism.setDefault(before);
        }
    }

    @Test
    void closeStopsTheThreadAfterItsStep() throws InterruptedException {
        WarmUp w = WarmUp.start(WarmUpTest::network, DType.F32, Loss.softmaxCrossEntropy(), () -> new Adam(1e-3), 32, 300);
        awaitSteps(w, 3);
        assertFalse(w.await(1), "runs until closed");
        w.close();
        assertTrue(w.await(60_000), "ended after close");
        long steps = w.steps();
        Thread.sleep(20);
        assertTrue(w.steps() == steps, "no steps after the end");
        assertNull(w.failure());
    }

    @Test
    void targetLossesWarmUpToo() throws InterruptedException {
        try (WarmUp w = WarmUp.start(() -> new Sequential(new Linear(6, 8), Activation.tanh(), new Linear(8, 2)),
                DType.F64, Loss.mse(), () -> new Sgd(0.01), 16, 6)) {
            awaitSteps(w, 2);
        }
    }

    @Test
    void badArgumentsAreRefusedAndAMismatchedNetworkEndsTheWarmUpQuietly() throws InterruptedException {
        assertThrows(IllegalArgumentException.class,
                () -> WarmUp.start(WarmUpTest::network, DType.F32, Loss.mse(), () -> new Sgd(0.1), 0, 300));
        assertThrows(IllegalArgumentException.class,
                () -> WarmUp.start(WarmUpTest::network, DType.F32, Loss.mse(), () -> new Sgd(0.1), 8));
        assertThrows(IllegalArgumentException.class,
                () -> WarmUp.start(WarmUpTest::network, DType.F32, Loss.mse(), () -> new Sgd(0.1), 8, 300, 0));
        // 299 inputs into a 300-input network: the probe forward refuses it on the warm-up thread, which ends
        WarmUp w = WarmUp.start(WarmUpTest::network, DType.F32, Loss.softmaxCrossEntropy(), () -> new Sgd(0.1), 8, 299);
        assertTrue(w.await(60_000));
        assertInstanceOf(IllegalArgumentException.class, w.failure());
        assertTrue(w.steps() == 0);
        w.close(); // harmless after the end
    }
}
