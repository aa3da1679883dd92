package dev.vecprop.bench;

import dev.vecprop.kernels.Softmax;
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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Row softmax of a 128×1000 float matrix: vecprop vs a scalar loop vs a straightforward lanewise(EXP) loop. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 4, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SoftmaxBenchmark {

    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    static final int M = 128;
    static final int N = 1000;

    private float[] x;
    private float[] y;

    @Setup
    public void setup() {
        SplittableRandom r = new SplittableRandom(5);
        x = new float[M * N];
        y = new float[M * N];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-10, 10);
        }
    }

    @Benchmark
    public float[] softmaxVecprop() {
        Softmax.softmax(M, N, x, 0, N, y, 0, N);
        return y;
    }

    @Benchmark
    public float[] softmaxScalar() {
        for (int i = 0; i < M; i++) {
            int o = i * N;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < N; j++) {
                max = Math.max(max, x[o + j]);
            }
            float sum = 0;
            for (int j = 0; j < N; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (int j = 0; j < N; j++) {
                y[o + j] *= inv;
            }
        }
        return y;
    }

    @Benchmark
    public float[] softmaxLanewise() {
        for (int i = 0; i < M; i++) {
            int o = i * N;
            int b = S.loopBound(N);
            FloatVector mv = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
            int j = 0;
            for (; j < b; j += S.length()) {
                mv = mv.max(FloatVector.fromArray(S, x, o + j));
            }
            float max = mv.reduceLanes(VectorOperators.MAX);
            for (; j < N; j++) {
                max = Math.max(max, x[o + j]);
            }
            FloatVector sv = FloatVector.zero(S);
            for (j = 0; j < b; j += S.length()) {
                FloatVector e = FloatVector.fromArray(S, x, o + j).sub(max).lanewise(VectorOperators.EXP);
                e.intoArray(y, o + j);
                sv = sv.add(e);
            }
            float sum = sv.reduceLanes(VectorOperators.ADD);
            for (; j < N; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = 1f / sum;
            for (j = 0; j < b; j += S.length()) {
                FloatVector.fromArray(S, y, o + j).mul(inv).intoArray(y, o + j);
            }
            for (; j < N; j++) {
                y[o + j] *= inv;
            }
        }
        return y;
    }
}
