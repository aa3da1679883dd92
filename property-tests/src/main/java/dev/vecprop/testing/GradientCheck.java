package dev.vecprop.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.SplittableRandom;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Tensor;
import org.opentest4j.AssertionFailedError;

/**
 * Checks hand-written backward passes against central finite differences in float64, like
 * {@code torch.autograd.gradcheck}: for a {@link Layer}, a {@link Loss}, a whole {@link Model} (optionally
 * followed by its loss), or any function of tensors to a scalar.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(rng.values(4 * 16), 4, 16);              // float64
 * GradientCheck.layer(new MyLayer(16, 8), x).assertPasses();
 * }</pre>
 *
 * <p>The method:
 * <ul>
 *   <li>The scalar checked is {@code L = Σ w ⊙ f(x)} with fixed random weights {@code w ∈ [−1, 1]}, so the
 *       analytic side is one backward with {@code dy = w}, and one check covers the whole vector–Jacobian
 *       product (a plain sum would miss errors that cancel across outputs).</li>
 *   <li>Numeric derivative of element θ: {@code (L(θ+h) − L(θ−h)) / 2h}, {@code h = 1e-6·max(1, |θ|)}
 *       ({@link #step}), with 2h taken as the difference the rounded arguments really have. For a layer or a
 *       model it is evaluated as {@code Σ w ⊙ (f(θ+h) − f(θ−h)) / 2h} — the same number mathematically, but
 *       outputs that θ does not reach then contribute exactly zero instead of rounding noise.</li>
 *   <li>Element i passes when {@code |a − n| ≤ atol + rtol·|n| + floor}. Defaults: a single op (layer, loss,
 *       function) rtol 1e-6, atol 1e-9; a model rtol 1e-5, atol 1e-8; {@link #tolerance} changes them. The
 *       floor is the rounding error the difference itself may carry, which the numeric side cannot beat
 *       (ε = 2.2e-16; 2h is the difference the rounded arguments really have, 2e-6 for |θ| ≤ 1):
 *       <ul>
 *         <li>a scalar subject (a loss, a function, a model with a loss): {@code 4·ε·(|f(θ+h)| + |f(θ−h)|) / 2h},
 *             ≈ 4e-9 for |f| ≈ 5 at h = 1e-6;</li>
 *         <li>a layer or model ({@code L = Σ w ⊙ y}): {@code 4·ε·Σ|wᵢ|·(|yᵢ(θ+h)| + |yᵢ(θ−h)|) / 2h} over the
 *             outputs θ reaches (those that differ between the two evaluations), so it grows linearly with
 *             their number: ≈ 7e-8 for a weight reaching 30 outputs of size 5 (|wᵢ| ≈ 0.5); ≈ 8e-7, 80 times
 *             the model atol, for a first-layer weight of a 32-row model with 64 outputs (2048 outputs, mean
 *             |wᵢ·yᵢ| ≈ 0.43). An error smaller than its element's floor is not seen: where that matters, check
 *             a narrower model, or layer by layer.</li>
 *       </ul>
 *       A wrong backward is usually off by far more (see the planted-bug tests, which also plant errors just
 *       above and just below this allowance).</li>
 *   <li>Checked: the input(s) and every parameter tensor, each at most {@link #maxElements} elements (all of
 *       a small tensor; of a big one, its first and last element and a uniform random sample of the others,
 *       drawn from {@link #seed}). So a bug confined to one element of a big tensor is found only if that
 *       element is drawn: checking m = maxElements (default {@value #DEFAULT_MAX_ELEMENTS}) of N > m
 *       elements, an interior element is checked with probability (m − 2)/(N − 2) and missed with
 *       1 − (m − 2)/(N − 2): 97% for a 40×50 weight (N = 2000), 99.8% for a 256×128 one. A bug that touches a
 *       whole row, column or tensor is drawn almost surely; for one element, {@code maxElements(N)} checks all
 *       of them (2 evaluations each).</li>
 *   <li>Before every evaluation the context's {@link Context#step() step} is reset to the same value, so
 *       Dropout draws the same mask each time and is checkable; {@link #beforeEach} resets other state.</li>
 *   <li>Kinks: an element that fails although its two one-sided differences disagree by more than
 *       {@code 1e-3·max(1, |n|)} (scaled with the step) sits on a kink (ReLU at 0, a max with a tie) where no derivative exists; it
 *       is counted as skipped, not failed — but only a few may be: a tensor with more than
 *       {@link #allowedKinks allowedKinks(checked)} skipped elements (5% of the checked ones, rounded down; at
 *       least 1 once 5 or more are checked, none below that) fails, since a wrong backward at inputs that sit
 *       on kinks would otherwise pass as "all skipped". Every report states how many were skipped.
 *       {@link #failAtKinks()} counts them as failures instead. Better still, draw inputs away from kinks
 *       ({@link Rng#valuesAwayFrom}; the generators do).</li>
 *   <li>A check that compared nothing fails: when every numeric derivative it computed, over all checked
 *       tensors, is exactly 0, the subject's value did not move whatever was perturbed (cross-entropy over one
 *       class, every output behind a LayerNorm over one feature, every ReLU dead), so any backward returning
 *       zeros would pass. The report says so; {@link #allowZeroGradient()} accepts it where a zero gradient is
 *       what the check is meant to show. A tensor whose own numeric derivatives are all 0 is noted in its line
 *       but does not fail by itself (a LayerNorm of one feature still has a β gradient).</li>
 *   <li>float32 is refused: its rounding (1e-7) divided by h (1e-6) leaves no digits to compare. Check
 *       float32 kernels against the float64 path instead ({@link Approx#float32Rtol}).</li>
 * </ul>
 *
 * <p>On failure, {@link #assertPasses()} throws an {@link AssertionFailedError} naming the worst element:
 * tensor, index, analytic and numeric values, absolute and relative errors, and a line per tensor.
 *
 * <p>The subject is evaluated 2 times per checked element plus twice; its inputs and parameters are perturbed
 * in place and restored bitwise. Not thread-safe; use one check per thread.
 */
