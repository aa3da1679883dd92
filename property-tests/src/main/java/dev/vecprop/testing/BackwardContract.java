package dev.vecprop.testing;

import java.util.Objects;
import java.util.SplittableRandom;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * The backward contract of {@link Layer} (see its class comment), as assertions a test calls on any layer or model:
 * <ul>
 *   <li>{@link #assertAccumulates()}: two forward+backward passes leave twice the parameter gradients of one
 *       (backward <em>adds</em>), the same dx both times, and {@link Model#zeroGrad()} clears them to 0;</li>
 *   <li>{@link #assertLinearInDy()}: {@code backward(a·dy1 + b·dy2) = a·backward(dy1) + b·backward(dy2)}, for dx
 *       and parameter gradients;</li>
 *   <li>{@link #assertBatchIsPerRow()}: the batch forward and backward equal the row-by-row ones (output and dx
 *       rows, parameter gradients summed over rows). Only for layers that treat rows independently (not
 *       Dropout, whose mask depends on the element index).</li>
 * </ul>
 * A gradient check cannot see the first of these: it zeroes gradients before each backward, so a backward
 * that overwrites instead of adding passes it — and breaks every model where a tensor is used twice.
 *
 * <p>Runs in float64; each comparison allows {@code 1e-12·max(1, max|expected|)} per element (the identities
 * hold up to a few roundings of O(1) terms; dy is drawn from [−1, 1]). Not thread-safe.
 */
public final class BackwardContract {
    private final Model model;
    private final Tensor x;
    private final String subject;
    private long seed = 0xC0_47AC7L;
    private Mode mode = Mode.TRAIN;
    private double rtol = 1e-12;
    private int[] outputShape;

    private BackwardContract(Model model, Tensor x, String subject) {
        this.model = model;
        this.x = x;
        this.subject = subject;
    }

    /** A fresh layer, bound to a new float64 model with parameters uniform in [−1, 1], on float64 input x. */
    public static BackwardContract of(Layer layer, Tensor x) {
        GradientCheck check = GradientCheck.layer(layer, x);
        return new BackwardContract(check.boundModel(), x, layer.toString());
    }

    /** A float64 model on float64 input x, parameters as they are. */
    public static BackwardContract of(Model model, Tensor x) {
        GradientCheck.model(model, x); // the same float64 checks and messages
        return new BackwardContract(model, x, model.root().toString());
    }

    /** Seeds the random dy. */
    public BackwardContract seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Forward mode (default TRAIN); the context step is fixed, so Dropout's mask repeats. */
    public BackwardContract mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /**
     * Relative tolerance against the largest magnitude of each compared tensor (default 1e-12).
     *
     * @throws IllegalArgumentException if {@code rtol} is negative or NaN
     */
    public BackwardContract tolerance(double rtol) {
        Approx.checkTolerances(rtol, 0);
        this.rtol = rtol;
        return this;
    }

    /** Runs all three assertions. */
    public void assertAll() {
        assertAccumulates();
        assertLinearInDy();
        assertBatchIsPerRow();
    }

    /** Two backward passes give 2× the parameter gradients of one and the same dx; zeroGrad gives 0. */
    public void assertAccumulates() {
        Context ctx = new Context();
        double[] dy = randomLike(forward(ctx), new SplittableRandom(seed));
        model.zeroGrad();
        double[] dx1 = backward(ctx, dy);
        double[] once = model.grads().toDoubleArray();
        forward(ctx);
        double[] dx2 = backward(ctx, dy);
        double[] twice = model.grads().toDoubleArray();
        double[] doubled = new double[once.length];
        for (int i = 0; i < once.length; i++) {
            doubled[i] = 2 * once[i];
        }
        close("parameter gradients after two backward passes vs 2 × after one (backward must add, not"
                + " overwrite)", doubled, twice);
        close("dx of the second backward vs the first (dx is overwritten, not accumulated)", dx1, dx2);
        model.zeroGrad();
        double[] zero = model.grads().toDoubleArray();
        for (int i = 0; i < zero.length; i++) {
            if (zero[i] != 0) {
                throw new AssertionFailedError(subject + ": gradient arena element " + i + " is " + zero[i]
                        + " after zeroGrad()");
            }
        }
    }

    /** {@code backward(a·dy1 + b·dy2) = a·backward(dy1) + b·backward(dy2)} for dx and parameter gradients. */
    public void assertLinearInDy() {
        Context ctx = new Context();
        Tensor y = forward(ctx);
        SplittableRandom r = new SplittableRandom(seed);
        double[] dy1 = randomLike(y, r);
        double[] dy2 = randomLike(y, r);
        double a = r.nextDouble(-2, 2);
        double b = r.nextDouble(-2, 2);
        double[] mix = new double[dy1.length];
        for (int i = 0; i < mix.length; i++) {
            mix[i] = a * dy1[i] + b * dy2[i];
        }
        model.zeroGrad();
        double[] dx1 = backward(ctx, dy1);
        double[] g1 = model.grads().toDoubleArray();
        model.zeroGrad();
        forward(ctx);
        double[] dx2 = backward(ctx, dy2);
        double[] g2 = model.grads().toDoubleArray();
        model.zeroGrad();
        forward(ctx);
        double[] dxMix = backward(ctx, mix);
        double[] gMix = model.grads().toDoubleArray();
        close("dx of a·dy1 + b·dy2 vs a·dx1 + b·dx2", combine(a, dx1, b, dx2), dxMix);
        close("parameter gradients of a·dy1 + b·dy2 vs a·g1 + b·g2", combine(a, g1, b, g2), gMix);
    }

    /** Batch forward/backward = row by row: output rows, dx rows, and parameter gradients summed over rows. */
    public void assertBatchIsPerRow() {
        Context ctx = new Context();
        Tensor yBatch = forward(ctx);
        double[] y = yBatch.toDoubleArray();
        double[] dy = randomLike(yBatch, new SplittableRandom(seed));
        model.zeroGrad();
        double[] dx = backward(ctx, dy);
        double[] g = model.grads().toDoubleArray();
        int rows = x.dim(0);
        int xPerRow = x.size() / Math.max(1, rows);
        int yPerRow = y.length / Math.max(1, rows);
        double[] yRows = new double[y.length];
        double[] dxRows = new double[dx.length];
        model.zeroGrad();
        for (int r = 0; r < rows; r++) {
            Context rc = new Context();
            Tensor row = x.rowSlice(r, 1);
            rc.setStep(1);
            Tensor yr = model.forward(row, rc, mode);
            System.arraycopy(yr.toDoubleArray(), 0, yRows, r * yPerRow, yPerRow);
            double[] dyr = new double[yPerRow];
            System.arraycopy(dy, r * yPerRow, dyr, 0, yPerRow);
            Tensor dxr = model.backward(Tensor.of(dyr, yr.shape()), rc);
            System.arraycopy(dxr.toDoubleArray(), 0, dxRows, r * xPerRow, xPerRow);
        }
        close("output of the batch vs row by row", y, yRows);
        close("dx of the batch vs row by row", dx, dxRows);
        close("parameter gradients of the batch vs summed row by row", g, model.grads().toDoubleArray());
    }

    /** Forward with the context step fixed (so Dropout repeats its mask); remembers the output shape. */
    private Tensor forward(Context ctx) {
        ctx.setStep(1);
        Tensor y = model.forward(x, ctx, mode);
        outputShape = y.shape();
        return y;
    }

    /** Backward of dy (shaped like the last forward's output); returns a copy of dx. */
    private double[] backward(Context ctx, double[] dy) {
        return model.backward(Tensor.of(dy.clone(), outputShape), ctx).toDoubleArray();
    }

    private static double[] randomLike(Tensor y, SplittableRandom r) {
        double[] d = new double[y.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextDouble(-1, 1);
        }
        return d;
    }

    private static double[] combine(double a, double[] u, double b, double[] v) {
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            out[i] = a * u[i] + b * v[i];
        }
        return out;
    }

    private void close(String what, double[] expected, double[] actual) {
        double max = 0;
        for (double e : expected) {
            if (Math.abs(e) > max) { // NaN skipped: a NaN element fails on its own, the tolerance stays a number
                max = Math.abs(e);
            }
        }
        // against max(1, max|expected|): gradients of dy ~ U[−1, 1] are O(1) before any cancellation, and an
        // element that cancels to ~0 (e.g. dx through LayerNorm of 2 features) keeps rounding residue of that size
        Approx.assertClose(subject + ": " + what, expected, actual, 0, rtol * Math.max(max, 1.0));
    }
}
