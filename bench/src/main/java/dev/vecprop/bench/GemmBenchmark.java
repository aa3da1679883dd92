package dev.vecprop.bench;

import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Parallelism;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * vecprop GEMM, C = op(A)·op(B) (alpha 1, beta 0), over shapes, transposes, precision and threads.
 *
 * <p>Read the {@code gflops} secondary result: it counts 2·m·n·k/1e9 per call, so its rate is GFLOPS
 * (the primary score is calls per second). {@code shape} is {@code n} for a square n³ product or
 * {@code MxKxN} (M×K times K×N, numpy's order). {@code trans} is NN, NT, TN or TT (op(A), op(B)).
 *
 * <pre>
 * java -jar bench/target/vecprop-benchmarks.jar GemmBenchmark -p shape=256,1024 -p trans=NN,NT -p precision=f32
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {

    @Param({"64", "128", "256", "512", "1024", "128x784x256", "128x256x10", "32x512x512", "1x4096x4096"})
    public String shape;

    @Param({"NN", "NT", "TN", "TT"})
    public String trans;

    @Param({"f32"})
    public String precision;

    @Param({"1"})
    public int threads;

    private int m;
    private int n;
    private int k;
    private boolean transA;
    private boolean transB;
    private Parallelism parallelism;
    private float[] af;
    private float[] bf;
    private float[] cf;
    private double[] ad;
    private double[] bd;
    private double[] cd;
    private double gflopPerCall;

    /** Secondary result: GFLOP done, reported by JMH as a rate (GFLOPS). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        public double gflops;
    }

    @Setup(Level.Trial)
    public void setup() {
        String[] dims = shape.split("x");
        if (dims.length == 1) {
            m = n = k = Integer.parseInt(dims[0]);
        } else {
            m = Integer.parseInt(dims[0]);
            k = Integer.parseInt(dims[1]);
            n = Integer.parseInt(dims[2]);
        }
        transA = trans.charAt(0) == 'T';
        transB = trans.charAt(1) == 'T';
        parallelism = threads == 1 ? Parallelism.serial() : Parallelism.threads(threads);
        gflopPerCall = 2.0 * m * n * k / 1e9;
        SplittableRandom rnd = new SplittableRandom(42);
        if (precision.equals("f32")) {
            af = new float[m * k];
            bf = new float[k * n];
            cf = new float[m * n];
            for (int i = 0; i < af.length; i++) {
                af[i] = (float) rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < bf.length; i++) {
                bf[i] = (float) rnd.nextDouble(-1, 1);
            }
        } else {
            ad = new double[m * k];
            bd = new double[k * n];
            cd = new double[m * n];
            for (int i = 0; i < ad.length; i++) {
                ad[i] = rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < bd.length; i++) {
                bd[i] = rnd.nextDouble(-1, 1);
            }
        }
    }

    @Benchmark
    public Object gemm(Flops flops) {
        int lda = transA ? m : k;
        int ldb = transB ? k : n;
        flops.gflops += gflopPerCall;
        if (af != null) {
            Gemm.sgemm(transA, transB, m, n, k, 1f, af, 0, lda, bf, 0, ldb, 0f, cf, 0, n, parallelism);
            return cf;
        }
        Gemm.dgemm(transA, transB, m, n, k, 1d, ad, 0, lda, bd, 0, ldb, 0d, cd, 0, n, parallelism);
        return cd;
    }
}
