package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vecprop.kernels.LayerNorms;
import dev.vecprop.kernels.Updates;
import org.junit.jupiter.api.Test;

/**
 * One validation rule per quantity: nn's entry points accept a hyperparameter exactly when the kernel that
 * will receive it does (the kernels follow PyTorch where PyTorch has a rule), so a value is never accepted
 * at construction and refused at the first step, or the reverse.
 */
class ValidationRulesTest {
    private static final double[] VALUES = {Double.NaN, Double.NEGATIVE_INFINITY, -1, -1e-300, -0.0, 0, 1e-300,
            1e-8, 1e-5, 1, 1e300, Double.POSITIVE_INFINITY};

    private static boolean accepts(Runnable r) {
        try {
            r.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void layerNormEps() {
        for (double eps : VALUES) {
            boolean kernel = accepts(() -> LayerNorms.layerNorm(1, 2, eps, new double[2], 0, 2, new double[2], 0,
                    new double[2], 0, new double[2], 0, 2, new double[1], 0, new double[1], 0));
            assertEquals(kernel, accepts(() -> new LayerNorm(2, eps)), "eps " + eps);
        }
    }

    @Test
    void adamEps() {
        for (double eps : VALUES) {
            boolean kernel = accepts(() -> Updates.adam(new double[1], 0, new double[1], 0, new double[1], 0,
                    new double[1], 0, 1, 1e-3, 0.9, 0.999, eps, 0, 1));
            assertEquals(kernel, accepts(() -> new Adam(LearningRate.constant(1e-3), 0.9, 0.999, eps, 0)),
                    "Adam eps " + eps);
            assertEquals(kernel, accepts(() -> new AdamW(LearningRate.constant(1e-3), 0.9, 0.999, eps, 0.01)),
                    "AdamW eps " + eps);
        }
        assertEquals(true, accepts(() -> new Adam(LearningRate.constant(1e-3), 0.9, 0.999, 0, 0)),
                "PyTorch accepts eps = 0");
    }

    /**
     * Agreement alone would pass if nn and the kernel shared a wrong rule, so the rule itself: Adam's and AdamW's
     * eps and learning rate must be finite and >= 0. NaN, −∞, +∞, −1 and the tiny −1e-300 are refused at
     * construction; 0 and tiny positive values are accepted.
     */
    @Test
    void adamRefusesBadEpsAndLearningRateOutright() {
        for (double bad : new double[] {Double.NaN, Double.NEGATIVE_INFINITY, -1, -1e-300, Double.POSITIVE_INFINITY}) {
            assertThrows(IllegalArgumentException.class,
                    () -> new Adam(LearningRate.constant(1e-3), 0.9, 0.999, bad, 0), "Adam eps " + bad);
            assertThrows(IllegalArgumentException.class,
                    () -> new AdamW(LearningRate.constant(1e-3), 0.9, 0.999, bad, 0.01), "AdamW eps " + bad);
            assertThrows(IllegalArgumentException.class, () -> new Adam(bad), "Adam lr " + bad);
            assertThrows(IllegalArgumentException.class, () -> new AdamW(bad), "AdamW lr " + bad);
        }
        for (double ok : new double[] {0, 1e-300, 1e-8}) {
            new Adam(LearningRate.constant(1e-3), 0.9, 0.999, ok, 0);
            new AdamW(LearningRate.constant(1e-3), 0.9, 0.999, ok, 0.01);
            new Adam(ok);
            new AdamW(ok);
        }
    }

    @Test
    void clippingBound() {
        for (double max : VALUES) {
            boolean kernel = accepts(() -> Updates.clipGlobalNorm(new double[][] {{1}}, new int[] {0}, new int[] {1},
                    max));
            Model m = new Model(new Linear(2, 1), DType.F64, 1);
            assertEquals(kernel, accepts(() -> m.clipGradNorm(max)), "Model maxNorm " + max);
            assertEquals(kernel, accepts(() -> new Trainer(Loss.mse(), new Sgd(0.1)).clipGradNorm(max)),
                    "Trainer maxNorm " + max);
        }
    }
}
