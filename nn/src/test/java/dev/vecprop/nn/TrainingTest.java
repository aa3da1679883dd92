package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import dev.vecprop.kernels.Parallelism;
import dev.vecprop.kernels.Vectorization;
import org.junit.jupiter.api.Test;

/** Training sanity: initial loss, overfitting, determinism, NaN handling, optimizers, schedules. */
class TrainingTest {

    static Tensor randomInputs(DType dtype, long seed, int n, int d) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor x = Tensor.zeros(dtype, n, d);
        for (int i = 0; i < x.size(); i++) {
            x.set(i, r.nextDouble(-1, 1));
        }
        return x;
    }

    static int[] randomLabels(long seed, int n, int classes) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = r.nextInt(classes);
        }
        return y;
    }

    static Layer mlp(int in, int hidden, int out) {
        return new Sequential(new Linear(in, hidden), Activation.relu(), new Linear(hidden, hidden),
                Activation.relu(), new Linear(hidden, out, Init.XAVIER_NORMAL, true));
    }

    @Test
    void initialCrossEntropyIsAboutLnClasses() {
        int classes = 10;
        // small last-layer weights make the logits nearly equal, so the loss must be ≈ ln(10)
        Model m = new Model(new Sequential(new Linear(20, 32), Activation.relu(),
                new Linear(32, classes, Init.XAVIER_NORMAL, true)), DType.F32, 1);
        Kern.scale(m.parameter("2.weight").value(), 0.01);
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1)).batchSize(64);
        Trainer.Evaluation e = t.evaluate(m, Dataset.of(randomInputs(DType.F32, 2, 500, 20), randomLabels(3, 500, classes)));
        assertEquals(Math.log(classes), e.loss(), 0.02);
    }

    @Test
    void twentyExamplesOverfitToNearZeroLoss() {
        Model m = new Model(mlp(8, 32, 5), DType.F32, 4);
        Dataset d = Dataset.of(randomInputs(DType.F32, 5, 20, 8), randomLabels(6, 20, 5));
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-2)).epochs(300).batchSize(20).seed(1);
        List<TrainingListener.EpochStats> h = t.fit(m, d);
        Trainer.Evaluation e = t.evaluate(m, d);
        assertTrue(h.get(0).loss() > 1.0, "starts high: " + h.get(0).loss());
        assertTrue(e.loss() < 1e-2, "final loss " + e.loss());
        assertEquals(1.0, e.accuracy());
    }

    @Test
    void regressionWithMseAndAdamWLearnsALinearMap() {
        Tensor x = randomInputs(DType.F64, 7, 64, 3);
        Tensor y = Tensor.zeros(DType.F64, 64, 1);
        for (int i = 0; i < 64; i++) {
            y.set(i, 2 * x.get(i, 0) - x.get(i, 1) + 0.5 * x.get(i, 2) + 0.3);
        }
        Model m = new Model(new Linear(3, 1, Init.XAVIER_UNIFORM, true), DType.F64, 8);
        Trainer t = new Trainer(Loss.mse(), new AdamW(LearningRate.cosine(0.05, 10, 1500, 0.0), 0.9, 0.999, 1e-8, 0))
                .epochs(200).batchSize(8).seed(2);
        t.fit(m, Dataset.of(x, y));
        assertTrue(t.evaluate(m, Dataset.of(x, y)).loss() < 1e-6);
        assertEquals(0.3, m.parameter("bias").value().get(0), 1e-3);
    }

    @Test
    void binaryClassificationWithBceWithLogits() {
        Tensor x = randomInputs(DType.F32, 9, 200, 2);
        Tensor y = Tensor.zeros(DType.F32, 200, 1);
        for (int i = 0; i < 200; i++) {
            y.set(i, x.get(i, 0) + x.get(i, 1) > 0 ? 1 : 0);
        }
        Model m = new Model(new Sequential(new Linear(2, 16), Activation.tanh(), new Linear(16, 1)), DType.F32, 3);
        Trainer t = new Trainer(Loss.bceWithLogits(), new Sgd(LearningRate.constant(0.5), 0.9, true, 0))
                .epochs(60).batchSize(20);
        t.fit(m, Dataset.of(x, y));
        assertTrue(t.evaluate(m, Dataset.of(x, y)).accuracy() > 0.95);
    }

    private static double[] train(long modelSeed, long dataSeed) {
        Model m = new Model(new Sequential(new Linear(10, 16), Activation.gelu(), new Dropout(0.2, 5),
                new LayerNorm(16), new Linear(16, 3)), DType.F32, modelSeed);
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-2)).epochs(3).batchSize(16).seed(dataSeed)
                .clipGradNorm(1.0);
        t.fit(m, Dataset.of(randomInputs(DType.F32, 1, 100, 10), randomLabels(2, 100, 3)));
        return m.values().toDoubleArray();
    }

    @Test
    void sameSeedsGiveBitwiseSameWeights() {
        double[] a = train(11, 12);
        double[] b = train(11, 12);
        assertArrayEquals(a, b); // exact equality of every double (float widened)
        assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(train(11, 13)),
                "another shuffle seed must change the result (else the test could not fail)");
    }

    private static float[] trainWide() {
        // 128×256×300 GEMMs: above the kernels' split threshold, so two threads really split the work
        Model m = new Model(new Sequential(new Linear(300, 256), Activation.relu(), new Linear(256, 10)), DType.F32, 3);
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(128).seed(4);
        t.fit(m, Dataset.of(randomInputs(DType.F32, 5, 512, 300), randomLabels(6, 512, 10)));
        return m.values().floats().clone();
    }

    @Test
    void sameWeightsForAnyThreadCount() {
        Parallelism before = Parallelism.getDefault();
        AtomicInteger handed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try {
            Parallelism.setDefault(Parallelism.serial());
            float[] one = trainWide();
            Parallelism.setDefault(Parallelism.threads(2));
            float[] two = trainWide();
            assertArrayEquals(one, two);
            // the same two threads, through an executor that counts what it is handed: without this, a training
            // run that never split its work would compare serial with serial and pass
            Parallelism.setDefault(Parallelism.of(r -> {
                handed.incrementAndGet();
                pool.execute(r);
            }, 2));
            float[] counted = trainWide();
            assertArrayEquals(one, counted);
            // the scalar fallback runs every GEMM on the calling thread; the vector path splits these sizes
            if (Vectorization.isVectorized()) {
                assertTrue(handed.get() > 0, "no work was handed to a second thread");
            }
        } finally {
            Parallelism.setDefault(before);
            pool.shutdown();
        }
    }

    @Test
    void nanLossStopsTrainingAndKeepsThePreviousWeights() {
        Model m = new Model(mlp(4, 8, 3), DType.F32, 1);
        Tensor x = randomInputs(DType.F32, 1, 40, 4);
        int[] y = randomLabels(2, 40, 3);
        List<double[]> before = new ArrayList<>();
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1)).batchSize(10).shuffle(false)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepStats s) {
                        if (s.step() == 1) {
                            x.set(25 * 4, Double.NaN); // row 25: poisons batch 2 (rows 20..29)
                        }
                        before.add(m.values().toDoubleArray());
                    }
                });
        NonFiniteLossException e = assertThrows(NonFiniteLossException.class, () -> t.fit(m, Dataset.of(x, y)));
        assertEquals(2, e.step());
        assertTrue(e.getMessage().contains("loss is NaN"), e.getMessage());
        assertArrayEquals(before.get(1), m.values().toDoubleArray());
    }

    @Test
    void listenerCanSkipNonFiniteBatches() {
        Model m = new Model(mlp(4, 8, 3), DType.F32, 1);
        Tensor x = randomInputs(DType.F32, 1, 40, 4);
        x.set(0, Double.POSITIVE_INFINITY);
        int[] skipped = {0};
        int[] steps = {0};
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1)).batchSize(10).shuffle(false)
                .listener(new TrainingListener() {
                    @Override
                    public Action onNonFinite(StepStats s) {
                        skipped[0]++;
                        return Action.SKIP_BATCH;
                    }

                    @Override
                    public void onStep(StepStats s) {
                        steps[0]++;
                        assertTrue(Double.isFinite(s.gradNorm()) && s.paramGradNorm(0) >= 0);
                    }
                });
        t.fit(m, Dataset.of(x, randomLabels(2, 40, 3)));
        assertEquals(1, skipped[0]);
        assertEquals(3, steps[0]);
        for (double v : m.values().toDoubleArray()) {
            assertTrue(Double.isFinite(v));
        }
    }

    @Test
    void stepStatsReportPerParameterGradientNorms() {
        Model m = new Model(mlp(4, 8, 3), DType.F64, 1);
        double[] seen = new double[1];
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.0)).batchSize(40).listener(
                new TrainingListener() {
                    @Override
                    public void onStep(StepStats s) {
                        double sq = 0;
                        for (int i = 0; i < s.parameters().size(); i++) {
                            sq += s.paramGradNorm(i) * s.paramGradNorm(i);
                            // the gradient arena still holds this step's gradients: recompute one norm independently
                            Parameter p = s.parameters().get(i);
                            double own = 0;
                            for (int k = 0; k < p.size(); k++) {
                                own += p.grad().get(k) * p.grad().get(k);
                            }
                            assertEquals(Math.sqrt(own), s.paramGradNorm(i), 1e-12);
                        }
                        seen[0] = s.gradNorm();
                        assertEquals(Math.sqrt(sq), s.gradNorm(), 1e-12);
                        assertTrue(s.samplesPerSecond() > 0);
                    }
                });
        t.fit(m, Dataset.of(randomInputs(DType.F64, 1, 40, 4), randomLabels(2, 40, 3)));
        assertTrue(seen[0] > 0);
    }

    @Test
    void learningRateSchedules() {
        LearningRate c = LearningRate.cosine(1.0, 10, 110, 0.1);
        assertEquals(0.1, c.at(0), 1e-15);
        assertEquals(1.0, c.at(9), 1e-15);
        assertEquals(1.0, c.at(10), 1e-15);
        assertEquals(0.55, c.at(60), 1e-12);
        assertEquals(0.1, c.at(110), 1e-15);
        assertEquals(0.1, c.at(1000), 1e-15);
        LearningRate s = LearningRate.step(1.0, 3, 0.5);
        assertEquals(1.0, s.at(2));
        assertEquals(0.5, s.at(3));
        assertEquals(0.25, s.at(7));
        LearningRate w = LearningRate.constant(0.2).withWarmup(4);
        assertEquals(0.05, w.at(0), 1e-15);
        assertEquals(0.2, w.at(3), 1e-15);
        assertEquals(0.2, w.at(100), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> LearningRate.cosine(1, 5, 5, 0));
    }

    @Test
    void optimizerLaws() {
        // lr = 0 is the identity; AdamW with g = 0 decays by exactly (1 − lr·wd) per step
        Model m = new Model(new Linear(3, 2), DType.F64, 1);
        double[] w0 = m.values().toDoubleArray();
        Kern.fill(m.grads(), 0.7);
        new Adam(0.0).step(m);
        new Sgd(LearningRate.constant(0), 0.9, true, 0.1).step(m);
        assertArrayEquals(w0, m.values().toDoubleArray());
        m.zeroGrad();
        AdamW opt = new AdamW(LearningRate.constant(0.1), 0.9, 0.999, 1e-8, 0.5);
        opt.step(m);
        opt.step(m);
        double[] w2 = m.values().toDoubleArray();
        for (int i = 0; i < w0.length; i++) {
            assertEquals(w0[i] * 0.95 * 0.95, w2[i], 1e-15);
        }
        // first Adam step moves every weight by lr·sign(g) (bias correction), up to ε
        Model m2 = new Model(new Linear(3, 2), DType.F64, 1);
        double[] v0 = m2.values().toDoubleArray();
        for (int i = 0; i < v0.length; i++) {
            m2.grads().set(i, i % 2 == 0 ? 0.3 : -2.0);
        }
        new Adam(0.01).step(m2);
        for (int i = 0; i < v0.length; i++) {
            assertEquals(v0[i] - 0.01 * Math.signum(m2.grads().get(i)), m2.values().get(i), 1e-9);
        }
        assertThrows(IllegalArgumentException.class, () -> opt.step(m2), "an optimizer serves one model");
    }

    @Test
    void sgdMomentumMatchesHandComputedSteps() {
        Model m = new Model(new Linear(1, 1, Init.ZEROS, false), DType.F64, 1);
        Sgd sgd = new Sgd(LearningRate.constant(0.1), 0.5, false, 0);
        m.grads().set(0, 1.0);
        sgd.step(m); // b = 1, w = -0.1
        sgd.step(m); // b = 1.5, w = -0.25
        assertEquals(-0.25, m.values().get(0), 1e-15);
        Model n = new Model(new Linear(1, 1, Init.ZEROS, false), DType.F64, 1);
        Sgd nest = new Sgd(LearningRate.constant(0.1), 0.5, true, 0);
        n.grads().set(0, 1.0);
        nest.step(n); // b = 1, g = 1.5, w = -0.15
        nest.step(n); // b = 1.5, g = 1.75, w = -0.325
        assertEquals(-0.325, n.values().get(0), 1e-15);
    }

    @Test
    void clipGradNormBoundsTheNorm() {
        Model m = new Model(new Linear(3, 2), DType.F64, 1);
        for (int i = 0; i < m.parameterCount(); i++) {
            m.grads().set(i, i + 1);
        }
        double before = m.clipGradNorm(1.0);
        assertEquals(Math.sqrt(1 + 4 + 9 + 16 + 25 + 36 + 49 + 64), before, 1e-12);
        assertEquals(1.0, m.gradNorm(), 1e-5);
        assertEquals(2.0 / 1.0, m.grads().get(1) / m.grads().get(0), 1e-12, "direction kept");
    }

    /** The update of one full-batch SGD step with lr = 1 and no momentum: exactly −(the clipped gradient). */
    private static double[] sgdStepWithClip(Tensor x, int[] y, double maxNorm) {
        Model m = new Model(new Sequential(new Linear(5, 8), Activation.tanh(), new Linear(8, 3)), DType.F64, 7);
        double[] w0 = m.values().toDoubleArray();
        new Trainer(Loss.softmaxCrossEntropy(), new Sgd(LearningRate.constant(1.0), 0, false, 0)).batchSize(12)
                .shuffle(false).clipGradNorm(maxNorm).fit(m, Dataset.of(x, y));
        double[] w1 = m.values().toDoubleArray();
        double[] step = new double[w0.length];
        for (int i = 0; i < step.length; i++) {
            step[i] = w0[i] - w1[i];
        }
        return step;
    }

    @Test
    void trainerClipsTheStepToTheBoundAlongTheGradient() {
        Tensor x = randomInputs(DType.F64, 4, 12, 5);
        int[] y = randomLabels(5, 12, 3);
        // the unclipped gradient of the same model on the same batch
        Model ref = new Model(new Sequential(new Linear(5, 8), Activation.tanh(), new Linear(8, 3)), DType.F64, 7);
        Context c = new Context();
        Loss loss = Loss.softmaxCrossEntropy();
        loss.forward(ref.forward(x, c, Mode.TRAIN), y, 0, c);
        ref.backward(loss.backward(c), c);
        double[] g = ref.grads().toDoubleArray();
        double norm = 0;
        for (double v : g) {
            norm += v * v;
        }
        norm = Math.sqrt(norm);

        double max = norm / 4; // clipping must act
        double[] step = sgdStepWithClip(x, y, max);
        double stepNorm = 0;
        for (int i = 0; i < g.length; i++) {
            stepNorm += step[i] * step[i];
            // direction and scale per element: PyTorch's coefficient max/(N + 1e-6)
            assertEquals(g[i] * max / (norm + 1e-6), step[i], 1e-12 * norm, "element " + i);
        }
        stepNorm = Math.sqrt(stepNorm);
        assertTrue(stepNorm <= max, "bound: clipped step norm " + stepNorm + " > " + max);
        assertEquals(max * norm / (norm + 1e-6), stepNorm, 1e-12 * max);

        double[] free = sgdStepWithClip(x, y, 2 * norm); // bound above the norm: the step is the gradient
        for (int i = 0; i < g.length; i++) {
            assertEquals(g[i], free[i], 1e-12 * norm, "unclipped element " + i);
        }
        for (double v : sgdStepWithClip(x, y, 0)) { // PyTorch: max_norm 0 zeroes the gradient
            assertEquals(0.0, v);
        }
    }

    @Test
    void clippingBoundHasOneRuleForModelAndTrainer() {
        Model m = new Model(new Linear(3, 2), DType.F32, 1);
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1));
        for (double bad : new double[] {-1e-9, -1, Double.NaN, Double.NEGATIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class, () -> m.clipGradNorm(bad), "Model " + bad);
            assertThrows(IllegalArgumentException.class, () -> t.clipGradNorm(bad), "Trainer " + bad);
        }
        for (double ok : new double[] {0, 1e-3, Double.POSITIVE_INFINITY}) {
            m.clipGradNorm(ok);
            t.clipGradNorm(ok);
        }
        m.grads().set(0, 3f);
        m.grads().set(1, 4f);
        assertEquals(5.0, m.clipGradNorm(Double.POSITIVE_INFINITY), 1e-6);
        assertEquals(4f, m.grads().get(1), "+inf never clips");
        m.clipGradNorm(0);
        assertEquals(0.0, m.gradNorm(), "0 zeroes the gradients, as PyTorch");
    }

    @Test
    void modelClippingIsBitwiseTheKernels() {
        for (DType dt : DType.values()) {
            for (double scale : new double[] {0.01, 1, 100}) {
                Model m = new Model(new Sequential(new Linear(7, 9), new Linear(9, 3)), dt, 2);
                SplittableRandom r = new SplittableRandom(3);
                for (int i = 0; i < m.parameterCount(); i++) {
                    m.grads().set(i, scale * r.nextDouble(-1, 1));
                }
                int n = m.parameterCount();
                double want;
                double[] expected = new double[n];
                if (dt == DType.F32) {
                    float[] g = new float[n];
                    for (int i = 0; i < n; i++) {
                        g[i] = (float) m.grads().get(i);
                    }
                    want = dev.vecprop.kernels.Updates.clipGlobalNorm(new float[][] {g}, new int[] {0}, new int[] {n}, 1.5);
                    for (int i = 0; i < n; i++) {
                        expected[i] = g[i];
                    }
                } else {
                    expected = m.grads().toDoubleArray();
                    want = dev.vecprop.kernels.Updates.clipGlobalNorm(new double[][] {expected}, new int[] {0},
                            new int[] {n}, 1.5);
                }
                assertEquals(want, m.clipGradNorm(1.5), dt + " norm");
                assertArrayEquals(expected, m.grads().toDoubleArray(), dt + " scale " + scale);
            }
        }
    }

    /**
     * float32 Adam against PyTorch's math in double (β, moments and bias corrections 1 − βᵗ all in double), at
     * t = 1 and over 30 steps. The float kernel rounds β to float in the moment updates and in the corrections
     * alike, which keeps m̂ = m/(1 − β₁ᵗ) and v̂ unbiased: at t = 1 exactly g and g². Mixing float-β moments
     * with double-β corrections would be off by ≈ 6.7e-6 relative at every step (β₂ = 0.999 rounds by 1.3e-5
     * relative in 1 − β₂), which the 2e-6 bound below refuses.
     */
    @Test
    void float32AdamMatchesTheDoubleReference() {
        double lr = 1e-3, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (boolean decoupled : new boolean[] {false, true}) {
            double wd = decoupled ? 0.01 : 0;
            Model m = new Model(new Linear(5, 4, Init.ZEROS, false), DType.F32, 1);
            Optimizer opt = decoupled ? new AdamW(LearningRate.constant(lr), b1, b2, eps, wd)
                    : new Adam(LearningRate.constant(lr), b1, b2, eps, 0);
            int n = m.parameterCount();
            double[] p = new double[n], mm = new double[n], vv = new double[n];
            SplittableRandom r = new SplittableRandom(17);
            for (int t = 1; t <= 30; t++) {
                for (int i = 0; i < n; i++) {
                    double g = (float) r.nextDouble(-1, 1);
                    m.grads().set(i, g);
                    p[i] *= 1 - lr * wd;
                    mm[i] = b1 * mm[i] + (1 - b1) * g;
                    vv[i] = b2 * vv[i] + (1 - b2) * g * g;
                    p[i] -= lr / (1 - Math.pow(b1, t)) * mm[i] / (Math.sqrt(vv[i]) / Math.sqrt(1 - Math.pow(b2, t)) + eps);
                }
                opt.step(m);
                for (int i = 0; i < n; i++) {
                    double got = m.values().get(i);
                    // bound: 2e-6 of the largest possible displacement lr·t covers storing p (|p| ≤ lr·t, half an
                    // ulp ≈ 3e-8 relative per step) and m, v in float; a 1 − β rounding mismatch between moments
                    // and corrections gives ≈ 6.7e-6·lr per step (already at t = 1)
                    assertEquals(p[i], got, 2e-6 * lr * t,
                            (decoupled ? "AdamW" : "Adam") + " t=" + t + " element " + i);
                }
            }
        }
    }
}
