package dev.vecprop.properties;

import java.util.Locale;
import java.util.stream.Stream;

import dev.vecprop.kernels.LayerNorms;
import dev.vecprop.kernels.Softmax;
import dev.vecprop.nn.Tensor;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.GradientCheck;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Sized;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The row-wise backward kernels (softmax, log-softmax, layer norm) gradient-checked in float64 directly at the
 * kernel API, on matrices at offsets with padded leading dimensions, through
 * {@link GradientCheck#function}. The backward kernels accumulate, so each starts from random dx (and dγ,
 * dβ) and the check sees the increment: a kernel that overwrote would fail. Tagged {@code kernel}.
 */
@Tag("kernel")
@ExtendWith(RerunHint.class)
class KernelGradientTest {

    record Layout(int m, int n, int off, int ld) implements Sized {
        int length() {
            return off + m * ld + 2;
        }

        int at(int i, int j) {
            return off + i * ld + j;
        }

        @Override
        public long size() {
            return (long) m * n;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%dx%d off=%d ld=%d", m, n, off, ld);
        }
    }

    static Stream<Case<Layout>> layouts() {
        return Cases.of("kernel-gradients", 12, r -> {
            int n = r.dim(2, 65);
            return new Layout(r.dim(9), n, r.between(0, 5), n + r.between(0, 3));
        });
    }

    /** Copies a compact m×n tensor into a padded layout (padding filled with NaN: it must never be read). */
    static double[] pad(Tensor t, Layout l) {
        double[] out = new double[l.length()];
        java.util.Arrays.fill(out, Double.NaN);
        for (int i = 0; i < l.m(); i++) {
            for (int j = 0; j < l.n(); j++) {
                out[l.at(i, j)] = t.get(i * l.n() + j);
            }
        }
        return out;
    }

    static double weighted(double[] y, double[] w, Layout l) {
        double s = 0;
        for (int i = 0; i < l.m(); i++) {
            for (int j = 0; j < l.n(); j++) {
                s += w[i * l.n() + j] * y[l.at(i, j)];
            }
        }
        return s;
    }

    /** grads = (after − before) read from the padded layout. */
    static void increment(double[] after, double[] before, Layout l, Tensor grad) {
        for (int i = 0; i < l.m(); i++) {
            for (int j = 0; j < l.n(); j++) {
                grad.set(i * l.n() + j, after[l.at(i, j)] - before[l.at(i, j)]);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void softmaxAndLogSoftmaxBackward(Case<Layout> c) {
        Layout l = c.value();
        Rng rng = c.rng();
        double[] w = rng.values(l.m() * l.n(), -1, 1);
        double[] dx0 = rng.values(l.length(), -1, 1);
        for (boolean log : new boolean[] {false, true}) {
            GradientCheck.function(log ? "logSoftmax" : "softmax",
                    in -> {
                        double[] y = new double[l.length()];
                        forward(log, l, pad(in[0], l), y);
                        return weighted(y, w, l);
                    },
                    (in, grads) -> {
                        double[] y = new double[l.length()];
                        forward(log, l, pad(in[0], l), y);
                        double[] dy = new double[l.length()];
                        for (int i = 0; i < l.m(); i++) {
                            for (int j = 0; j < l.n(); j++) {
                                dy[l.at(i, j)] = w[i * l.n() + j];
                            }
                        }
                        double[] dx = dx0.clone();
                        if (log) {
                            Softmax.logSoftmaxBackward(l.m(), l.n(), y, l.off(), l.ld(), dy, l.off(), l.ld(), dx,
                                    l.off(), l.ld());
                        } else {
                            Softmax.softmaxBackward(l.m(), l.n(), y, l.off(), l.ld(), dy, l.off(), l.ld(), dx,
                                    l.off(), l.ld());
                        }
                        increment(dx, dx0, l, grads[0]);
                    },
                    Tensor.of(rng.values(l.m() * l.n(), -4, 4), l.m(), l.n())).assertPasses();
        }
    }

    private static void forward(boolean log, Layout l, double[] x, double[] y) {
        if (log) {
            Softmax.logSoftmax(l.m(), l.n(), x, l.off(), l.ld(), y, l.off(), l.ld());
        } else {
            Softmax.softmax(l.m(), l.n(), x, l.off(), l.ld(), y, l.off(), l.ld());
        }
    }

    /** Layer norm with respect to x, γ and β at once (three inputs of one function). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("layouts")
    void layerNormBackward(Case<Layout> c) {
        Layout l = c.value();
        Rng rng = c.rng();
        int m = l.m();
        int n = l.n();
        double eps = 1e-5;
        double[] w = rng.values(m * n, -1, 1);
        double[] dx0 = rng.values(l.length(), -1, 1);
        double[] dg0 = rng.values(n + 3, -1, 1);
        double[] db0 = rng.values(n + 3, -1, 1);
        GradientCheck.function("layerNorm",
                in -> {
                    double[] y = new double[l.length()];
                    LayerNorms.layerNorm(m, n, eps, pad(in[0], l), l.off(), l.ld(), in[1].toDoubleArray(), 0,
                            in[2].toDoubleArray(), 0, y, l.off(), l.ld(), null, 0, null, 0);
                    return weighted(y, w, l);
                },
                (in, grads) -> {
                    double[] x = pad(in[0], l);
                    double[] gamma = in[1].toDoubleArray();
                    double[] y = new double[l.length()];
                    double[] mean = new double[m + 1];
                    double[] rstd = new double[m + 1];
                    LayerNorms.layerNorm(m, n, eps, x, l.off(), l.ld(), gamma, 0, in[2].toDoubleArray(), 0, y,
                            l.off(), l.ld(), mean, 1, rstd, 1);
                    double[] dy = new double[l.length()];
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            dy[l.at(i, j)] = w[i * n + j];
                        }
                    }
                    double[] dx = dx0.clone();
                    double[] dg = dg0.clone();
                    double[] db = db0.clone();
                    LayerNorms.layerNormBackward(m, n, x, l.off(), l.ld(), gamma, 0, mean, 1, rstd, 1, dy, l.off(),
                            l.ld(), dx, l.off(), l.ld(), dg, 2, db, 3);
                    increment(dx, dx0, l, grads[0]);
                    for (int j = 0; j < n; j++) {
                        grads[1].set(j, dg[2 + j] - dg0[2 + j]);
                        grads[2].set(j, db[3 + j] - db0[3 + j]);
                    }
                },
                rng.tensor(m, n), Tensor.of(rng.values(n, 0.5, 1.5), n), rng.tensor(n)).assertPasses();
    }
}
