package com.example;

import java.util.stream.Stream;

import dev.vecprop.testing.BackwardContract;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.GradientCheck;
import dev.vecprop.testing.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The README's example, compiled and run: a property test of a user's own layer. */
class ScaleShiftPropertyTest {

    static Stream<Case<Shape>> shapes() {
        return Cases.of("scale-shift", 20, rng -> rng.shape(2, 65)); // rows x features, small to large
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("shapes")
    void backwardIsRight(Case<Shape> c) {
        Shape s = c.value();
        GradientCheck.layer(new ScaleShift(s.dim(1)), c.rng().tensor(s.dims())).assertPasses();
        BackwardContract.of(new ScaleShift(s.dim(1)), c.rng().tensor(s.dims())).assertAll();
    }
}
