package dev.vecprop.bench;

import dev.vecprop.kernels.Reductions;
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
 * The float reductions ({@link Reductions#sum}, {@link Reductions#dot}, {@link Reductions#squaredNorm}) against
 * their two peers, on the same data. Score: calls per second; elements per second = n·score; bytes read per
 * element: sum and squaredNorm 4, dot 8.
 *
 * <ul>
 *   <li>{@code Vecprop}: float lanes widened to double lanes (exact), summed in double: the accuracy of the
 *       {@code Scalar} loop below, at vector speed. A training step's gradient norm is {@code squaredNorm} over
 *       every parameter: n = 235,146 is the MLP 784-256-128-10's parameter count (940 KB, L2-resident here);
 *       4,194,304 (16 MB) streams from memory.</li>
 *   <li>{@code Scalar}: the loop a careful user writes, {@code double s += a[i]}. Java keeps the order of
 *       floating-point additions, so C2 does not vectorize it: one add per add's latency.</li>
 *   <li>{@code Lanewise}: a plain Vector API loop with one float accumulator and {@code reduceLanes} at the end.
 *       Faster than the double sum where the widening, not memory, limits; its error grows with n (float
 *       accumulators), which is why vecprop does not sum this way.</li>
 * </ul>
 *
 * Compare ratios within one run: {@code bench/run --filter Reduction}, or
 * {@code java -jar bench/target/vecprop-benchmarks.jar Reduction}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    @Param({"235146", "4194304"})
    public int n;

    private float[] a;
    private float[] b;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(5);
        a = new float[n];
        b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
            b[i] = (float) r.nextDouble(-1, 1);
        }
    }

    @Benchmark
    public float sumVecprop() {
        return Reductions.sum(a, 0, n);
    }

    @Benchmark
    public double sumScalar() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i];
        }
        return s;
    }

    @Benchmark
    public float sumLanewise() {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = acc.add(FloatVector.fromArray(S, a, i));
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s += a[i];
        }
        return s;
    }

    @Benchmark
    public float dotVecprop() {
        return Reductions.dot(a, 0, b, 0, n);
    }

    @Benchmark
    public double dotScalar() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    @Benchmark
    public float dotLanewise() {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            acc = FloatVector.fromArray(S, a, i).fma(FloatVector.fromArray(S, b, i), acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(a[i], b[i], s);
        }
        return s;
    }

    @Benchmark
    public double squaredNormVecprop() {
        return Reductions.squaredNorm(a, 0, n);
    }

    @Benchmark
    public double squaredNormScalar() {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double x = a[i];
            s += x * x;
        }
        return s;
    }

    @Benchmark
    public double squaredNormLanewise() {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int bound = S.loopBound(n); i < bound; i += S.length()) {
            FloatVector x = FloatVector.fromArray(S, a, i);
            acc = x.fma(x, acc);
        }
        float s = acc.reduceLanes(VectorOperators.ADD);
        for (; i < n; i++) {
            s = Math.fma(a[i], a[i], s);
        }
        return s;
    }
}
