import dev.vecprop.kernels.Activation;
import dev.vecprop.kernels.Activations;
import dev.vecprop.kernels.LayerNorms;
import dev.vecprop.kernels.Losses;
import dev.vecprop.kernels.Reductions;
import dev.vecprop.kernels.Softmax;

/**
 * Warms up the elementwise kernels' hot loops so C2 compiles them; run with PrintInlining and grep for
 * "too big" / "too large" / "big method" on vector-taking FastMath/ActivationKernels/RowKernels/ReduceKernels
 * methods (see notes/elementwise-inlining/README.md).
 */
public class InlineCheck {
    public static void main(String[] args) {
        int n = 1000, m = 8;
        float[] x = new float[m * n], y = new float[m * n], dy = new float[m * n], dx = new float[m * n];
        double[] xd = new double[m * n], yd = new double[m * n], dyd = new double[m * n], dxd = new double[m * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) r.nextDouble(-3, 3);
            dy[i] = (float) r.nextDouble(-1, 1);
            xd[i] = x[i];
            dyd[i] = dy[i];
        }
        float[] t = new float[m * n];
        for (int i = 0; i < m; i++) {
            t[i * n + i] = 1;
        }
        float[] mean = new float[m], rstd = new float[m], g = new float[n], dg = new float[n], db = new float[n];
        java.util.Arrays.fill(g, 1f);
        double acc = 0;
        for (int it = 0; it < 4000; it++) {
            for (Activation a : Activation.values()) {
                Activations.apply(a, x, 0, y, 0, n);
                Activations.backward(a, a.backwardUsesOutput() ? y : x, 0, dy, 0, dx, 0, n);
                Activations.apply(a, xd, 0, yd, 0, n);
                Activations.backward(a, a.backwardUsesOutput() ? yd : xd, 0, dyd, 0, dxd, 0, n);
            }
            Softmax.softmax(m, n, x, 0, n, y, 0, n);
            Softmax.logSoftmax(m, n, x, 0, n, y, 0, n);
            acc += Losses.crossEntropy(m, n, x, 0, n, t, 0, n, y, 0, n, null, 0);
            LayerNorms.layerNorm(m, n, 1e-5f, x, 0, n, g, 0, null, 0, y, 0, n, mean, 0, rstd, 0);
            LayerNorms.layerNormBackward(m, n, x, 0, n, g, 0, mean, 0, rstd, 0, dy, 0, n, dx, 0, n, dg, 0, db, 0);
            acc += Reductions.sum(x, 0, m * n);
        }
        System.out.println("done " + acc);
    }
}
