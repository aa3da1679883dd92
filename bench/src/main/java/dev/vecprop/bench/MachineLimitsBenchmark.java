package dev.vecprop.bench;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's own single-thread limits, measured in the same run as everything else so that every result
 * can be read as a fraction of them (which is what makes numbers comparable across machines).
 *
 * <ul>
 *   <li>{@code fmaPeakFloat}/{@code fmaPeakDouble}: the JVM's FMA peak. Twelve independent accumulators
 *       held in registers, each updated {@code acc = x·y + acc} per step. Twelve chains cover an FMA latency
 *       of 4 cycles on 2 FMA ports (8 needed) with room to spare, and leave the register file mostly free
 *       (12 + 2 of 16 or 32 vector registers). Secondary metric {@code flops}: floating-point operations/s
 *       (2 per lane per FMA), at the JVM's preferred vector width.</li>
 *   <li>{@code copyBandwidth}: {@code System.arraycopy} of a 64 MiB array (well beyond the caches);
 *       secondary metric {@code bytes}: bytes read + bytes written per second (2 × 64 MiB per copy; the
 *       read-for-ownership of the destination is not counted).</li>
 * </ul>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class MachineLimitsBenchmark {

    // The bench module's own species constants (kernels' Species is package-private): static final, as the
    // Vector API needs to compile to machine vectors.
    static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    /** FMA steps per invocation; each step is one FMA on each of the 12 accumulators. */
    static final int STEPS = 1 << 14;
    static final int ACCUMULATORS = 12;
    /** 64 MiB per array. */
    static final int COPY_FLOATS = 16 << 20;

    /** Counts the work done, reported by JMH as a per-second rate next to the primary score. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Work {
        public double flops;
        public double bytes;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
            bytes = 0;
        }
    }

    @State(Scope.Thread)
    public static class Operands {
        float fx = 0.999f;
        float fy = 1e-4f;
        double dx = 0.999;
        double dy = 1e-4;
        float[] src;
        float[] dst;

        @Setup(Level.Trial)
        public void setUp() {
            src = new float[COPY_FLOATS];
            dst = new float[COPY_FLOATS];
            for (int i = 0; i < src.length; i++) {
                src[i] = i;
            }
        }
    }

    @Benchmark
    public float fmaPeakFloat(Operands o, Work w) {
        float r = fmaLoopFloat(o.fx, o.fy);
        w.flops += 2.0 * STEPS * ACCUMULATORS * F.length();
        return r;
    }

    @Benchmark
    public double fmaPeakDouble(Operands o, Work w) {
        double r = fmaLoopDouble(o.dx, o.dy);
        w.flops += 2.0 * STEPS * ACCUMULATORS * D.length();
        return r;
    }

    @Benchmark
    public float[] copyBandwidth(Operands o, Work w) {
        System.arraycopy(o.src, 0, o.dst, 0, COPY_FLOATS);
        w.bytes += 2.0 * COPY_FLOATS * Float.BYTES;
        return o.dst;
    }

    /** Twelve independent FMA chains; the result depends on all of them so none is dead code. */
    static float fmaLoopFloat(float xs, float ys) {
        FloatVector x = FloatVector.broadcast(F, xs);
        FloatVector y = FloatVector.broadcast(F, ys);
        FloatVector a0 = FloatVector.broadcast(F, 0f), a1 = FloatVector.broadcast(F, 1f);
        FloatVector a2 = FloatVector.broadcast(F, 2f), a3 = FloatVector.broadcast(F, 3f);
        FloatVector a4 = FloatVector.broadcast(F, 4f), a5 = FloatVector.broadcast(F, 5f);
        FloatVector a6 = FloatVector.broadcast(F, 6f), a7 = FloatVector.broadcast(F, 7f);
        FloatVector a8 = FloatVector.broadcast(F, 8f), a9 = FloatVector.broadcast(F, 9f);
        FloatVector a10 = FloatVector.broadcast(F, 10f), a11 = FloatVector.broadcast(F, 11f);
        for (int s = 0; s < STEPS; s++) {
            a0 = x.fma(a0, y); a1 = x.fma(a1, y); a2 = x.fma(a2, y); a3 = x.fma(a3, y);
            a4 = x.fma(a4, y); a5 = x.fma(a5, y); a6 = x.fma(a6, y); a7 = x.fma(a7, y);
            a8 = x.fma(a8, y); a9 = x.fma(a9, y); a10 = x.fma(a10, y); a11 = x.fma(a11, y);
        }
        FloatVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .add(a10).add(a11);
        return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }

    static double fmaLoopDouble(double xs, double ys) {
        DoubleVector x = DoubleVector.broadcast(D, xs);
        DoubleVector y = DoubleVector.broadcast(D, ys);
        DoubleVector a0 = DoubleVector.broadcast(D, 0.0), a1 = DoubleVector.broadcast(D, 1.0);
        DoubleVector a2 = DoubleVector.broadcast(D, 2.0), a3 = DoubleVector.broadcast(D, 3.0);
        DoubleVector a4 = DoubleVector.broadcast(D, 4.0), a5 = DoubleVector.broadcast(D, 5.0);
        DoubleVector a6 = DoubleVector.broadcast(D, 6.0), a7 = DoubleVector.broadcast(D, 7.0);
        DoubleVector a8 = DoubleVector.broadcast(D, 8.0), a9 = DoubleVector.broadcast(D, 9.0);
        DoubleVector a10 = DoubleVector.broadcast(D, 10.0), a11 = DoubleVector.broadcast(D, 11.0);
        for (int s = 0; s < STEPS; s++) {
            a0 = x.fma(a0, y); a1 = x.fma(a1, y); a2 = x.fma(a2, y); a3 = x.fma(a3, y);
            a4 = x.fma(a4, y); a5 = x.fma(a5, y); a6 = x.fma(a6, y); a7 = x.fma(a7, y);
            a8 = x.fma(a8, y); a9 = x.fma(a9, y); a10 = x.fma(a10, y); a11 = x.fma(a11, y);
        }
        DoubleVector sum = a0.add(a1).add(a2).add(a3).add(a4).add(a5).add(a6).add(a7).add(a8).add(a9)
                .add(a10).add(a11);
        return sum.reduceLanes(jdk.incubator.vector.VectorOperators.ADD);
    }
}
