package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;

import dev.vecprop.nn.Adam;
import dev.vecprop.nn.AdamW;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Dataset;
import dev.vecprop.nn.LearningRate;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Optimizer;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Sgd;
import dev.vecprop.nn.Tensor;
import dev.vecprop.nn.Trainer;
import dev.vecprop.testing.Approx;
import dev.vecprop.testing.BackwardContract;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.Network;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whole-model properties over random networks: the backward contract, optimizer laws, gradient clipping,
 * determinism, concurrent inference, save → load, and training sanity.
 */
@ExtendWith(RerunHint.class)
class ModelPropertiesTest {

    static Stream<Case<Network>> networks() {
        return Cases.of("model-networks", 10, r -> Network.draw(r, 33, Network.ACTIVATIONS));
    }

    /** A model of the network with non-zero gradients from one backward of random dy. */
    static Model withGradients(Network n, DType dtype, Rng rng) {
        Model m = new Model(n.build(), dtype, rng.nextLong());
        Context ctx = new Context();
        Tensor y = m.forward(rng.tensor(n.batch(), n.in()).copy(dtype), ctx, Mode.TRAIN);
        m.backward(rng.tensor(y.shape()).copy(dtype), ctx);
        return m;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void backwardContract(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        Model m = new Model(n.build(), DType.F64, rng.nextLong());
        BackwardContract.of(m, rng.tensor(n.batch(), n.in())).seed(rng.nextLong()).assertAll();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void learningRateZeroIsIdentity(Case<Network> c) {
        for (DType dtype : DType.values()) {
            List<Supplier<Optimizer>> optimizers = List.of(
                    () -> new Sgd(0),
                    () -> new Sgd(LearningRate.constant(0), 0.9, true, 0.1),
                    () -> new Adam(0),
                    () -> new AdamW(0));
            for (Supplier<Optimizer> make : optimizers) {
                Model m = withGradients(c.value(), dtype, c.rng());
                double[] before = m.values().toDoubleArray();
                Optimizer opt = make.get();
                opt.step(m);
                opt.step(m);
                assertArrayEquals(before, m.values().toDoubleArray(), 0, dtype + " " + opt.getClass().getSimpleName()
                        + " with lr = 0 changed the parameters");
            }
        }
    }

    /** AdamW with zero gradients from a fresh state: m = v = 0, so each step only decays θ by (1 − lr·wd). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void adamWWithZeroGradientOnlyDecays(Case<Network> c) {
        Rng rng = c.rng();
        double lr = rng.uniform(1e-3, 1e-1);
        double wd = rng.uniform(1e-3, 1e-1);
        for (DType dtype : DType.values()) {
            Model m = new Model(c.value().build(), dtype, rng.nextLong());
            double[] before = m.values().toDoubleArray();
            Optimizer opt = new AdamW(LearningRate.constant(lr), 0.9, 0.999, 1e-8, wd);
            int steps = 3;
            for (int s = 0; s < steps; s++) {
                opt.step(m);
            }
            double[] expected = new double[before.length];
            for (int i = 0; i < before.length; i++) {
                expected[i] = before[i] * Math.pow(1 - lr * wd, steps);
            }
            double eps = dtype == DType.F32 ? Approx.FLOAT_EPS : Approx.DOUBLE_EPS;
            Approx.assertClose(dtype + " AdamW(lr=" + lr + ", wd=" + wd + "), g = 0, " + steps + " steps", expected,
                    m.values().toDoubleArray(), 4 * steps * eps, 0);
        }
    }

    /** SGD with momentum 0 is θ − lr·(g + wd·θ); with momentum its first step is the same (buffer = g). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void sgdLaws(Case<Network> c) {
        Rng rng = c.rng();
        double lr = rng.uniform(1e-3, 1);
        double wd = rng.pick(0.0, rng.uniform(0, 0.1));
        long seed = rng.nextLong();
        for (DType dtype : DType.values()) {
            double eps = dtype == DType.F32 ? Approx.FLOAT_EPS : Approx.DOUBLE_EPS;
            for (double momentum : new double[] {0, 0.9}) {
                Model m = withGradients(c.value(), dtype, new Rng(seed));
                double[] theta = m.values().toDoubleArray();
                double[] g = m.grads().toDoubleArray();
                new Sgd(LearningRate.constant(lr), momentum, false, wd).step(m);
                double[] expected = new double[theta.length];
                for (int i = 0; i < theta.length; i++) {
                    expected[i] = theta[i] - lr * (g[i] + wd * theta[i]);
                }
                Approx.assertClose(String.format(Locale.ROOT, "%s SGD lr=%g momentum=%g wd=%g, first step", dtype,
                        lr, momentum, wd), expected, m.values().toDoubleArray(), 4 * eps, 4 * eps * max(expected));
            }
        }
    }

    /** After clipping the global norm is ≤ max, the direction is unchanged, and a small norm is left alone. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void clippingBoundsTheNormAndKeepsTheDirection(Case<Network> c) {
        Rng rng = c.rng();
        for (DType dtype : DType.values()) {
            double eps = dtype == DType.F32 ? Approx.FLOAT_EPS : Approx.DOUBLE_EPS;
            Model m = withGradients(c.value(), dtype, rng.split());
            double[] g = m.grads().toDoubleArray();
            double norm = norm(g);
            Approx.assertClose(dtype + " gradNorm", norm, m.gradNorm(), Approx.float64Rtol(g.length) + 4 * eps, 0);
            double max = norm * rng.uniform(0.05, 0.95);
            double before = m.clipGradNorm(max);
            Approx.assertClose(dtype + " clipGradNorm returns the norm before clipping", norm, before,
                    Approx.float64Rtol(g.length) + 4 * eps, 0);
            double[] clipped = m.grads().toDoubleArray();
            double after = norm(clipped);
            assertTrue(after <= max * (1 + 4 * eps), dtype + " norm after clipping " + after + " > max " + max);
            Approx.assertClose(dtype + " norm after clipping (clip_grad_norm_: max/(norm + 1e-6))", max, after,
                    1e-6 / norm + 8 * eps, 0);
            double scale = max / norm;
            double[] direction = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                direction[i] = scale * g[i];
            }
            Approx.assertClose(dtype + " clipped gradient = scale · gradient", direction, clipped,
                    1e-6 / norm + 8 * eps, 8 * eps * max(direction));
            double[] unchanged = m.grads().toDoubleArray();
            m.clipGradNorm(after * 2);
            assertArrayEquals(unchanged, m.grads().toDoubleArray(), 0, dtype + " clipping below the bound changed g");
        }
    }

    /** The same seed gives bitwise the same weights and outputs; another seed other weights. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void determinism(Case<Network> c) {
        Rng rng = c.rng();
        long seed = rng.nextLong();
        Network n = c.value();
        for (DType dtype : DType.values()) {
            Model a = new Model(n.build(), dtype, seed);
            Model b = new Model(n.build(), dtype, seed);
            assertArrayEquals(a.values().toDoubleArray(), b.values().toDoubleArray(), 0, "same seed, same weights");
            assertFalse(java.util.Arrays.equals(a.values().toDoubleArray(),
                    new Model(n.build(), dtype, seed + 1).values().toDoubleArray()), "another seed, other weights");
            Tensor x = rng.tensor(n.batch(), n.in()).copy(dtype);
            double[] ya = a.forward(x, new Context(), Mode.INFERENCE).toDoubleArray();
            Context reused = new Context();
            b.forward(x, reused, Mode.INFERENCE);
            assertArrayEquals(ya, b.forward(x, reused, Mode.INFERENCE).toDoubleArray(), 0, "same input, same output");
        }
    }

    /**
     * One context reused across batches of different sizes (workspaces are resized) gives bitwise what a
     * fresh context gives, forward and backward.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void reusedContextAcrossBatchSizesEqualsFreshContext(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        for (DType dtype : DType.values()) {
            Model m = new Model(n.build(), dtype, rng.nextLong());
            Context reused = new Context();
            for (int rows : new int[] {n.batch(), n.batch() + 3, 1, n.batch()}) {
                Tensor x = rng.tensor(rows, n.in()).copy(dtype);
                Context fresh = new Context();
                double[] yFresh = m.forward(x, fresh, Mode.TRAIN).toDoubleArray();
                Tensor y = m.forward(x, reused, Mode.TRAIN);
                assertArrayEquals(yFresh, y.toDoubleArray(), 0, dtype + " forward, " + rows + " rows, reused context");
                Tensor dy = rng.tensor(y.shape()).copy(dtype);
                m.zeroGrad();
                double[] dxFresh = m.backward(dy, fresh).toDoubleArray();
                double[] gFresh = m.grads().toDoubleArray();
                m.zeroGrad();
                assertArrayEquals(dxFresh, m.backward(dy, reused).toDoubleArray(), 0,
                        dtype + " dx, " + rows + " rows, reused context");
                assertArrayEquals(gFresh, m.grads().toDoubleArray(), 0,
                        dtype + " parameter gradients, " + rows + " rows, reused context");
            }
        }
    }

    /** Adam's first step, bias-corrected: θ − lr·g/(|g| + ε) (m̂ = g, v̂ = g²). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void adamFirstStepIsLrTimesSignOfGradient(Case<Network> c) {
        Rng rng = c.rng();
        double lr = rng.uniform(1e-4, 1e-1);
        for (DType dtype : DType.values()) {
            double eps = dtype == DType.F32 ? Approx.FLOAT_EPS : Approx.DOUBLE_EPS;
            Model m = withGradients(c.value(), dtype, rng.split());
            double[] theta = m.values().toDoubleArray();
            double[] g = m.grads().toDoubleArray();
            new Adam(lr).step(m);
            double[] expected = new double[theta.length];
            for (int i = 0; i < theta.length; i++) {
                expected[i] = theta[i] - lr * g[i] / (Math.abs(g[i]) + 1e-8);
            }
            Approx.assertClose(dtype + " Adam(lr=" + lr + ") first step", expected, m.values().toDoubleArray(),
                    16 * eps, 16 * eps * lr);
        }
    }

    /** Inference from 4 threads, each with its own context, equals sequential inference bitwise. */
    @Test
    void concurrentInferenceEqualsSequential() throws Exception {
        Rng rng = new Rng(0xC0C0L);
        Network n = Network.draw(rng, 65, Network.ACTIVATIONS);
        for (DType dtype : DType.values()) {
            Model m = new Model(n.build(), dtype, 7);
            List<Tensor> inputs = new ArrayList<>();
            List<double[]> expected = new ArrayList<>();
            Context ctx = new Context();
            for (int i = 0; i < 16; i++) {
                Tensor x = rng.tensor(rng.dim(33), n.in()).copy(dtype);
                inputs.add(x);
                expected.add(m.forward(x, ctx, Mode.INFERENCE).toDoubleArray());
            }
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<double[]>>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    final int offset = t;
                    futures.add(pool.submit(() -> {
                        Context own = new Context();
                        List<double[]> out = new ArrayList<>();
                        for (int round = 0; round < 20; round++) {
                            for (int i = 0; i < inputs.size(); i++) {
                                int k = (i + offset) % inputs.size();
                                out.add(m.forward(inputs.get(k), own, Mode.INFERENCE).toDoubleArray());
                            }
                        }
                        return out;
                    }));
                }
                for (int t = 0; t < 4; t++) {
                    List<double[]> got = futures.get(t).get();
                    for (int j = 0; j < got.size(); j++) {
                        int k = (j % inputs.size() + t) % inputs.size();
                        assertArrayEquals(expected.get(k), got.get(j), 0, dtype + " thread " + t + " result " + j);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** save → load into a fresh model of another seed gives bitwise the same parameters and outputs. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void saveLoadRoundTrip(Case<Network> c, @TempDir Path dir) throws Exception {
        Rng rng = c.rng();
        Network n = c.value();
        for (DType dtype : DType.values()) {
            Model a = new Model(n.build(), dtype, rng.nextLong());
            Path file = dir.resolve("model-" + dtype + ".safetensors");
            a.save(file);
            assertTrue(Files.size(file) > (long) a.parameterCount() * dtype.bytes(), "file holds every value");
            Model b = new Model(n.build(), dtype, rng.nextLong());
            b.load(file);
            assertArrayEquals(a.values().toDoubleArray(), b.values().toDoubleArray(), 0, dtype + " values after load");
            Tensor x = rng.tensor(n.batch(), n.in()).copy(dtype);
            assertArrayEquals(a.forward(x, new Context(), Mode.INFERENCE).toDoubleArray(),
                    b.forward(x, new Context(), Mode.INFERENCE).toDoubleArray(), 0, dtype + " outputs after load");
        }
    }

    /** NaN in one input row reaches that row's outputs (it is not silently dropped). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void nanPropagates(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        Model m = new Model(n.build(), DType.F64, rng.nextLong());
        Tensor x = rng.tensor(n.batch(), n.in());
        int row = rng.nextInt(n.batch());
        x.set(row * n.in() + rng.nextInt(n.in()), Double.NaN);
        Tensor y = m.forward(x, new Context(), Mode.INFERENCE);
        boolean any = false;
        for (int k = 0; k < y.cols(); k++) {
            any |= Double.isNaN(y.get(row, k));
        }
        assertTrue(any, "NaN in input row " + row + " vanished from the output");
    }

    /**
     * Training sanity: the initial CE of a freshly initialised classifier is near ln(classes), and 20 examples
     * are fitted to a loss near 0.
     */
    @Test
    void initialLossIsLnClassesAndTwentyExamplesOverfit() {
        Rng rng = new Rng(0x7EA1L);
        int in = 16;
        int classes = 5;
        int examples = 20;
        Tensor x = rng.tensor(examples, in).copy(DType.F32);
        int[] labels = new int[examples];
        for (int i = 0; i < examples; i++) {
            labels[i] = rng.nextInt(classes);
        }
        Model m = new Model(new Sequential(new Linear(in, 64), Network.activation("tanh").get(),
                new Linear(64, classes, dev.vecprop.nn.Init.XAVIER_NORMAL, true)), DType.F32, 3);
        // shrink the last layer: logits near 0 give CE = ln(classes) exactly; Xavier gives logits of O(1)
        dev.vecprop.nn.Parameter last = m.parameter("2.weight");
        for (int i = 0; i < last.size(); i++) {
            last.value().set(i, last.value().get(i) * 1e-3);
        }
        Trainer trainer = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-2)).batchSize(examples).seed(1);
        Dataset data = Dataset.of(x, labels);
        double initial = trainer.evaluate(m, data).loss();
        assertEquals(Math.log(classes), initial, 0.01, "initial cross-entropy vs ln(" + classes + ")");
        trainer.epochs(300).fit(m, data);
        Trainer.Evaluation end = trainer.evaluate(m, data);
        assertTrue(end.loss() < 0.01, "loss after 300 full-batch Adam steps on 20 examples: " + end.loss());
        assertEquals(1.0, end.accuracy(), 0, "training accuracy");
    }

    private static double norm(double[] g) {
        double s = 0;
        for (double v : g) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double max(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
