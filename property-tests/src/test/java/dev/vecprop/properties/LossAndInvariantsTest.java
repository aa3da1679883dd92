package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Tensor;
import dev.vecprop.testing.Approx;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.GradientCheck;
import dev.vecprop.testing.Network;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Losses (gradient checks and invariants), a model followed by its loss, LayerNorm statistics and activation
 * derivative bounds.
 */
@ExtendWith(RerunHint.class)
class LossAndInvariantsTest {

    /** rows × classes, classes >= 2. */
    static Stream<Case<Shape>> batches() {
        return Cases.of("loss-batches", 16, r -> Shape.of(r.dim(17), r.dim(2, 65)));
    }

    /** At least 2 outputs: cross-entropy over one class is identically 0, and so is every gradient. */
    static Stream<Case<Network>> networks() {
        return Cases.of("loss-networks", 8, r -> Network.draw(r, 33, Network.SMOOTH_ACTIVATIONS, 2));
    }

    static int[] labels(Rng rng, int rows, int classes) {
        int[] l = new int[rows];
        for (int i = 0; i < rows; i++) {
            l[i] = rng.nextInt(classes);
        }
        return l;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void softmaxCrossEntropyGradient(Case<Shape> c) {
        Rng rng = c.rng();
        int rows = c.value().dim(0);
        int classes = c.value().dim(1);
        // logits up to ±8: some rows confident, so the probabilities span several decades
        Tensor logits = Tensor.of(rng.values(rows * classes, -8, 8), rows, classes);
        GradientCheck.loss(Loss.softmaxCrossEntropy(), logits, labels(rng, rows, classes)).assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void mseGradient(Case<Shape> c) {
        Rng rng = c.rng();
        GradientCheck.loss(Loss.mse(), rng.tensor(c.value().dims()), rng.tensor(c.value().dims())).assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void bceWithLogitsGradient(Case<Shape> c) {
        Rng rng = c.rng();
        Tensor logits = Tensor.of(rng.values((int) c.value().size(), -8, 8), c.value().dims());
        Tensor targets = Tensor.of(rng.values((int) c.value().size(), 0, 1), c.value().dims());
        GradientCheck.loss(Loss.bceWithLogits(), logits, targets).assertPasses();
    }

    /** A whole model with its loss, end to end: the scalar is the loss itself. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void networkWithCrossEntropy(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        Model model = new Model(n.build(), DType.F64, rng.nextLong());
        int classes = n.out();
        GradientCheck.model(model, rng.tensor(n.batch(), n.in()))
                .withLoss(Loss.softmaxCrossEntropy(), labels(rng, n.batch(), classes)).seed(rng.nextLong())
                .failAtKinks().assertPasses();
    }

    /**
     * CE gradient rows sum to 0 (Σ_c p_c − 1 = 0), CE is invariant under adding a constant to a row of
     * logits, and the loss is ln(classes) when all logits are equal.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void crossEntropyInvariants(Case<Shape> c) {
        Rng rng = c.rng();
        int rows = c.value().dim(0);
        int classes = c.value().dim(1);
        int[] labels = labels(rng, rows, classes);
        for (DType dtype : DType.values()) {
            double eps = dtype == DType.F32 ? Approx.FLOAT_EPS : Approx.DOUBLE_EPS;
            Tensor logits = Tensor.of(rng.values(rows * classes, -8, 8), rows, classes).copy(dtype);
            Loss ce = Loss.softmaxCrossEntropy();
            Context ctx = new Context();
            double loss = ce.forward(logits, labels, 0, ctx);
            Tensor g = ce.backward(ctx).copy(DType.F64);
            for (int r = 0; r < rows; r++) {
                double sum = 0;
                for (int k = 0; k < classes; k++) {
                    sum += g.get(r * classes + k);
                }
                // each element is (p − onehot)/rows, |·| ≤ 1/rows, rounded once per element at most a few ulps
                double bound = 4 * classes * eps / rows;
                final int row = r;
                final double s = sum;
                assertTrue(Math.abs(sum) <= bound, () -> String.format(Locale.ROOT,
                        "%s: CE gradient row %d sums to %.3e, bound %.1e", dtype, row, s, bound));
            }
            Tensor shifted = logits.copy();
            for (int r = 0; r < rows; r++) {
                double shift = dtype == DType.F32 ? rng.pickInt(-4, 2, 8) : rng.uniform(-50, 50);
                for (int k = 0; k < classes; k++) {
                    shifted.set(r * classes + k, shifted.get(r * classes + k) + shift);
                }
            }
            Context ctx2 = new Context();
            Loss ce2 = Loss.softmaxCrossEntropy();
            double shiftedLoss = ce2.forward(shifted, labels, 0, ctx2);
            // the logsumexp of a shifted row is computed from a rounded max; allow the rounding of |logits|≤60
            double tol = dtype == DType.F32 ? Approx.float32Rtol(classes) : 1e3 * Approx.DOUBLE_EPS;
            Approx.assertClose(dtype + " CE of shifted logits", loss, shiftedLoss, 0, tol * 60);
            Approx.assertClose(dtype + " CE gradient of shifted logits", g.toDoubleArray(),
                    ce2.backward(ctx2).toDoubleArray(), 0, tol / rows);
            Tensor equal = Tensor.zeros(dtype, rows, classes);
            double uniform = Loss.softmaxCrossEntropy().forward(equal, labels, 0, new Context());
            Approx.assertClose(dtype + " CE of equal logits vs ln(classes)", Math.log(classes), uniform,
                    dtype == DType.F32 ? Approx.float32Rtol(classes) : Approx.float64Rtol(classes), 0);
        }
    }

    /** With γ = 1 and β = 0, each output row has mean 0 and variance var/(var + ε) (biased variance). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("batches")
    void layerNormRowsHaveMeanZeroAndUnitVariance(Case<Shape> c) {
        Rng rng = c.rng();
        int rows = c.value().dim(0);
        int cols = c.value().dim(1);
        for (DType dtype : DType.values()) {
            double rtol = dtype == DType.F32 ? Approx.float32Rtol(cols) : Approx.float64Rtol(cols);
            Model m = new Model(new Sequential(new LayerNorm(cols)), dtype, 1);
            double scale = rng.pick(1e-2, 1.0, 100.0);
            double center = rng.uniform(-10, 10);
            Tensor x = Tensor.of(rng.values(rows * cols, center - scale, center + scale), rows, cols).copy(dtype);
            Tensor y = m.forward(x, new Context(), Mode.INFERENCE);
            for (int r = 0; r < rows; r++) {
                double mx = 0;
                double my = 0;
                for (int k = 0; k < cols; k++) {
                    mx += x.get(r * cols + k);
                    my += y.get(r * cols + k);
                }
                mx /= cols;
                my /= cols;
                double vx = 0;
                double vy = 0;
                for (int k = 0; k < cols; k++) {
                    vx += sq(x.get(r * cols + k) - mx);
                    vy += sq(y.get(r * cols + k) - my);
                }
                vx /= cols;
                vy /= cols;
                double expected = vx / (vx + 1e-5);
                // the centring cancels |center|/scale digits: the bound grows with it
                double cond = 1 + Math.abs(center) / scale;
                Approx.assertClose(dtype + " row " + r + " mean", 0, my, 0, rtol * cond);
                Approx.assertClose(dtype + " row " + r + " variance", expected, vy, rtol * cond, 0);
            }
        }
    }

    /**
     * Every activation, one case each: the list is iterated, not sampled (8 draws with replacement from 8 leave
     * about a third of them unchecked). The case's Rng only draws the inputs.
     */
    static Stream<Case<String>> activations() {
        return Network.ACTIVATIONS.stream().flatMap(a -> Cases.of("activation-bounds-" + a, 1, r -> a));
    }

    /** The cases above name every activation: none is left to the luck of a draw. */
    @Test
    void activationCasesCoverEveryActivation() {
        assertEquals(Set.copyOf(Network.ACTIVATIONS), activations().map(Case::value).collect(Collectors.toSet()));
    }

    /** f′ from backward with dy = 1, over [−8, 8], within the analytic range of each derivative. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activationDerivativeBounds(Case<String> c) {
        double[] range = switch (c.value()) {
            case "relu" -> new double[] {0, 1};
            case "leakyRelu" -> new double[] {0.1, 1};
            case "sigmoid" -> new double[] {0, 0.25};
            case "tanh", "softplus" -> new double[] {0, 1};
            // GELU′ (tanh form) has its extremes −0.128993 and 1.128993 near x = ∓1.5; the exact form's are
            // Φ(∓√2) ∓ √2·φ(√2) = −0.128904 and 1.128904 (f″ = φ(x)(2 − x²) vanishes at ±√2)
            case "gelu" -> new double[] {-0.128994, 1.128994};
            case "geluExact" -> new double[] {-0.128905, 1.128905};
            // SiLU′ = σ(x)(1 + x(1 − σ(x))): extremes −0.099840 and 1.099840 near x = ∓2.4
            case "silu" -> new double[] {-0.099840, 1.099840};
            default -> throw new IllegalArgumentException(c.value());
        };
        Rng rng = c.rng();
        int n = 4096;
        double[] xs = rng.valuesAwayFrom(n, -8, 8, 0);
        for (DType dtype : DType.values()) {
            Model m = new Model(new Sequential(Network.activation(c.value()).get()), dtype, 1);
            Tensor x = Tensor.of(xs.clone(), 1, n).copy(dtype);
            Context ctx = new Context();
            m.forward(x, ctx, Mode.TRAIN);
            Tensor ones = Tensor.zeros(dtype, 1, n);
            for (int i = 0; i < n; i++) {
                ones.set(i, 1);
            }
            Tensor d = m.backward(ones, ctx);
            double slack = dtype == DType.F32 ? 1e-6 : 1e-12;
            for (int i = 0; i < n; i++) {
                double v = d.get(i);
                final int at = i;
                assertTrue(v >= range[0] - slack && v <= range[1] + slack, () -> String.format(Locale.ROOT,
                        "%s %s'(%.6f) = %.9f outside [%s, %s]", dtype, c.value(), xs[at], v, range[0], range[1]));
                if (c.value().equals("relu") || c.value().equals("leakyRelu")) {
                    double slope = dtype == DType.F32 ? (float) range[0] : range[0];
                    assertEquals(xs[i] > 0 ? 1 : slope, v, 0, "piecewise-constant derivative at " + xs[i]);
                }
            }
        }
    }

    private static double sq(double v) {
        return v * v;
    }
}
