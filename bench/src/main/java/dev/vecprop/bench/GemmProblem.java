package dev.vecprop.bench;

import java.util.SplittableRandom;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The shared state of every GEMM benchmark (vecprop's and each peer's): the problem, the precision and the
 * operands, filled once per trial from a fixed seed. {@code C = op(A)·op(B)} with alpha = 1, beta = 0.
 *
 * <p>The default parameter lists are the full suite; {@code bench/run --quick} narrows them with {@code -p}.
 * Square sizes 64…2048 plain; all four transpose cases at 256 and 1024; the MLP 784-256-128-10 and a 512
 * hidden layer: forward {@code y = x·Wᵀ} (M×K×N/NT), and its backward {@code dx = dy·W} (M×N×K/NN) and
 * {@code dW = dyᵀ·x} (N×M×K/TN).
 */
@State(Scope.Thread)
public abstract class GemmProblem {

    @Param({
        "64x64x64/NN", "128x128x128/NN", "256x256x256/NN", "512x512x512/NN", "1024x1024x1024/NN",
        "2048x2048x2048/NN",
        "256x256x256/NT", "256x256x256/TN", "256x256x256/TT",
        "1024x1024x1024/NT", "1024x1024x1024/TN", "1024x1024x1024/TT",
        "128x784x256/NT", "128x256x784/NN", "256x128x784/TN",
        "128x256x10/NT", "128x10x256/NN", "10x128x256/TN",
        "32x512x512/NT", "32x512x512/NN", "512x32x512/TN"
    })
    public String problem;

    @Param({"float", "double"})
    public String dtype;

    protected GemmShape shape;
    protected boolean single;
    protected float[] fa;
    protected float[] fb;
    protected float[] fc;
    protected double[] da;
    protected double[] db;
    protected double[] dc;

    @Setup(Level.Trial)
    public void setUpOperands() {
        shape = GemmShape.parse(problem);
        single = switch (dtype) {
            case "float" -> true;
            case "double" -> false;
            default -> throw new IllegalArgumentException("dtype must be float or double, got '" + dtype + "'");
        };
        SplittableRandom rnd = new SplittableRandom(42);
        if (single) {
            fa = randomFloats(rnd, shape.aLength());
            fb = randomFloats(rnd, shape.bLength());
            fc = new float[shape.cLength()];
        } else {
            da = randomDoubles(rnd, shape.aLength());
            db = randomDoubles(rnd, shape.bLength());
            dc = new double[shape.cLength()];
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
