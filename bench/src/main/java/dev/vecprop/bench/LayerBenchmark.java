package dev.vecprop.bench;

import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * One layer's forward + backward on a batch, as in training: {@code forward(x, TRAIN)} then {@code backward(dy)}
 * (which adds into the parameter gradients). Layers: {@code linear:IN:OUT}, {@code relu:N}, {@code gelu:N},
 * {@code tanh:N}, {@code sigmoid:N}, {@code layernorm:N}. Score: forward+backward per second; the report shows
 * samples/s (× batch).
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class LayerBenchmark {

    @Param({"linear:784:256", "linear:256:128", "linear:128:10", "relu:256", "gelu:256", "tanh:256", "sigmoid:256",
        "layernorm:256"})
    public String layer;

    @Param({"128"})
    public int batch;

    @Param({"f32"})
    public String precision;

    private Model model;
    private Context ctx;
    private Tensor x;
    private Tensor dy;

    @Setup(Level.Trial)
    public void setUp() {
        DType dtype = switch (precision) {
            case "f32" -> DType.F32;
            case "f64" -> DType.F64;
            default -> throw new IllegalArgumentException("precision must be f32 or f64, got '" + precision + "'");
        };
        String[] p = layer.split(":");
        int in = Integer.parseInt(p[1]);
        int out = p.length > 2 ? Integer.parseInt(p[2]) : in;
        Layer l = switch (p[0]) {
            case "linear" -> new Linear(in, out);
            case "relu" -> Activation.relu();
            case "gelu" -> Activation.gelu();
            case "tanh" -> Activation.tanh();
            case "sigmoid" -> Activation.sigmoid();
            case "layernorm" -> new LayerNorm(in);
            default -> throw new IllegalArgumentException("unknown layer '" + layer + "'");
        };
        model = new Model(l, dtype, 42);
        ctx = new Context();
        x = random(batch, in, 1).copy(dtype);
        dy = random(batch, out, 2).copy(dtype);
    }

    private static Tensor random(int rows, int cols, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = rnd.nextDouble(-2, 2);
        }
        return Tensor.of(v, rows, cols);
    }

    @Benchmark
    public Tensor forwardBackward() {
        model.forward(x, ctx, Mode.TRAIN);
        return model.backward(dy, ctx);
    }
}
