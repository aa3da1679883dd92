package dev.vecprop.bench;

import dev.vecprop.kernels.Activations;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cache-resident activations (issue 4): vecprop vs a scalar {@code Math.exp}/{@code Math.tanh} loop vs a
 * straightforward {@code lanewise(EXP/TANH)} loop, on the same data. Score: calls per second; elements per
 * second = n·score. Compare ratios within one run. On a host shared with other jobs, prefer {@code -bm sample}
 * (fastest and median call) or {@link ActivationInterleavedBenchmark}, which times these same methods in
 * round-robin order: throughput means of benchmarks run one after another pick up whatever load came and went.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ActivationComputeBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Param({"16384", "1048576"})
    public int n;

    private float[] x;
    private float[] y;
    private double[] xd;
    private double[] yd;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(7);
        x = new float[n];
        y = new float[n];
        xd = new double[n];
        yd = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-6, 6);
            xd[i] = x[i];
        }
    }

    @Benchmark
    public float[] sigmoidVecprop() {
        Activations.sigmoid(x, 0, y, 0, n);
        return y;
    }

    @Benchmark
    public float[] sigmoidScalar() {
        for (int i = 0; i < n; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
        return y;
    }

    @Benchmark
    public float[] sigmoidLanewise() {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector.broadcast(S, 1f).div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
        return y;
    }

    @Benchmark
    public float[] tanhVecprop() {
        Activations.tanh(x, 0, y, 0, n);
        return y;
    }

    @Benchmark
    public float[] tanhScalar() {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
        return y;
    }

    @Benchmark
    public float[] tanhLanewise() {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += S.length()) {
            FloatVector.fromArray(S, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
        return y;
    }

    @Benchmark
    public float[] geluVecprop() {
        Activations.gelu(x, 0, y, 0, n);
        return y;
    }

    @Benchmark
    public float[] geluScalar() {
        for (int i = 0; i < n; i++) {
            float v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
        return y;
    }

    @Benchmark
    public float[] geluLanewise() {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            FloatVector u = v.mul(v).mul(v).fma(FloatVector.broadcast(S, 0.044715f), v).mul(0.7978845608f);
            v.mul(0.5f).mul(u.lanewise(VectorOperators.TANH).add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
        return y;
    }

    @Benchmark
    public float[] siluVecprop() {
        Activations.silu(x, 0, y, 0, n);
        return y;
    }

    @Benchmark
    public float[] siluScalar() {
        for (int i = 0; i < n; i++) {
            y[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
        }
        return y;
    }

    @Benchmark
    public float[] siluLanewise() {
        int i = 0;
        for (int b = S.loopBound(n); i < b; i += S.length()) {
            FloatVector v = FloatVector.fromArray(S, x, i);
            v.div(v.neg().lanewise(VectorOperators.EXP).add(1f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) (x[i] / (1.0 + Math.exp(-x[i])));
        }
        return y;
    }

    /** Exact (erf) GELU, float: the vector path (erfc rational in double lanes). */
    @Benchmark
    public float[] geluErfVecprop() {
        Activations.geluErf(x, 0, y, 0, n);
        return y;
    }

    /**
     * Exact GELU through the float64 scalar reference (the double API has no vector formula for it): the
     * code the float path ran before it had one, so this is its scalar baseline. Same elements as above.
     */
    @Benchmark
    public double[] geluErfScalar() {
        Activations.geluErf(xd, 0, yd, 0, n);
        return yd;
    }
}
