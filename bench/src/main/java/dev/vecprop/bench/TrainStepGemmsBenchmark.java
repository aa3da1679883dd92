package dev.vecprop.bench;

import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Parallelism;
import dev.vecprop.kernels.Updates;
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
 * Only the GEMMs of one {@link TrainStepBenchmark} step, through {@link Gemm} with the default parallelism, with
 * the shapes, transposes, leading dimensions and betas {@code dev.vecprop.nn.Linear} passes (the trainer's step:
 * no dx for the first layer). The ratio {@code gemms score / step score} is the step time over the sum of its
 * GEMMs (target ≤ 1.25); run both in one JMH invocation ({@code TrainStep} matches both).
 *
 * <p>Linear {@code in → out} with batch B: forward {@code y = x·Wᵀ} is NT (B, out, in), β = 1 (onto the
 * broadcast bias); backward {@code dW += dyᵀ·x} is TN (out, in, B), β = 1; {@code dx = dy·W} is NN (B, in, out),
 * β = 0. {@code gemm} selects one of them ({@code fwd1}…{@code dx2}) to see where the time goes, or {@code all}.
 *
 * <p>{@link #adam} is the step's optimizer pass alone (the Adam kernel over the 235,146-element arenas, as
 * {@code dev.vecprop.nn.Adam} calls it), the largest non-GEMM part of the step.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class TrainStepGemmsBenchmark {

    @Param({"128"})
    public int batch;

    @Param({"f32"})
    public String precision;

    @Param({"1"})
    public int threads;

    @Param({"all"})
    public String gemm;

    private static final int[] SIZES = {784, 256, 128, 10};

    /** Per layer l: x (B×in), W (out×in), y (B×out), dy (B×out), dW (out×in), dx (B×in). */
    private float[][] xf, wf, yf, dyf, dwf, dxf;
    private double[][] xd, wd, yd, dyd, dwd, dxd;
    private int mask;
    private static final int PARAMS = 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10;
    private float[] pf, gf, mf, vf;
    private double[] pd, gd, md, vd;
    private int t;
    private Parallelism saved;

    @Setup(Level.Trial)
    public void setUp() {
        saved = Parallelism.getDefault();
        Parallelism.setDefault(Parallelism.threads(threads));
        mask = switch (gemm) {
            case "all" -> 0xFF;
            case "fwd1" -> 1;
            case "fwd2" -> 2;
            case "fwd3" -> 4;
            case "dw3" -> 8;
            case "dx3" -> 16;
            case "dw2" -> 32;
            case "dx2" -> 64;
            case "dw1" -> 128;
            default -> throw new IllegalArgumentException("gemm must be all, fwd1..3, dw1..3, dx2 or dx3, got '" + gemm + "'");
        };
        SplittableRandom rnd = new SplittableRandom(11);
        boolean f32 = switch (precision) {
            case "f32" -> true;
            case "f64" -> false;
            default -> throw new IllegalArgumentException("precision must be f32 or f64, got '" + precision + "'");
        };
        adamArenas(rnd, f32);
        int layers = SIZES.length - 1;
        if (f32) {
            xf = new float[layers][]; wf = new float[layers][]; yf = new float[layers][];
            dyf = new float[layers][]; dwf = new float[layers][]; dxf = new float[layers][];
        } else {
            xd = new double[layers][]; wd = new double[layers][]; yd = new double[layers][];
            dyd = new double[layers][]; dwd = new double[layers][]; dxd = new double[layers][];
        }
        for (int l = 0; l < layers; l++) {
            int in = SIZES[l], out = SIZES[l + 1];
            if (f32) {
                xf[l] = randomF(rnd, batch * in); wf[l] = randomF(rnd, out * in); yf[l] = new float[batch * out];
                dyf[l] = randomF(rnd, batch * out); dwf[l] = new float[out * in]; dxf[l] = new float[batch * in];
            } else {
                xd[l] = randomD(rnd, batch * in); wd[l] = randomD(rnd, out * in); yd[l] = new double[batch * out];
                dyd[l] = randomD(rnd, batch * out); dwd[l] = new double[out * in]; dxd[l] = new double[batch * in];
            }
        }
    }

    private void adamArenas(SplittableRandom rnd, boolean f32) {
        if (f32) {
            pf = randomF(rnd, PARAMS); gf = randomF(rnd, PARAMS); mf = new float[PARAMS]; vf = new float[PARAMS];
        } else {
            pd = randomD(rnd, PARAMS); gd = randomD(rnd, PARAMS); md = new double[PARAMS]; vd = new double[PARAMS];
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Parallelism.setDefault(saved);
    }

    private static float[] randomF(SplittableRandom rnd, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) rnd.nextDouble(-1, 1);
        }
        return a;
    }

    private static double[] randomD(SplittableRandom rnd, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = rnd.nextDouble(-1, 1);
        }
        return a;
    }

    /** One Adam update over the step's parameter arenas (lr 1e-3, PyTorch defaults; the step count grows). */
    @Benchmark
    public Object adam() {
        int step = t < Integer.MAX_VALUE ? ++t : t;
        if (pf != null) {
            Updates.adam(pf, 0, gf, 0, mf, 0, vf, 0, PARAMS, 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, step);
            return pf;
        }
        Updates.adam(pd, 0, gd, 0, md, 0, vd, 0, PARAMS, 1e-3, 0.9, 0.999, 1e-8, 0, step);
        return pd;
    }

    /** The step's GEMMs in the order the step runs them (forward 1..3, backward 3..1). */
    @Benchmark
    public Object gemms() {
        int b = batch;
        if (xf != null) {
            if ((mask & 1) != 0) Gemm.sgemm(false, true, b, 256, 784, 1f, xf[0], 0, 784, wf[0], 0, 784, 1f, yf[0], 0, 256);
            if ((mask & 2) != 0) Gemm.sgemm(false, true, b, 128, 256, 1f, xf[1], 0, 256, wf[1], 0, 256, 1f, yf[1], 0, 128);
            if ((mask & 4) != 0) Gemm.sgemm(false, true, b, 10, 128, 1f, xf[2], 0, 128, wf[2], 0, 128, 1f, yf[2], 0, 10);
            if ((mask & 8) != 0) Gemm.sgemm(true, false, 10, 128, b, 1f, dyf[2], 0, 10, xf[2], 0, 128, 1f, dwf[2], 0, 128);
            if ((mask & 16) != 0) Gemm.sgemm(false, false, b, 128, 10, 1f, dyf[2], 0, 10, wf[2], 0, 128, 0f, dxf[2], 0, 128);
            if ((mask & 32) != 0) Gemm.sgemm(true, false, 128, 256, b, 1f, dyf[1], 0, 128, xf[1], 0, 256, 1f, dwf[1], 0, 256);
            if ((mask & 64) != 0) Gemm.sgemm(false, false, b, 256, 128, 1f, dyf[1], 0, 128, wf[1], 0, 256, 0f, dxf[1], 0, 256);
            if ((mask & 128) != 0) Gemm.sgemm(true, false, 256, 784, b, 1f, dyf[0], 0, 256, xf[0], 0, 784, 1f, dwf[0], 0, 784);
            return yf;
        }
        if ((mask & 1) != 0) Gemm.dgemm(false, true, b, 256, 784, 1d, xd[0], 0, 784, wd[0], 0, 784, 1d, yd[0], 0, 256);
        if ((mask & 2) != 0) Gemm.dgemm(false, true, b, 128, 256, 1d, xd[1], 0, 256, wd[1], 0, 256, 1d, yd[1], 0, 128);
        if ((mask & 4) != 0) Gemm.dgemm(false, true, b, 10, 128, 1d, xd[2], 0, 128, wd[2], 0, 128, 1d, yd[2], 0, 10);
        if ((mask & 8) != 0) Gemm.dgemm(true, false, 10, 128, b, 1d, dyd[2], 0, 10, xd[2], 0, 128, 1d, dwd[2], 0, 128);
        if ((mask & 16) != 0) Gemm.dgemm(false, false, b, 128, 10, 1d, dyd[2], 0, 10, wd[2], 0, 128, 0d, dxd[2], 0, 128);
        if ((mask & 32) != 0) Gemm.dgemm(true, false, 128, 256, b, 1d, dyd[1], 0, 128, xd[1], 0, 256, 1d, dwd[1], 0, 256);
        if ((mask & 64) != 0) Gemm.dgemm(false, false, b, 256, 128, 1d, dyd[1], 0, 128, wd[1], 0, 256, 0d, dxd[1], 0, 256);
        if ((mask & 128) != 0) Gemm.dgemm(true, false, 256, 784, b, 1d, dyd[0], 0, 256, xd[0], 0, 784, 1d, dwd[0], 0, 784);
        return yd;
    }
}