public final class GradientCheck {

    /** Default rtol for one layer, activation, loss or function. */
    public static final double SINGLE_OP_RTOL = 1e-6;
    /** Default atol for one layer, activation, loss or function. */
    public static final double SINGLE_OP_ATOL = 1e-9;
    /** Default rtol for a composite (a model of several layers). */
    public static final double COMPOSITE_RTOL = 1e-5;
    /** Default atol for a composite (a model of several layers). */
    public static final double COMPOSITE_ATOL = 1e-8;
    /** Default relative step: {@code h = 1e-6·max(1, |θ|)}. */
    public static final double DEFAULT_STEP = 1e-6;
    /**
     * A failing element whose one-sided differences disagree by more than {@code 1000·scale·max(1, |n|)}
     * (1e-3 at the default step scale) is taken to sit on a kink: a smooth function with {@code |f''| < 1000}
     * cannot disagree that much, a kink's jump does not shrink with h.
     */
    static final double KINK_FACTOR = 1e3;
    /** Largest fraction of a tensor's checked elements that may be skipped as kinks (see {@link #allowedKinks}). */
    public static final double MAX_KINK_FRACTION = 0.05;

    /**
     * How many of a tensor's {@code checked} elements may be skipped as kinks before the tensor fails:
     * {@code floor(MAX_KINK_FRACTION·checked)}, but at least 1 when {@code checked ≥ 5} (so one input that
     * happens to sit on a kink does not fail a small tensor), and 0 below 5 elements (where one skipped
     * element would already be 20% or more of the evidence).
     */
    public static int allowedKinks(int checked) {
        if (checked < 5) {
            return 0;
        }
        return Math.max(1, (int) Math.floor(MAX_KINK_FRACTION * checked));
    }
    /** Default number of elements checked per tensor (see the class comment for what a sample can miss). */
    public static final int DEFAULT_MAX_ELEMENTS = 64;

    /** @return the central-difference step at {@code x}: {@code 1e-6·max(1, |x|)} */
    public static double step(double x) {
        return DEFAULT_STEP * Math.max(1.0, Math.abs(x));
    }

    /** A function of tensors to a scalar, e.g. a loss. It must not change its inputs. */
    @FunctionalInterface
    public interface ScalarFunction {
        /** @return f(inputs) */
        double value(Tensor[] inputs);
    }

    /** The analytic gradient of a {@link ScalarFunction}. */
    @FunctionalInterface
    public interface Gradient {
        /**
         * Writes (or adds: they start at zero) {@code ∂f/∂inputs[i]} into {@code grads[i]}, a float64 tensor of
         * the shape of {@code inputs[i]}.
         */
        void gradient(Tensor[] inputs, Tensor[] grads);
    }

