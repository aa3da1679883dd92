package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Tensor;
import dev.vecprop.properties.planted.BatchCentering;
import dev.vecprop.properties.planted.PlantedActivation;
import dev.vecprop.properties.planted.PlantedLinear;
import dev.vecprop.properties.planted.PlantedOffset;
import dev.vecprop.properties.planted.PlantedLinear.Bug;
import dev.vecprop.testing.Approx;
import dev.vecprop.testing.BackwardContract;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.GradientCheck;
import dev.vecprop.testing.Network;
import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Shape;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * Proof that the checks can fail: planted wrong backwards (and a too-large step) must be reported by the same
 * {@link GradientCheck} and {@link BackwardContract} calls that pass the real layers, with the worst element
 * pointing at the planted error. Each planted layer also has its correct twin, which must pass, so a failure
 * here is the bug and not the test layer.
 */
class ChecksCanFailTest {

    private static final Rng RNG = new Rng(0x0BAD_BAC4L);

    private static Tensor x(int rows, int cols) {
        return RNG.tensor(rows, cols);
    }

    private static GradientCheck.Result failing(GradientCheck check) {
        GradientCheck.Result r = check.run();
        assertFalse(r.passed(), () -> "the planted bug was not caught:\n" + r.message());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, check::assertPasses);
        assertTrue(e.getMessage().contains("FAILED") && e.getMessage().contains("worst: "), e.getMessage());
        return r;
    }

    private static GradientCheck.TensorResult tensor(GradientCheck.Result r, String name) {
        return r.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void correctTwinsPass() {
        GradientCheck.layer(new PlantedLinear(7, 5, Bug.NONE), x(9, 7)).assertPasses();
        BackwardContract.of(new PlantedLinear(7, 5, Bug.NONE), x(9, 7)).assertAll();
        GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.TANH), x(4, 9)).assertPasses();
        GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.RELU),
                RNG.tensorAwayFrom(new double[] {0}, 4, 9)).failAtKinks().assertPasses();
        GradientCheck.layer(new BatchCentering(), x(5, 3)).assertPasses();
    }

    @Test
    void flippedSignOfDxIsReportedOnTheInput() {
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.FLIPPED_SIGN_DX), x(9, 7)));
        assertEquals("input", r.worst().tensor(), r.message());
        assertEquals(-r.worst().numeric(), r.worst().analytic(), 1e-6 * Math.abs(r.worst().numeric()), r.message());
        assertEquals(0, tensor(r, "weight").failed(), r.message());
        assertEquals(0, tensor(r, "bias").failed(), r.message());
    }

    @Test
    void transposedWeightGradientIsReportedOnTheWeight() {
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.TRANSPOSED_DW), x(9, 7)));
        assertEquals("weight", r.worst().tensor(), r.message());
        assertEquals(0, tensor(r, "input").failed(), r.message());
        assertEquals(0, tensor(r, "bias").failed(), r.message());
    }

    @Test
    void missingBiasGradientIsReportedOnTheBias() {
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.MISSING_DB), x(9, 7)));
        assertEquals("bias", r.worst().tensor(), r.message());
        assertEquals(0, r.worst().analytic(), r.message());
        assertEquals(5, tensor(r, "bias").failed(), r.message());
        assertEquals(0, tensor(r, "weight").failed(), r.message());
    }

    @Test
    void aSingleWrongElementIsPinpointed() {
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.ONE_ELEMENT_DW), x(9, 7)));
        assertEquals("weight", r.worst().tensor(), r.message());
        assertArrayEquals(new int[] {1, 2}, r.worst().index(), r.message());
        assertEquals(1, tensor(r, "weight").failed(), r.message());
        assertEquals(1e-4, r.worst().absError(), 1e-8, r.message());
    }

    /** A 40×50 weight (2000 elements) with maxElements(2000): every element is checked, so the one wrong one is found. */
    @Test
    void singleWrongElementInABigTensorIsFoundWhenEveryElementIsChecked() {
        GradientCheck check = GradientCheck.layer(new PlantedLinear(50, 40, Bug.ONE_ELEMENT_DW), x(3, 50))
                .maxElements(2000);
        GradientCheck.Result r = failing(check);
        assertArrayEquals(new int[] {1, 2}, r.worst().index(), r.message());
        assertEquals(2000, tensor(r, "weight").checked(), r.message());
    }

    /**
     * With the default sample (64 of the 2000 weight elements: the first, the last and 62 of the 1998 others),
     * the one wrong element is checked with probability 62/1998 ≈ 3.1%, as the class comment states: over 300
     * seeds about 9.3 checks find it (σ ≈ 3.0). [2, 19] is about ±3σ; a sample that was not uniform, or that
     * always took the first elements, falls outside.
     */
    @Test
    void singleWrongElementInABigTensorIsFoundAsOftenAsDocumented() {
        Tensor x = x(3, 50);
        int found = 0;
        for (long seed = 0; seed < 300; seed++) {
            GradientCheck.Result r = GradientCheck.layer(new PlantedLinear(50, 40, Bug.ONE_ELEMENT_DW), x).seed(seed)
                    .run();
            assertEquals(GradientCheck.DEFAULT_MAX_ELEMENTS, tensor(r, "weight").checked(), r.message());
            found += r.passed() ? 0 : 1;
        }
        assertTrue(found >= 2 && found <= 19, "found in " + found + " of 300 seeds; expected about 300·62/1998 = 9.3");
    }

    /**
     * A gradient check zeroes the gradients before its backward, so it cannot see overwrite-instead-of-add; the
     * accumulation property does.
     */
    @Test
    void overwriteInsteadOfAccumulateIsCaughtByTheContract() {
        GradientCheck.layer(new PlantedLinear(7, 5, Bug.OVERWRITE_DW), x(9, 7)).assertPasses();
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BackwardContract.of(new PlantedLinear(7, 5, Bug.OVERWRITE_DW), x(9, 7)).assertAccumulates());
        assertTrue(e.getMessage().contains("must add, not overwrite"), e.getMessage());
    }

    @Test
    void nonlinearBackwardIsCaughtByLinearityInDy() {
        assertThrows(AssertionFailedError.class,
                () -> BackwardContract.of(new PlantedLinear(7, 5, Bug.NONLINEAR_IN_DY), x(9, 7)).assertLinearInDy());
        failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.NONLINEAR_IN_DY), x(9, 7)));
    }

    @Test
    void rowMixingLayerFailsBatchIsPerRow() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BackwardContract.of(new BatchCentering(), x(5, 3)).assertBatchIsPerRow());
        assertTrue(e.getMessage().contains("row by row"), e.getMessage());
    }

    @Test
    void wrongTanhDerivativeIsReportedOnTheInput() {
        GradientCheck.Result r = failing(GradientCheck.layer(
                new PlantedActivation(PlantedActivation.Kind.TANH_WRONG_DERIVATIVE), x(4, 9)));
        assertEquals("input", r.worst().tensor(), r.message());
    }

    /** The kink tolerance must not hide a wrong ReLU derivative (inputs away from the kink, default settings). */
    @Test
    void reluWithoutMaskIsReportedAndNotMistakenForAKink() {
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.RELU_NO_MASK),
                RNG.tensorAwayFrom(new double[] {0}, 4, 9)));
        GradientCheck.TensorResult input = tensor(r, "input");
        assertEquals(0, input.kinks(), r.message());
        assertTrue(input.failed() > 0, r.message());
        assertTrue(r.worst().numeric() == 0 && r.worst().analytic() != 0, r.message());
    }

    /** A ReLU input exactly at its kink: skipped (1 of 6, within allowedKinks) by default, a failure with failAtKinks(). */
    @Test
    void anInputOnAKinkIsSkippedByDefaultAndFailsWhenAsked() {
        Tensor x = RNG.tensorAwayFrom(new double[] {0}, 2, 3);
        x.set(4, 0.0);
        GradientCheck.Result r = GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.RELU), x).run();
        assertTrue(r.passed(), r.message());
        assertEquals(1, tensor(r, "input").kinks(), r.message());
        assertTrue(r.message().contains("1 skipped at kinks"), r.message());
        GradientCheck.Result strict = GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.RELU), x)
                .failAtKinks().run();
        assertFalse(strict.passed(), strict.message());
        assertArrayEquals(new int[] {1, 1}, strict.worst().index(), strict.message());
    }

    /**
     * A wrong backward (ReLU without its mask) at inputs that all sit on the kink: every failing element is
     * classed as a kink. Skipping them all must not pass: more than allowedKinks skipped fails the tensor, and
     * the message says how many were skipped.
     */
    @Test
    void aWrongBackwardSkippedEnMasseAsKinksFails() {
        Tensor x = Tensor.zeros(DType.F64, 4, 9); // every input on ReLU's kink
        GradientCheck.Result r = GradientCheck.layer(new PlantedActivation(PlantedActivation.Kind.RELU_NO_MASK), x)
                .run();
        GradientCheck.TensorResult input = tensor(r, "input");
        // (a weight |w| < 1e-3 would make its element's jump too small to count as a kink: then it fails outright)
        assertEquals(36, input.kinks() + input.failed(), r.message());
        assertTrue(input.kinks() > GradientCheck.allowedKinks(36), r.message());
        assertTrue(input.tooManyKinks(), r.message());
        assertFalse(r.passed(), r.message());
        assertTrue(r.message().contains(input.kinks() + " skipped at kinks"), r.message());
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> GradientCheck.layer(
                new PlantedActivation(PlantedActivation.Kind.RELU_NO_MASK), x).assertPasses());
        assertTrue(e.getMessage().contains("FAILED") && e.getMessage().contains("skipped at kinks"), e.getMessage());
    }

    @Test
    void allowedKinksIsASmallFraction() {
        assertEquals(0, GradientCheck.allowedKinks(0));
        assertEquals(0, GradientCheck.allowedKinks(4));
        assertEquals(1, GradientCheck.allowedKinks(5));
        assertEquals(1, GradientCheck.allowedKinks(39));
        assertEquals(2, GradientCheck.allowedKinks(40));
        assertEquals(3, GradientCheck.allowedKinks(64));
    }

    /** Truncation error of a step of 0.1 on tanh is ~h²·f'''/6 ≈ 1e-3: far outside rtol 1e-6. */
    @Test
    void tooLargeStepIsReported() {
        Tensor x = x(3, 8);
        GradientCheck.layer(Network.activation("tanh").get(), x).assertPasses();
        failing(GradientCheck.layer(Network.activation("tanh").get(), x).stepScale(1e-1));
        failing(GradientCheck.layer(Network.activation("gelu").get(), x).stepScale(1e-2));
    }

    /**
     * Cross-entropy over one class is identically 0 (log-softmax of a single logit), so every numeric derivative
     * is 0 and any backward returning 0 would pass: the check must fail as one that compared nothing, through
     * the loss form and through a model with its loss, and pass only when a zero gradient is allowed.
     */
    @Test
    void aCheckThatComparedNothingFails() {
        Tensor logits = x(4, 1);
        int[] labels = {0, 0, 0, 0};
        GradientCheck.Result r = failing(GradientCheck.loss(Loss.softmaxCrossEntropy(), logits, labels));
        assertTrue(r.comparedNothing(), r.message());
        assertEquals(0, tensor(r, "output").failed(), r.message());
        assertTrue(r.message().contains("COMPARED NOTHING"), r.message());
        assertTrue(tensor(r, "output").toString().contains("every numeric derivative exactly 0"), r.message());
        Model oneClass = new Model(new Linear(3, 1), DType.F64, 2);
        GradientCheck.Result m = failing(GradientCheck.model(oneClass, x(4, 3))
                .withLoss(Loss.softmaxCrossEntropy(), labels));
        assertTrue(m.comparedNothing() && m.message().contains("COMPARED NOTHING"), m.message());
        GradientCheck.Result allowed = GradientCheck.loss(Loss.softmaxCrossEntropy(), logits, labels)
                .allowZeroGradient().assertPasses();
        assertTrue(allowed.comparedNothing() && allowed.message().contains("allowZeroGradient"), allowed.message());
        // the control: the same loss over two classes compares real derivatives
        GradientCheck.Result two = GradientCheck.loss(Loss.softmaxCrossEntropy(), x(4, 2), labels).assertPasses();
        assertFalse(two.comparedNothing(), two.message());
    }

    /**
     * A LayerNorm over one feature outputs β whatever x and γ are: those tensors' numeric derivatives are all 0
     * (noted in their lines), but β's are not, so the check as a whole compared something and passes.
     */
    @Test
    void aTensorWithZeroGradientIsNotedButDoesNotFailAlone() {
        GradientCheck.Result r = GradientCheck.layer(new LayerNorm(1), x(5, 1)).assertPasses();
        assertFalse(r.comparedNothing(), r.message());
        assertEquals(5, tensor(r, "input").zeroNumeric(), r.message());
        assertTrue(tensor(r, "input").toString().contains("every numeric derivative exactly 0"), r.message());
        assertEquals(0, tensor(r, "bias").zeroNumeric(), r.message());
    }

    /** 32 rows, 16 → 64 → tanh → 64, wrapped so one gradient element can be offset: 2048 outputs. */
    private record Wide(Model model, PlantedOffset planted, Parameter target, Tensor x) {
        static Wide build() {
            Linear first = new Linear(16, 64);
            // the offset goes on the first layer's weight [0][0]: through the tanh layer it reaches every output
            PlantedOffset planted = new PlantedOffset(new Sequential(first, Activation.tanh(), new Linear(64, 64)),
                    first.weight(), 0);
            Model model = new Model(planted, DType.F64, 0x5EEDL);
            Tensor x = new Rng(0x3A7EL).tensor(32, 16);
            // input column 0 scaled by 1e-3: the weight [0][0] multiplies it, so its derivative is small and rtol·|n|
            // does not hide the rounding floor in its allowance (its perturbation still moves every output)
            for (int r = 0; r < 32; r++) {
                x.set(r * 16, 1e-3 * x.get(r * 16));
            }
            return new Wide(model, planted, first.weight(), x);
        }

        /** @return the model's output with the target element at {@code v} (then restored), as the check runs it */
        Tensor outputAt(double v, Context ctx) {
            Tensor p = target.value();
            double orig = p.get(0);
            p.set(0, v);
            Tensor y = model.forward(x, ctx, Mode.TRAIN).copy();
            p.set(0, orig);
            return y;
        }
    }

    /**
     * Plants an error at the target element just outside the stated allowance (|a − n| = 1.02 × allowance): it
     * must fail there, with that ratio; then just inside (0.98 ×): it must pass. The correct gradient's own error
     * must be far inside, else the edge would be blurred by it.
     */
    private static void assertAllowanceEdge(GradientCheck check, Wide n, double numeric, double allowance) {
        double analytic = n.target().grad().get(0); // from the correct backward of the check just run
        assertTrue(Math.abs(analytic - numeric) < 0.1 * allowance, "the correct gradient's error "
                + Math.abs(analytic - numeric) + " is not far inside the allowance " + allowance);
        n.planted().offset(numeric + 1.02 * allowance - analytic);
        GradientCheck.Result r = failing(check);
        assertEquals(n.target().name(), r.worst().tensor(), r.message());
        assertArrayEquals(new int[] {0, 0}, r.worst().index(), r.message());
        assertEquals(1.02, r.worst().ratio(), 1e-3, r.message());
        assertEquals(1, tensor(r, n.target().name()).failed(), r.message());
        n.planted().offset(numeric + 0.98 * allowance - analytic);
        GradientCheck.Result inside = check.run();
        assertTrue(inside.passed(), inside.message());
        assertEquals(0.98, inside.worst().ratio(), 1e-3, inside.message());
        n.planted().offset(0);
    }

    /**
     * model(...) on 2048 outputs: the allowance of a first-layer weight is atol + rtol·|n| plus the rounding floor
     * 4ε·Σ|wᵢ|(|yᵢ(θ+h)| + |yᵢ(θ−h)|)/2h over the outputs it reaches (the class comment's rule), computed here
     * from the outputs and the w the backward received. The floor grows with the outputs reached: here it is
     * far above atol, and an error just above it is caught while one just below passes.
     */
    @Test
    void modelCheckAllowanceOnManyOutputsIsTheStatedOne() {
        Wide n = Wide.build();
        GradientCheck check = GradientCheck.model(n.model(), n.x()).seed(7);
        check.assertPasses(); // the correct twin
        double[] w = n.planted().lastDy();
        double theta = n.target().value().get(0);
        double h = GradientCheck.step(theta);
        double plus = theta + h;
        double minus = theta - h;
        double[] yp = n.outputAt(plus, new Context()).toDoubleArray();
        double[] ym = n.outputAt(minus, new Context()).toDoubleArray();
        double delta = 0;
        double magnitude = 0;
        int reached = 0;
        for (int i = 0; i < w.length; i++) {
            delta += w[i] * (yp[i] - ym[i]);
            if (yp[i] != ym[i]) {
                magnitude += Math.abs(w[i]) * (Math.abs(yp[i]) + Math.abs(ym[i]));
                reached++;
            }
        }
        double numeric = delta / (plus - minus);
        double floor = 4 * Math.ulp(1.0) * magnitude / (plus - minus);
        double allowance = GradientCheck.COMPOSITE_ATOL + GradientCheck.COMPOSITE_RTOL * Math.abs(numeric) + floor;
        assertEquals(32 * 64, reached);
        // the floor, not atol + rtol·|n|, sets this allowance, and it is far above atol
        assertTrue(floor > 0.8 * allowance && floor > 10 * GradientCheck.COMPOSITE_ATOL,
                "floor " + floor + ", allowance " + allowance);
        assertAllowanceEdge(check, n, numeric, allowance);
    }

    /**
     * model(...).withLoss(...) on the same network under cross-entropy over 64 classes: the scalar is the loss,
     * so the floor is 4ε(|f(θ+h)| + |f(θ−h)|)/2h whatever the number of outputs; an error just above the
     * allowance is caught, one just below passes.
     */
    @Test
    void modelWithLossAllowanceIsTheStatedOne() {
        Wide n = Wide.build();
        int[] labels = new int[32];
        Rng rng = new Rng(0x1AB3L);
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(64);
        }
        Loss ce = Loss.softmaxCrossEntropy();
        GradientCheck check = GradientCheck.model(n.model(), n.x()).withLoss(ce, labels).seed(7);
        check.assertPasses(); // the correct twin
        double theta = n.target().value().get(0);
        double h = GradientCheck.step(theta);
        double plus = theta + h;
        double minus = theta - h;
        Context cp = new Context();
        double fp = ce.forward(n.outputAt(plus, cp), labels, 0, cp);
        Context cm = new Context();
        double fm = ce.forward(n.outputAt(minus, cm), labels, 0, cm);
        double numeric = (fp - fm) / (plus - minus);
        double floor = 4 * Math.ulp(1.0) * (Math.abs(fp) + Math.abs(fm)) / (plus - minus);
        double allowance = GradientCheck.COMPOSITE_ATOL + GradientCheck.COMPOSITE_RTOL * Math.abs(numeric) + floor;
        assertAllowanceEdge(check, n, numeric, allowance);
    }

    /**
     * withLoss works on a layer check as on a model check (a planted wrong dx is caught through it), refuses a
     * function or loss check, which already ends in its scalar, and refuses a null loss at once rather than at run.
     */
    @Test
    void withLossOnALayerCheckAndItsRefusals() {
        int[] labels = {0, 4, 2, 1, 3, 0};
        Tensor x = x(6, 7);
        GradientCheck.layer(new PlantedLinear(7, 5, Bug.NONE), x).withLoss(Loss.softmaxCrossEntropy(), labels)
                .assertPasses();
        GradientCheck.Result r = failing(GradientCheck.layer(new PlantedLinear(7, 5, Bug.FLIPPED_SIGN_DX), x)
                .withLoss(Loss.softmaxCrossEntropy(), labels));
        assertEquals("input", r.worst().tensor(), r.message());
        Loss ce = Loss.softmaxCrossEntropy();
        GradientCheck fn = GradientCheck.function("sum", in -> 0, (in, g) -> { }, x(2, 2));
        assertThrows(IllegalStateException.class, () -> fn.withLoss(ce, new int[] {0, 1}));
        assertThrows(IllegalStateException.class, () -> fn.withLoss(Loss.mse(), x(2, 2)));
        GradientCheck lossCheck = GradientCheck.loss(ce, x(2, 3), new int[] {0, 1});
        assertThrows(IllegalStateException.class, () -> lossCheck.withLoss(ce, new int[] {0, 1}));
        GradientCheck model = GradientCheck.model(new Model(new Linear(7, 5), DType.F64, 1), x);
        NullPointerException e = assertThrows(NullPointerException.class, () -> model.withLoss(null, labels));
        assertEquals("loss", e.getMessage());
        assertThrows(NullPointerException.class, () -> model.withLoss(null, x(6, 5)));
        assertThrows(NullPointerException.class, () -> model.withLoss(ce, (int[]) null));
        assertThrows(IllegalArgumentException.class, () -> model.withLoss(Loss.mse(), x(6, 5).copy(DType.F32)));
    }

    /** A loss gradient missing its 1/rows, checked through the generic function form. */
    @Test
    void lossGradientMissingItsMeanIsReported() {
        int rows = 3;
        Tensor logits = x(rows, 5);
        int[] labels = {0, 4, 2};
        Loss ce = Loss.softmaxCrossEntropy();
        GradientCheck.loss(ce, logits, labels).assertPasses();
        GradientCheck.Result r = failing(GradientCheck.function("CE without 1/rows",
                in -> ce.forward(in[0], labels, 0, new Context()),
                (in, grads) -> {
                    Context ctx = new Context();
                    ce.forward(in[0], labels, 0, ctx);
                    Tensor g = ce.backward(ctx);
                    for (int i = 0; i < g.size(); i++) {
                        grads[0].set(i, rows * g.get(i));
                    }
                }, logits));
        assertEquals(rows, r.worst().analytic() / r.worst().numeric(), 1e-6, r.message());
    }

    @Test
    void float32IsRefusedWithAClearMessage() {
        Tensor x32 = Tensor.zeros(DType.F32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientCheck.layer(new Linear(3, 2), x32));
        assertTrue(e.getMessage().contains("float64 only") && e.getMessage().contains("F32"), e.getMessage());
    }

    /** The GEMM suite's own checker reports a wrong element (a product that drops its last term). */
    @Test
    void gemmCheckerCatchesADroppedTerm() {
        for (Precision p : Precision.values()) {
            GemmCase g = new GemmCase(p, false, true, 9, 17, 33, 1, 0, 1, 33, 2, 34, 0, 17);
            double[] a = p.values(RNG, g.aLength());
            double[] b = p.values(RNG, g.bLength());
            double[] c = new double[g.cLength()];
            g.run(a, b, c);
            double[] ref = new double[c.length];
            double[] scale = new double[c.length];
            GemmPropertiesTest.reference(g, a, b, new double[c.length], ref, scale);
            GemmPropertiesTest.assertWithin(g, "control", ref, c, scale, p.rtol(g.k() + 2));
            // C[4][5] without its last term a[4][32]·b[32][5]
            int ci = g.c(4, 5);
            c[ci] = p.round(c[ci] - g.a(a, 4, 32) * g.b(b, 32, 5));
            AssertionFailedError e = assertThrows(AssertionFailedError.class,
                    () -> GemmPropertiesTest.assertWithin(g, "planted", ref, c, scale, p.rtol(g.k() + 2)));
            assertTrue(e.getMessage().contains("C[4][5]"), e.getMessage());
        }
    }

    @Test
    void approxReportsTheWorstElement() {
        double[] expected = {1, 2, 3, 4};
        double[] actual = {1, 2 + 1e-9, 3 + 1e-3, 4};
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> Approx.assertClose("v", expected, actual, 1e-6, 0));
        assertTrue(e.getMessage().contains("[2] expected 3.0"), e.getMessage());
        Approx.assertClose("v", expected, new double[] {1, 2 + 1e-9, 3, 4}, 1e-6, 0);
        assertThrows(AssertionFailedError.class,
                () -> Approx.assertClose("nan", new double[] {Double.NaN}, new double[] {Double.NaN}, 1, 1));
    }

    /**
     * A layer whose output is NaN fails the gradient check as a failed comparison, not with an argument error:
     * the rounding allowance the check derives from the outputs is NaN then, and Approx refuses NaN tolerances.
     */
    @Test
    void aNaNOutputFailsTheCheckInsteadOfBreakingIt() {
        Layer nan = new Layer() {
            @Override
            public Tensor forward(Tensor x, Context ctx, Mode mode) {
                Tensor y = Tensor.zeros(x.dtype(), x.shape());
                for (int i = 0; i < y.size(); i++) {
                    y.set(i, i == 3 ? Double.NaN : 2 * x.get(i));
                }
                return y;
            }

            @Override
            public Tensor backward(Tensor dy, Context ctx) {
                Tensor dx = Tensor.zeros(dy.dtype(), dy.shape());
                for (int i = 0; i < dx.size(); i++) {
                    dx.set(i, 2 * dy.get(i));
                }
                return dx;
            }
        };
        failing(GradientCheck.layer(nan, x(3, 4)));
        Model m = new Model(new Linear(4, 2), DType.F64, 1);
        Tensor withNaN = x(3, 4);
        withNaN.set(5, Double.NaN);
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> BackwardContract.of(m, withNaN).assertAccumulates());
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    /**
     * A negative tolerance would turn every element's ratio negative, a NaN one would let the first element pass
     * unexamined: both would make the comparison pass whatever the values, so they are refused.
     */
    @Test
    void tolerancesThatWouldPassAnythingAreRefused() {
        double[] expected = {1, 2};
        double[] wrong = {5, -7};
        for (double[] tol : new double[][] {{-1e-6, 0}, {1e-6, -1}, {Double.NaN, 0}, {0, Double.NaN}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Approx.assertClose("v", expected, wrong, tol[0], tol[1]));
            assertTrue(e.getMessage().contains(tol[0] >= 0 ? "atol" : "rtol"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> Approx.ratio(1, 5, -1, 0));
        Model m = new Model(new Linear(2, 2), DType.F64, 1);
        assertThrows(IllegalArgumentException.class,
                () -> BackwardContract.of(m, Tensor.zeros(DType.F64, 2, 2)).tolerance(-1e-12));
        assertThrows(IllegalArgumentException.class,
                () -> BackwardContract.of(m, Tensor.zeros(DType.F64, 2, 2)).tolerance(Double.NaN));
    }

    /** A failing dynamic test from Cases.tests names its case and the flag that replays it. */
    @Test
    void failuresCarryTheReplayFlag() {
        List<DynamicTest> tests = Cases.tests("replay", 3, r -> Shape.of(r.dim(), r.dim()), c -> {
            throw new AssertionError("planted failure");
        }).toList();
        for (DynamicTest t : tests) {
            AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> t.getExecutable().execute());
            assertTrue(e.getMessage().startsWith("planted failure"), e.getMessage());
            assertTrue(e.getMessage().contains("case: " + t.getDisplayName()), e.getMessage());
            assertTrue(e.getMessage().contains("replay: -Dvecprop.case=0x"), e.getMessage());
        }
    }

    /** Same base seed → same cases; the case seed alone replays a case; another base seed changes them. */
    @Test
    void casesAreReproducibleFromTheirSeeds() {
        Assumptions.assumeTrue(Cases.onlyCase() == null, "not while one case is replayed");
        List<Case<GemmCase>> first = Cases.list("repro", 20, GemmCase::draw);
        List<Case<GemmCase>> again = Cases.list("repro", 20, GemmCase::draw);
        assertEquals(first.toString(), again.toString());
        for (int i = 1; i < first.size(); i++) {
            assertTrue(first.get(i - 1).value().size() <= first.get(i).value().size(), "small to large");
        }
        Case<GemmCase> c = first.get(7);
        assertEquals(c.value().toString(), GemmCase.draw(new Rng(c.seed())).toString());
        assertEquals(c.rng().nextLong(), c.rng().nextLong());
        // other settings, passed explicitly (no global system property is changed) and parsed by the same code
        // that reads -Dvecprop.seed / -Dvecprop.case
        Cases.Settings otherSeed = Cases.Settings.from(java.util.Map.of(Cases.SEED_PROPERTY, "12345")::get);
        assertEquals(12345, otherSeed.baseSeed());
        assertNotEquals(first.toString(), Cases.list(otherSeed, "repro", 20, GemmCase::draw).toString());
        Cases.Settings replay = Cases.Settings.from(java.util.Map.of(Cases.SEED_PROPERTY, "12345",
                Cases.CASE_PROPERTY, Cases.hex(c.seed()))::get);
        List<Case<GemmCase>> only = Cases.list(replay, "repro", 20, GemmCase::draw);
        assertEquals(1, only.size());
        assertEquals(c.toString(), only.get(0).toString());
        assertEquals(first.toString(), Cases.list(Cases.fromSystemProperties(), "repro", 20, GemmCase::draw).toString());
    }
}
