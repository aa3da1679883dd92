package dev.vecprop.bench;

import dev.vecprop.kernels.Parallelism;
import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Adam;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Optimizer;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Tensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full training step of the MLP 784-256-128-10 (ReLU, fused softmax + cross-entropy, Adam), as
 * numpy_reference.py's {@code MLP.trainStep} and {@code Trainer} do it: forward, loss, backward into freshly
 * zeroed parameter gradients ({@code Model.computeGradients}: no gradient for the input, which numpy does not
 * compute either, and no separate zeroing pass),
 * optimizer update, on one fixed batch. Score: steps/s; the report shows samples/s (× batch).
 *
 * <p>{@code threads} sets the default {@link Parallelism} (what {@code -Dvecprop.threads} sets), which the
 * layers' GEMMs use. {@link TrainStepGemmsBenchmark} runs only this step's GEMMs: run both in one JMH call
 * ({@code TrainStep}) for "step time / sum of its GEMMs".
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainStepBenchmark {

    @Param({"128"})
    public int batch;

    @Param({"f32", "f64"})
    public String precision;

    @Param({"1"})
    public int threads;

    private Model model;
    private Loss loss;
    private Optimizer optimizer;
    private Context ctx;
    private Tensor x;
    private int[] labels;
    private Parallelism saved;

    @Setup(Level.Trial)
    public void setUp() {
        saved = Parallelism.getDefault();
        Parallelism.setDefault(Parallelism.threads(threads));
        DType dtype = switch (precision) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw new IllegalArgumentException("precision must be f32 or f64, got '" + precision + "'");
        };
        model = new Model(new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, 10)), dtype, 42);
        loss = Loss.softmaxCrossEntropy();
        optimizer = new Adam(1e-3);
        ctx = new Context();
        SplittableRandom rnd = new SplittableRandom(7);
        double[] pixels = new double[batch * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextDouble();
        }
        x = Tensor.of(pixels, batch, 784).copy(dtype);
        labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(10);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallelism.setDefault(saved);
    }

    @Benchmark
    public double step() {
        Tensor out = model.forward(x, ctx, Mode.TRAIN);
        double l = loss.forward(out, labels, 0, ctx);
        model.computeGradients(loss.backward(ctx), ctx); // zeroGrad + backwardParameters, fused (as Trainer)
        optimizer.step(model);
        return l;
    }
}
