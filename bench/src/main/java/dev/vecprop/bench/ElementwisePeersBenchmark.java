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
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Activations, {@code dst[i] = f(src[i])} in float, three ways side by side: vecprop's kernel
 * ({@code Activations.relu/sigmoid/tanh/gelu}), the loop a Java programmer writes with {@code Math}, and a
 * straightforward Vector API loop with {@code lanewise(EXP/TANH)}. Sizes: 2^14 (cache-resident) and 2^24
 * (64 MiB per array: memory-bound). Score: calls/s; the report shows Gelem/s (× size) and the bytes moved
 * (one read + one write per element) as a fraction of the copy bandwidth.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class ElementwisePeersBenchmark {

    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    @Param({"relu", "sigmoid", "tanh", "gelu"})
    public String op;

    @Param({"16384", "16777216"})
    public int size;

    @Param({"f32"})
    public String precision;

    private int code;
    private float[] src;
    private float[] dst;

    @Setup(Level.Trial)
    public void setUp() {
        if (!precision.equals("f32")) {
            throw new IllegalArgumentException("only f32 is benchmarked here, got '" + precision + "'");
        }
        code = switch (op) {
            case "relu" -> 0;
            case "sigmoid" -> 1;
            case "tanh" -> 2;
            case "gelu" -> 3;
            default -> throw new IllegalArgumentException("op must be relu, sigmoid, tanh or gelu, got '" + op + "'");
        };
        SplittableRandom rnd = new SplittableRandom(3);
        src = new float[size];
        dst = new float[size];
        for (int i = 0; i < size; i++) {
            src[i] = (float) rnd.nextDouble(-4, 4);
        }
    }

    @Benchmark
    public float[] vecprop() {
        switch (code) {
            case 0 -> Activations.relu(src, 0, dst, 0, size);
            case 1 -> Activations.sigmoid(src, 0, dst, 0, size);
            case 2 -> Activations.tanh(src, 0, dst, 0, size);
            default -> Activations.gelu(src, 0, dst, 0, size);
        }
        return dst;
    }

    @Benchmark
    public float[] scalarMath() {
        switch (code) {
            case 0 -> scalarRelu(src, dst, size);
            case 1 -> scalarSigmoid(src, dst, size);
            case 2 -> scalarTanh(src, dst, size);
            default -> scalarGelu(src, dst, size);
        }
        return dst;
    }

    @Benchmark
    public float[] lanewise() {
        switch (code) {
            case 0 -> lanewiseRelu(src, dst, size);
            case 1 -> lanewiseSigmoid(src, dst, size);
            case 2 -> lanewiseTanh(src, dst, size);
            default -> lanewiseGelu(src, dst, size);
        }
        return dst;
    }

    // ---- the plain Java loops ----

    static void scalarRelu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    static void scalarSigmoid(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    static void scalarTanh(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    /** GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static void scalarGelu(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
    }

    // ---- the straightforward Vector API loops: one lanewise op chain, loopBound, scalar tail ----

    static void lanewiseRelu(float[] x, float[] y, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).max(zero).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = Math.max(x[i], 0f);
        }
    }

    static void lanewiseSigmoid(float[] x, float[] y, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector one = FloatVector.broadcast(F, 1f);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            one.div(v.neg().lanewise(VectorOperators.EXP).add(one)).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
        }
    }

    static void lanewiseTanh(float[] x, float[] y, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector.fromArray(F, x, i).lanewise(VectorOperators.TANH).intoArray(y, i);
        }
        for (; i < n; i++) {
            y[i] = (float) Math.tanh(x[i]);
        }
    }

    static void lanewiseGelu(float[] x, float[] y, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        for (; i < bound; i += F.length()) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            FloatVector inner = v.mul(v).mul(v).mul(0.044715f).add(v).mul(0.7978845608028654f);
            inner.lanewise(VectorOperators.TANH).add(1f).mul(v).mul(0.5f).intoArray(y, i);
        }
        for (; i < n; i++) {
            double v = x[i];
            y[i] = (float) (0.5 * v * (1 + Math.tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
    }
}
