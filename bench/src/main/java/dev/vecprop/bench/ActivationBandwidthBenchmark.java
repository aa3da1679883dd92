package dev.vecprop.bench;

import dev.vecprop.kernels.Activation;
import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.Blas1;
import dev.vecprop.kernels.Updates;
import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import java.util.concurrent.TimeUnit;
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
 * Memory-bound kernels at 2^24 floats (64 MiB per array) vs a copy measured in the same run (issue 4:
 * ≥ 80% of copy bandwidth). Bytes per element moved (read + write): copy 8, vector-loop copy 8, relu 8, bias+relu 8,
 * axpy 12, Adam/AdamW 28 (reads p, g, m, v; writes p, m, v). GB/s = n·bytes·score / 1e9.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class ActivationBandwidthBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Param({"16777216"})
    public int n;

    private float[] x;
    private float[] y;
    private float[] g;
    private float[] m;
    private float[] v;
    private float[] bias;
    private int step;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(11);
        x = new float[n];
        y = new float[n];
        g = new float[n];
        m = new float[n];
        v = new float[n];
        bias = new float[4096];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextDouble(-1, 1);
            g[i] = (float) r.nextDouble(-1, 1);
        }
        for (int j = 0; j < bias.length; j++) {
            bias[j] = (float) r.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float[] copy() {
        System.arraycopy(x, 0, y, 0, n);
        return y;
    }

    /**
     * The same copy written as a Vector API loop: the fastest a Java loop can store. The JDK's copy stub (above,
     * once C2 has compiled the caller) writes without first reading the destination lines; a Java store always
     * reads its line first (read for ownership), so a kernel that writes an array it does not read, relu
     * included, cannot beat this loop. It is the ceiling for relu and bias+ReLU.
     */
    @Benchmark
    public float[] vectorLoopCopy() {
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector.fromArray(S, x, i).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = x[i];
        }
        return y;
    }

    @Benchmark
    public float[] relu() {
        Activations.relu(x, 0, y, 0, n);
        return y;
    }

    @Benchmark
    public float[] biasRelu() {
        Activations.biasActivation(Activation.RELU, n / 4096, 4096, x, 0, 4096, bias, 0, y, 0, 4096);
        return y;
    }

    @Benchmark
    public float[] axpy() {
        Blas1.axpy(x, 0, y, 0, n, 1e-3f);
        return y;
    }

    @Benchmark
    public float[] adam() {
        Updates.adam(y, 0, g, 0, m, 0, v, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, 1 + (step++ & 1023));
        return y;
    }

    @Benchmark
    public float[] adamW() {
        Updates.adamW(y, 0, g, 0, m, 0, v, 0, n, 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 1 + (step++ & 1023));
        return y;
    }
}
