package dev.vecprop.testing;

/** Finite-difference gradient checks (being written). */
public final class GradientCheck {
    private GradientCheck() {
    }

    /** @return the central-difference step at {@code x}: {@code 1e-6·max(1, |x|)} */
    public static double step(double x) {
        return 1e-6 * Math.max(1.0, Math.abs(x));
    }
}