    // --- configuration ---
    private final String subject;
    private final Model model;
    private final Tensor x;
    private final ScalarFunction function;
    private final Gradient gradient;
    private final Tensor[] inputs;
    private final String[] inputNames;
    private double rtol;
    private double atol;
    private double stepScale = DEFAULT_STEP;
    private int maxElements = DEFAULT_MAX_ELEMENTS;
    private long seed = 0x6EAD_C4ECL;
    private Mode mode = Mode.TRAIN;
    private long contextStep = 1;
    private boolean checkInput = true;
    private boolean skipKinks = true;
    private boolean allowZeroGradient;
    private Runnable beforeEach = () -> { };
    private LossHead head;
    private Loss lossFn;

    /** A loss bound to its labels or targets, put on top of a model. */
    private interface LossHead {
        double forward(Tensor output, Context ctx);
    }

    private GradientCheck(String subject, Model model, Tensor x, ScalarFunction function, Gradient gradient,
                          Tensor[] inputs, String[] inputNames, double rtol, double atol) {
        this.subject = subject;
        this.model = model;
        this.x = x;
        this.function = function;
        this.gradient = gradient;
        this.inputs = inputs;
        this.inputNames = inputNames;
        this.rtol = rtol;
        this.atol = atol;
    }

    /**
     * Checks a single layer on input {@code x}. The layer is bound to a new float64 {@link Model}, and its
     * parameters are then set to values uniform in [−1, 1] (so that no bias starts at an all-zero value that
     * could hide a bug). Tolerances: single op.
     *
     * @param layer a layer whose parameters belong to no model yet
     * @param x     a float64 input
     * @throws IllegalArgumentException if {@code x} is float32 or the layer already belongs to a model
     */
    public static GradientCheck layer(Layer layer, Tensor x) {
        Objects.requireNonNull(layer, "layer");
        requireF64(x, "the input");
        requireUnbound(layer);
        Model m = new Model(layer, DType.F64, 0x1A4E5L);
        SplittableRandom r = new SplittableRandom(0x9A2A_3E7EL);
        Tensor v = m.values();
        for (int i = 0; i < v.size(); i++) {
            v.set(i, r.nextDouble(-1, 1));
        }
        return new GradientCheck(layer.toString(), m, x, null, null, null, null, SINGLE_OP_RTOL, SINGLE_OP_ATOL);
    }

    /**
     * Checks a whole float64 model on input {@code x}, with its parameters as they are. Tolerances: composite.
     *
     * @throws IllegalArgumentException if the model or {@code x} is float32
     */
    public static GradientCheck model(Model model, Tensor x) {
        Objects.requireNonNull(model, "model");
        if (model.dtype() != DType.F64) {
            throw new IllegalArgumentException(refusal("the model is " + model.dtype()
                    + "; build it with new Model(layer, DType.F64, seed)"));
        }
        requireF64(x, "the input");
        return new GradientCheck(model.root().toString(), model, x, null, null, null, null, COMPOSITE_RTOL,
                COMPOSITE_ATOL);
    }

    /**
     * Checks any function of float64 tensors to a scalar (a loss, a model followed by a loss) against its
     * analytic gradient. Tolerances: single op.
     *
     * @param name   names the function in messages
     * @param f      the function
     * @param grad   its gradient with respect to each input
     * @param inputs the point to check at; named {@code input0, input1, …} in messages
     */
    public static GradientCheck function(String name, ScalarFunction f, Gradient grad, Tensor... inputs) {
        Objects.requireNonNull(f, "f");
        Objects.requireNonNull(grad, "grad");
        String[] names = new String[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            requireF64(inputs[i], "input " + i);
            names[i] = inputs.length == 1 ? "input" : "input" + i;
        }
        return new GradientCheck(name, null, null, f, grad, inputs.clone(), names, SINGLE_OP_RTOL, SINGLE_OP_ATOL);
    }

    /**
     * Checks a loss that takes integer labels (e.g. {@link Loss#softmaxCrossEntropy()}) with respect to its
     * input {@code output} (named {@code output}). Tolerances: single op.
     */
    public static GradientCheck loss(Loss loss, Tensor output, int[] labels) {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(labels, "labels");
        return lossCheck(loss, output, (y, ctx) -> loss.forward(y, labels, 0, ctx));
    }

