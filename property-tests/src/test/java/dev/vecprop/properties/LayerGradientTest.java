package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.vecprop.nn.Dropout;
import dev.vecprop.nn.Init;
import dev.vecprop.nn.LayerNorm;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Residual;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Tensor;
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
 * Every nn layer and random small networks, gradient-checked in float64 over generated shapes with the
 * default tolerances of DESIGN.md §4 (single op rtol 1e-6 atol 1e-9; networks rtol 1e-5 atol 1e-8).
 */
@ExtendWith(RerunHint.class)
class LayerGradientTest {

    /** rows × in × out: rows up to 17, features up to 65. */
    static Stream<Case<Shape>> linearShapes() {
        return Cases.of("grad-linear", 16, r -> Shape.of(r.dim(17), r.dim(), r.dim()));
    }

    static Stream<Case<Shape>> matrices() {
        return Cases.of("grad-matrices", 12, r -> Shape.of(r.dim(17), r.dim()));
    }

    /** Rows × features, features >= 2: a LayerNorm over one feature outputs β whatever x and γ are. */
    static Stream<Case<Shape>> normMatrices() {
        return Cases.of("grad-norm-matrices", 12, r -> Shape.of(r.dim(17), r.dim(2, 65)));
    }

    /**
     * Every activation, four cases each: the list is iterated, not sampled, so none can be left out by the draw.
     * The case's Rng only draws the shape and the inputs.
     */
    static Stream<Case<String>> activations() {
        return Network.ACTIVATIONS.stream().flatMap(a -> Cases.of("grad-activations-" + a, 4, r -> a));
    }

    /** The cases above name every activation: none is left to the luck of a draw. */
    @Test
    void activationCasesCoverEveryActivation() {
        assertEquals(Set.copyOf(Network.ACTIVATIONS), activations().map(Case::value).collect(Collectors.toSet()));
    }

    static Stream<Case<Network>> smoothNetworks() {
        return Cases.of("grad-networks-smooth", 12, r -> Network.draw(r, 33, Network.SMOOTH_ACTIVATIONS));
    }

    static Stream<Case<Network>> networks() {
        return Cases.of("grad-networks", 12, r -> Network.draw(r, 33, Network.ACTIVATIONS));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("linearShapes")
    void linear(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        boolean bias = rng.chance(0.75);
        GradientCheck.layer(new Linear(s.dim(1), s.dim(2), Init.HE_NORMAL, bias), rng.tensor(s.dim(0), s.dim(1)))
                .seed(rng.nextLong()).assertPasses();
    }

    /** A rank-3 input: Linear treats all but the last dimension as rows. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("linearShapes")
    void linearOnRank3Input(Case<Shape> c) {
        Shape s = c.value();
        Rng rng = c.rng();
        int a = rng.between(1, 3);
        GradientCheck.layer(new Linear(s.dim(1), s.dim(2)), rng.tensor(a, s.dim(0), s.dim(1)))
                .seed(rng.nextLong()).assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("activations")
    void activation(Case<String> c) {
        Rng rng = c.rng();
        int rows = rng.dim(17);
        int cols = rng.dim();
        // ReLU and LeakyReLU have a kink at 0: inputs keep > 10h away from it
        Tensor x = rng.tensorAwayFrom(new double[] {0}, rows, cols);
        // one input on ReLU's live side: with every input negative (likely for a 1×1 or 1×2 draw) its gradient is
        // 0 everywhere and the check would compare nothing
        x.set(0, Math.abs(x.get(0)));
        GradientCheck.layer(Network.activation(c.value()).get(), x).seed(rng.nextLong()).failAtKinks().assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("normMatrices")
    void layerNorm(Case<Shape> c) {
        Rng rng = c.rng();
        GradientCheck.layer(new LayerNorm(c.value().dim(1)), rng.tensor(c.value().dims())).seed(rng.nextLong())
                .assertPasses();
    }

    /**
     * Dropout in training mode: the check replays one mask by fixing the context step. A small input at p = 0.9
     * can lose every element; its gradient is then rightly 0 everywhere (allowed), and a backward that ignored
     * the mask would still fail.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void dropout(Case<Shape> c) {
        Rng rng = c.rng();
        double p = rng.pick(0.1, 0.5, 0.9);
        GradientCheck.layer(new Dropout(p, rng.nextLong()), rng.tensor(c.value().dims())).seed(rng.nextLong())
                .contextStep(rng.nextLong()).allowZeroGradient().assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("matrices")
    void residualAroundLinearAndTanh(Case<Shape> c) {
        Rng rng = c.rng();
        int d = c.value().dim(1);
        Residual res = new Residual(new Sequential(new Linear(d, d), Network.activation("tanh").get()));
        GradientCheck.layer(res, rng.tensor(c.value().dims())).seed(rng.nextLong()).assertPasses();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smoothNetworks")
    void smoothNetwork(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        Model model = new Model(n.build(), DType.F64, rng.nextLong());
        GradientCheck.model(model, rng.tensor(n.batch(), n.in())).seed(rng.nextLong()).failAtKinks().assertPasses();
    }

    /**
     * With ReLU-family activations too, and Dropout: elements that land on a kink are skipped and counted. A
     * narrow network can end with every output behind a dead ReLU or a dropped unit; its gradient is then rightly
     * 0 everywhere (allowed).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("networks")
    void network(Case<Network> c) {
        Rng rng = c.rng();
        Network n = c.value();
        Model model = new Model(new Sequential(n.build(), new Dropout(0.25, rng.nextLong())), DType.F64, rng.nextLong());
        GradientCheck.model(model, rng.tensor(n.batch(), n.in())).seed(rng.nextLong()).allowZeroGradient()
                .assertPasses();
    }
}
