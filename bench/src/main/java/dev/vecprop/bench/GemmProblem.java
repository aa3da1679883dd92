package dev.vecprop.bench;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The shared state of the GEMM peers, with the same parameters as vecprop's GemmBenchmark: {@code shape}
 * ("n" for n×n×n, or "MxKxN"), {@code trans} (NN, NT, TN, TT) and {@code precision} (f32, f64); the
 * operands are filled once per trial from a fixed seed. {@code C = op(A)·op(B)} with alpha = 1, beta = 0.
 *
 * <p>The default lists are the full suite; {@code bench/run --quick} narrows them with {@code -p}. Square 64…2048;
 * the MLP 784-256-128-10 layers, forward {@code y = x·Wᵀ} (128x784x256, 128x256x10), their backward
 * {@code dx = dy·W} (128x256x784, 128x10x256) and {@code dW = dyᵀ·x} (256x128x784, 10x128x256); a 512 hidden
 * layer at batch 32 (32x512x512, 512x32x512); and a matrix-vector product (1x4096x4096).
 */
@State(Scope.Thread)
public abstract class GemmProblem {

    @Param({
        "64", "128", "256", "512", "1024", "2048",
        "128x784x256", "128x256x784", "256x128x784",
        "128x256x10", "128x10x256", "10x128x256",
        "32x512x512", "512x32x512", "1x4096x4096"
    })
    public String shape;

    @Param({"NN", "NT", "TN", "TT"})
    public String trans;

    @Param({"f32", "f64"})
    public String precision;

    protected GemmShape problem;
    protected boolean single;
    protected float[] fa;
    protected float[] fb;
    protected float[] fc;
    protected double[] da;
    protected double[] db;
    protected double[] dc;

    @Setup(Level.Trial)
    public void setUpOperands() {
        problem = GemmShape.of(shape, trans);
        single = switch (precision) {
            case "f32" -> true;
            case "f64" -> false;
            default -> throw new IllegalArgumentException("precision must be f32 or f64, got '" + precision + "'");
        };
        SplittableRandom rnd = new SplittableRandom(42);
        if (single) {
            fa = randomFloats(rnd, problem.aLength());
            fb = randomFloats(rnd, problem.bLength());
            fc = new float[problem.cLength()];
        } else {
            da = randomDoubles(rnd, problem.aLength());
            db = randomDoubles(rnd, problem.bLength());
            dc = new double[problem.cLength()];
        }
        prepare();
    }

    /** Hook for a peer that wraps the operands (EJML matrices, …) once per trial. */
    protected void prepare() {
    }

    /** The result array, for a benchmark method to return so that the product is not dead code. */
    protected Object result() {
        return single ? fc : dc;
    }

    static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextDouble(-1, 1);
        }
        return x;
    }

    static double[] randomDoubles(SplittableRandom rnd, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextDouble(-1, 1);
        }
        return x;
    }
}