    /**
     * Checks a loss that takes a target tensor (e.g. {@link Loss#mse()}) with respect to its input
     * {@code output}. Tolerances: single op.
     */
    public static GradientCheck loss(Loss loss, Tensor output, Tensor targets) {
        Objects.requireNonNull(loss, "loss");
        requireF64(targets, "the targets");
        return lossCheck(loss, output, (y, ctx) -> loss.forward(y, targets, ctx));
    }

    private static GradientCheck lossCheck(Loss loss, Tensor output, LossHead head) {
        requireF64(output, "the output");
        GradientCheck check = function(loss.toString(),
                in -> head.forward(in[0], new Context()),
                (in, grads) -> {
                    Context ctx = new Context();
                    head.forward(in[0], ctx);
                    Tensor g = loss.backward(ctx);
                    for (int i = 0; i < g.size(); i++) {
                        grads[0].set(i, g.get(i));
                    }
                }, output);
        check.inputNames[0] = "output";
        return check;
    }

    /**
     * Checks the layer or model followed by a loss on integer labels: the scalar is the loss itself (no weights
     * w), backward starts from the loss's gradient, and the rounding floor is the scalar one (see the class
     * comment). For a {@link #layer} or {@link #model} check; a {@link #function} or {@link #loss} check already
     * ends in its scalar.
     *
     * @throws NullPointerException  if {@code loss} or {@code labels} is null
     * @throws IllegalStateException if this is a {@link #function} or {@link #loss} check
     */
    public GradientCheck withLoss(Loss loss, int[] labels) {
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(labels, "labels");
        requireModel();
        this.head = (y, ctx) -> loss.forward(y, labels, 0, ctx);
        this.lossFn = loss;
        return this;
    }

    /**
     * Checks the layer or model followed by a loss on a target tensor; see {@link #withLoss(Loss, int[])}.
     *
     * @throws NullPointerException     if {@code loss} or {@code targets} is null
     * @throws IllegalArgumentException if {@code targets} is float32
     * @throws IllegalStateException    if this is a {@link #function} or {@link #loss} check
     */
    public GradientCheck withLoss(Loss loss, Tensor targets) {
        Objects.requireNonNull(loss, "loss");
        requireF64(targets, "the targets");
        requireModel();
        this.head = (y, ctx) -> loss.forward(y, targets, ctx);
        this.lossFn = loss;
        return this;
    }

    private void requireModel() {
        if (model == null) {
            throw new IllegalStateException("withLoss applies to a layer or model check, not to " + subject);
        }
    }

    /**
     * Sets the pass rule {@code |a − n| ≤ atol + rtol·|n| + floor} (the rounding floor: see the class comment).
     *
     * @throws IllegalArgumentException if {@code rtol} or {@code atol} is negative or NaN (Approx's rule)
     */
    public GradientCheck tolerance(double rtol, double atol) {
        Approx.checkTolerances(rtol, atol);
        this.rtol = rtol;
        this.atol = atol;
        return this;
    }

    /** Uses the composite tolerances (rtol 1e-5, atol 1e-8). */
    public GradientCheck composite() {
        return tolerance(COMPOSITE_RTOL, COMPOSITE_ATOL);
    }

    /** Sets the relative step: {@code h = scale·max(1, |θ|)} (default 1e-6). */
    public GradientCheck stepScale(double scale) {
        if (!(scale > 0 && scale < 1)) {
            throw new IllegalArgumentException("step scale must be in (0, 1), but was " + scale);
        }
        this.stepScale = scale;
        return this;
    }

