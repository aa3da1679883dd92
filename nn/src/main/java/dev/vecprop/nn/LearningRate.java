package dev.vecprop.nn;

/**
 * A learning-rate schedule: the rate for the step that follows {@code step} completed steps (0 for the first).
 * Schedules are pure functions, immutable and thread-safe.
 */
@FunctionalInterface
public interface LearningRate {

    /**
     * @return the learning rate for the step after {@code step} completed steps: finite and ≥ 0 (an optimizer
     *     step refuses any other value with {@link IllegalArgumentException}, before changing a parameter)
     */
    double at(long step);

    /** The same rate every step. */
    static LearningRate constant(double lr) {
        checkRate(lr);
        return step -> lr;
    }

    /** {@code lr · gamma^⌊step / every⌋} (PyTorch's {@code StepLR}). */
    static LearningRate step(double lr, long every, double gamma) {
        checkRate(lr);
        if (every < 1) {
            throw new IllegalArgumentException("step schedule: every must be >= 1, but was " + every);
        }
        if (!(gamma > 0) || !Double.isFinite(gamma)) {
            throw new IllegalArgumentException("step schedule: gamma must be finite and > 0, but was " + gamma);
        }
        return step -> lr * Math.pow(gamma, (double) (step / every));
    }

    /**
     * Linear warm-up from {@code lr/warmup} to {@code lr} over {@code warmup} steps, then cosine decay to
     * {@code minLr} at step {@code total}, and {@code minLr} after.
     */
    static LearningRate cosine(double lr, long warmup, long total, double minLr) {
        checkRate(lr);
        if (!(minLr >= 0) || minLr > lr) {
            throw new IllegalArgumentException("cosine schedule: minLr must be in [0, lr=" + lr + "], but was " + minLr);
        }
        if (warmup < 0 || total <= warmup) {
            throw new IllegalArgumentException("cosine schedule: need 0 <= warmup < total, but warmup=" + warmup
                    + ", total=" + total);
        }
        return step -> {
            if (step < warmup) {
                return lr * (step + 1) / warmup;
            }
            double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
            return minLr + 0.5 * (lr - minLr) * (1 + Math.cos(Math.PI * progress));
        };
    }

    /** This schedule preceded by a linear warm-up over {@code steps} steps (its own step count starts after). */
    default LearningRate withWarmup(long steps) {
        if (steps < 1) {
            throw new IllegalArgumentException("warm-up steps must be >= 1, but was " + steps);
        }
        LearningRate after = this;
        return step -> step < steps ? after.at(0) * (step + 1) / steps : after.at(step - steps);
    }

    private static void checkRate(double lr) {
        if (!(lr >= 0) || !Double.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, but was " + lr);
        }
    }
}