    /**
     * Checks at most {@code n} elements of each tensor (default 64): all of a tensor of at most {@code n}, else
     * its first and last and {@code n − 2} others drawn uniformly, so one wrong interior element of N is missed
     * with probability {@code 1 − (n − 2)/(N − 2)}.
     */
    public GradientCheck maxElements(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("maxElements must be >= 1, but was " + n);
        }
        this.maxElements = n;
        return this;
    }

    /** Seeds the weights w and the sampling of big tensors. */
    public GradientCheck seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The forward mode (default {@link Mode#TRAIN}, so Dropout is active with a fixed mask). */
    public GradientCheck mode(Mode mode) {
        this.mode = Objects.requireNonNull(mode, "mode");
        return this;
    }

    /** The {@link Context#step()} set before every evaluation (default 1): it fixes Dropout's mask. */
    public GradientCheck contextStep(long step) {
        this.contextStep = step;
        return this;
    }

    /** Runs before every evaluation, to reset randomness of the subject that is not tied to the context. */
    public GradientCheck beforeEach(Runnable reset) {
        this.beforeEach = Objects.requireNonNull(reset, "reset");
        return this;
    }

    /** Does not check the gradient with respect to the input (e.g. token ids); parameters only. */
    public GradientCheck parametersOnly() {
        this.checkInput = false;
        return this;
    }

    /** Counts failing elements at kinks as failures too (by default they are skipped and counted). */
    public GradientCheck failAtKinks() {
        this.skipKinks = false;
        return this;
    }

    /**
     * Lets the check pass when every numeric derivative it compares is exactly 0 (by default such a check fails
     * as one that compared nothing). For a check meant to show that no gradient flows, e.g. through a dropped
     * or dead unit; the analytic gradient must then be 0 too.
     */
    public GradientCheck allowZeroGradient() {
        this.allowZeroGradient = true;
        return this;
    }

    /** @return the model being checked (the one {@link #layer} made, or the one given), or null for a function */
    public Model boundModel() {
        return model;
    }

    // --- results ---

    /**
     * One checked element.
     *
     * @param tensor   its tensor's name ({@code input}, or a parameter name such as {@code 0.weight})
     * @param index    its index in the tensor's shape
     * @param flat     its row-major flat index
     * @param analytic the backward's value
     * @param numeric  the central difference
     * @param ratio    {@code |a − n| / (atol + rtol·|n|)}: passes when ≤ 1
     */
    public record Element(String tensor, int[] index, int flat, double analytic, double numeric, double ratio) {
        /** @return {@code |analytic − numeric|} */
        public double absError() {
            return Math.abs(analytic - numeric);
        }

        /** @return {@code |analytic − numeric| / |numeric|} */
        public double relError() {
            double e = absError();
            return e == 0 ? 0 : e / Math.abs(numeric);
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%s: analytic %.12g, numeric %.12g, abs error %.3e, rel error %.3e",
                    tensor, Arrays.toString(index), analytic, numeric, absError(), relError());
        }
    }

    /**
     * What happened to one tensor.
     *
     * @param name    the tensor's name
     * @param shape   its shape
     * @param checked elements compared
     * @param failed  elements outside the tolerance
     * @param kinks   failing elements skipped because they sit on a kink
     * @param worst   the element with the largest ratio among those not skipped (null when there is none)
     * @param worstKink the skipped element with the largest ratio (null when none was skipped)
     * @param zeroNumeric checked elements whose numeric derivative is exactly 0
     */
    public record TensorResult(String name, int[] shape, int checked, int failed, int kinks, Element worst,
                               Element worstKink, int zeroNumeric) {
        /** A result that does not count zero numeric derivatives ({@code zeroNumeric} 0). */
        public TensorResult(String name, int[] shape, int checked, int failed, int kinks, Element worst,
                            Element worstKink) {
            this(name, shape, checked, failed, kinks, worst, worstKink, 0);
        }

        /** @return true when more elements were skipped as kinks than {@link #allowedKinks} allows */
        public boolean tooManyKinks() {
            return kinks > allowedKinks(checked);
        }

        /** @return true when no element failed and at most {@link #allowedKinks} were skipped */
        public boolean passed() {
            return failed == 0 && !tooManyKinks();
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s%s: %d checked, %d failed, %d skipped at kinks (at most %d allowed)%s%s%s%s",
                    name, Arrays.toString(shape), checked, failed, kinks, allowedKinks(checked),
                    tooManyKinks() ? " TOO MANY SKIPPED" : "",
                    checked > 0 && zeroNumeric == checked ? ", every numeric derivative exactly 0" : "",
                    worst == null ? "" : String.format(Locale.ROOT, ", worst ratio %.3g", worst.ratio()),
                    worstKink == null ? "" : "; worst skipped: " + worstKink);
        }
    }

    /**
     * The outcome of a check.
     *
     * @param subject the layer, model or function checked
     * @param tensors one entry per checked tensor, inputs first
     * @param rtol    the rtol used
     * @param atol    the atol used
     * @param zeroGradientAllowed whether a check whose numeric derivatives are all 0 may pass
     *                            ({@link GradientCheck#allowZeroGradient()})
     */
    public record Result(String subject, List<TensorResult> tensors, double rtol, double atol,
                         boolean zeroGradientAllowed) {
        /** A result under the default rule: a check whose numeric derivatives are all 0 fails. */
        public Result(String subject, List<TensorResult> tensors, double rtol, double atol) {
            this(subject, tensors, rtol, atol, false);
        }

        /**
         * @return true when at least one element was checked and every numeric derivative was exactly 0: the
         *         subject's value did not move, so nothing was compared (any backward returning 0 passes)
         */
        public boolean comparedNothing() {
            int checked = 0;
            int zero = 0;
            for (TensorResult t : tensors) {
                checked += t.checked();
                zero += t.zeroNumeric();
            }
            return checked > 0 && zero == checked;
        }

        /**
         * @return true when no checked element failed, no tensor skipped too many as kinks, and the check compared
         *         something (unless {@link #zeroGradientAllowed})
         */
        public boolean passed() {
            return tensors.stream().allMatch(TensorResult::passed) && (zeroGradientAllowed || !comparedNothing());
        }

        /** @return the worst element over all tensors (largest ratio), or null when nothing was checked */
        public Element worst() {
            Element w = null;
            for (TensorResult t : tensors) {
                if (t.worst() != null && (w == null || t.worst().ratio() > w.ratio())) {
                    w = t.worst();
                }
            }
            return w;
        }

        /** @return a report: verdict, the worst element, and one line per tensor */
        public String message() {
            int failed = 0;
            int checked = 0;
            int kinks = 0;
            for (TensorResult t : tensors) {
                failed += t.failed();
                checked += t.checked();
                kinks += t.kinks();
            }
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "gradient check of %s %s: %d of %d checked elements outside |a - n| <= %.1e + %.1e*|n| + floor, %d skipped"
                            + " at kinks (per tensor at most %.0f%%, see GradientCheck.allowedKinks)",
                    subject, passed() ? "passed" : "FAILED", failed, checked, atol, rtol, kinks,
                    100 * MAX_KINK_FRACTION));
            if (comparedNothing()) {
                sb.append(System.lineSeparator()).append(zeroGradientAllowed
                        ? "  every numeric derivative was exactly 0 (allowed by allowZeroGradient())"
                        : "  COMPARED NOTHING: every numeric derivative was exactly 0, so the value checked does not"
                                + " depend on any checked element here (e.g. cross-entropy over one class, a LayerNorm"
                                + " over one feature, every ReLU dead) and any backward returning 0 would pass; check"
                                + " at another point, or call allowZeroGradient() if a zero gradient is the point");
            }
            Element w = worst();
            if (w != null) {
                sb.append(System.lineSeparator()).append("  worst: ").append(w);
            }
            for (TensorResult t : tensors) {
                sb.append(System.lineSeparator()).append("  ").append(t);
            }
            return sb.toString();
        }
    }

    /** Runs the check and throws an {@link AssertionFailedError} with {@link Result#message()} if it fails. */
    public Result assertPasses() {
        Result r = run();
        if (!r.passed()) {
            throw new AssertionFailedError(r.message());
        }
        return r;
    }

    /** Runs the check and returns the result, failed or not. */
    public Result run() {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> names = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        List<Tensor> analytic = new ArrayList<>();
        double[] w;
        if (model != null && head != null) {
            Context ctx = new Context();
            head.forward(forward(ctx), ctx);
            model.zeroGrad();
            Tensor dx = model.backward(lossFn.backward(ctx).copy(), ctx).copy();
            collectModel(names, targets, analytic, dx);
            return compare(names, targets, analytic, random, new LossEval(ctx));
        }
        if (model != null) {
            Context ctx = new Context();
            Tensor y0 = forward(ctx);
            w = new double[y0.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextDouble(-1, 1);
            }
            model.zeroGrad();
            Tensor dx = model.backward(Tensor.of(w.clone(), y0.shape()), ctx).copy();
            collectModel(names, targets, analytic, dx);
            return compare(names, targets, analytic, random, new ModelEval(ctx, w));
        }
        Tensor[] grads = new Tensor[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            grads[i] = Tensor.zeros(DType.F64, inputs[i].shape());
        }
        beforeEach.run();
        gradient.gradient(inputs, grads);
        for (int i = 0; i < inputs.length; i++) {
            names.add(inputNames[i]);
            targets.add(inputs[i]);
            analytic.add(grads[i]);
        }
        return compare(names, targets, analytic, random, new FunctionEval());
    }

    private void collectModel(List<String> names, List<Tensor> targets, List<Tensor> analytic, Tensor dx) {
        if (checkInput) {
            names.add("input");
            targets.add(x);
            analytic.add(dx);
        }
        for (Parameter p : model.parameters()) {
            names.add(p.name());
            targets.add(p.value());
            analytic.add(p.grad().copy());
        }
    }

    /** Evaluates the subject; {@link #delta} gives {@code Σ w ⊙ (f(after) − f(before))} between two evaluations. */
    private interface Eval {
        /** Evaluates at the current point into slot {@code slot} (0 = base, 1 = plus, 2 = minus). */
        void evaluate(int slot);

        /** @return {@code L(slot a) − L(slot b)}, computed as accurately as the subject allows */
        double delta(int a, int b);

        /** @return a bound on the rounding error of {@link #delta}: 0 where unaffected outputs cancel exactly */
        default double noise(int a, int b) {
            return 0;
        }
    }

    private final class ModelEval implements Eval {
        private final Context ctx;
        private final double[] w;
        private final double[][] y = new double[3][];

        ModelEval(Context ctx, double[] w) {
            this.ctx = ctx;
            this.w = w;
        }

        @Override
        public void evaluate(int slot) {
            Tensor out = forward(ctx);
            if (out.size() != w.length) {
                throw new IllegalStateException(subject + ": output size changed from " + w.length + " to "
                        + out.size() + " between evaluations");
            }
            if (y[slot] == null) {
                y[slot] = new double[w.length];
            }
            for (int i = 0; i < w.length; i++) {
                y[slot][i] = out.get(i);
            }
        }

        @Override
        public double delta(int a, int b) {
            // Σ w·(ya − yb): outputs θ does not reach differ by exactly 0 and add no rounding noise
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                s += w[i] * (y[a][i] - y[b][i]);
            }
            return s;
        }

        @Override
        public double noise(int a, int b) {
            // each output θ reaches carries a rounding error of a few ulps of itself, in both evaluations
            double s = 0;
            for (int i = 0; i < w.length; i++) {
                if (y[a][i] != y[b][i]) {
                    s += Math.abs(w[i]) * (Math.abs(y[a][i]) + Math.abs(y[b][i]));
                }
            }
            return NOISE_ULPS * Math.ulp(1.0) * s;
        }
    }

    private final class FunctionEval implements Eval {
        private final double[] f = new double[3];

        @Override
        public void evaluate(int slot) {
            beforeEach.run();
            f[slot] = function.value(inputs);
        }

        @Override
        public double delta(int a, int b) {
            return f[a] - f[b];
        }

        @Override
        public double noise(int a, int b) {
            return scalarNoise(f[a], f[b]);
        }
    }

    private final class LossEval implements Eval {
        private final Context ctx;
        private final double[] f = new double[3];

        LossEval(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public void evaluate(int slot) {
            f[slot] = head.forward(forward(ctx), ctx);
        }

        @Override
        public double delta(int a, int b) {
            return f[a] - f[b];
        }

        @Override
        public double noise(int a, int b) {
            return scalarNoise(f[a], f[b]);
        }
    }

    /**
     * A scalar is one rounded number: f(θ+h) and f(θ−h) each carry a rounding error of a few ulps of |f|, which
     * the difference keeps and the division by 2h magnifies. {@code 4·ε·(|f₊| + |f₋|)} bounds it.
     */
    static double scalarNoise(double fa, double fb) {
        return NOISE_ULPS * Math.ulp(1.0) * (Math.abs(fa) + Math.abs(fb));
    }

    /** Rounding error assumed per evaluated value, in ulps of itself, for the finite difference's noise floor. */
    static final double NOISE_ULPS = 4;

    private Tensor forward(Context ctx) {
        beforeEach.run();
        ctx.setStep(contextStep);
        return model.forward(x, ctx, mode);
    }

    private Result compare(List<String> names, List<Tensor> targets, List<Tensor> analytic, SplittableRandom random,
                           Eval eval) {
        eval.evaluate(0);
        List<TensorResult> results = new ArrayList<>();
        for (int t = 0; t < targets.size(); t++) {
            Tensor v = targets.get(t);
            Tensor a = analytic.get(t);
            int checked = 0;
            int failed = 0;
            int kinks = 0;
            int zeroNumeric = 0;
            Element worst = null;
            Element worstKink = null;
            for (int i : sample(v.size(), random)) {
                double orig = v.get(i);
                double h = stepScale * Math.max(1.0, Math.abs(orig));
                double plus = orig + h;
                double minus = orig - h;
                v.set(i, plus);
                eval.evaluate(1);
                v.set(i, minus);
                eval.evaluate(2);
                v.set(i, orig);
                double numeric = eval.delta(1, 2) / (plus - minus);
                double an = a.get(i);
                // the rounding allowance is NaN when an output is: the element then fails (ratio +∞), rather
                // than the tolerance being refused as an argument
                double allowance = atol + eval.noise(1, 2) / (plus - minus);
                double ratio = Double.isNaN(allowance) ? Double.POSITIVE_INFINITY
                        : Approx.ratio(numeric, an, rtol, allowance);
                checked++;
                if (numeric == 0) {
                    zeroNumeric++;
                }
                if (ratio > 1) {
                    double right = eval.delta(1, 0) / (plus - orig);
                    double left = eval.delta(0, 2) / (orig - minus);
                    // smooth: |right − left| ≈ h·|f''|, small; a kink: a jump that does not shrink with h
                    if (skipKinks && Math.abs(right - left) > KINK_FACTOR * stepScale * Math.max(1.0, Math.abs(numeric))) {
                        kinks++;
                        if (worstKink == null || ratio > worstKink.ratio()) {
                            worstKink = new Element(names.get(t), unflatten(i, v.shape()), i, an, numeric, ratio);
                        }
                        continue;
                    }
                    failed++;
                }
                if (worst == null || ratio > worst.ratio()) {
                    worst = new Element(names.get(t), unflatten(i, v.shape()), i, an, numeric, ratio);
                }
            }
            results.add(new TensorResult(names.get(t), v.shape(), checked, failed, kinks, worst, worstKink, zeroNumeric));
        }
        return new Result(subject, List.copyOf(results), rtol, atol, allowZeroGradient);
    }

    /** All indices when {@code size ≤ maxElements}; else the first, the last, and a sorted random sample. */
    private int[] sample(int size, SplittableRandom random) {
        if (size <= maxElements) {
            int[] all = new int[size];
            for (int i = 0; i < size; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] taken = new boolean[size];
        int[] out = new int[maxElements];
        int n = 0;
        out[n++] = 0;
        taken[0] = true;
        if (maxElements > 1) {
            out[n++] = size - 1;
            taken[size - 1] = true;
        }
        while (n < maxElements) {
            int i = random.nextInt(size);
            if (!taken[i]) {
                taken[i] = true;
                out[n++] = i;
            }
        }
        Arrays.sort(out);
        return out;
    }

    private static int[] unflatten(int flat, int[] shape) {
        int[] idx = new int[Math.max(1, shape.length)];
        if (shape.length == 0) {
            idx[0] = flat;
            return idx;
        }
        for (int d = shape.length - 1; d >= 0; d--) {
            idx[d] = shape[d] == 0 ? 0 : flat % shape[d];
            flat = shape[d] == 0 ? flat : flat / shape[d];
        }
        return idx;
    }

    private static void requireF64(Tensor t, String what) {
        Objects.requireNonNull(t, what);
        if (t.dtype() != DType.F64) {
            throw new IllegalArgumentException(refusal(what + " is " + t.dtype() + "; convert it with x.copy(DType.F64)"));
        }
    }

    private static String refusal(String detail) {
        return "GradientCheck runs in float64 only: " + detail + ". In float32 a central difference has rounding"
                + " error ~1e-7/h = 0.1 and cannot check anything; compare float32 results with the float64 path"
                + " instead (Approx.float32Rtol gives the bound).";
    }

    private static void requireUnbound(Layer layer) {
        for (Parameter p : layer.parameters()) {
            if (p.isBound()) {
                throw new IllegalArgumentException("GradientCheck.layer needs a fresh layer, but parameter '"
                        + p.name() + "' already belongs to a model; check that model with GradientCheck.model(model, x)");
            }
        }
        for (Layer child : layer.children()) {
            requireUnbound(child);
        }
    }
}
