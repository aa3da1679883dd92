package dev.vecprop.nn;

import java.util.Objects;

/**
 * Updates a model's parameters from its gradients: one fused pass over the flat arenas per step. An optimizer
 * serves one model (it keeps per-element state, e.g. Adam's moments, in arenas of the same layout, made on
 * the first step). Not thread-safe.
 */
public abstract class Optimizer {
    private final LearningRate schedule;
    private long steps;
    private Model model;

    Optimizer(LearningRate schedule) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * Applies one update to every parameter of {@code model} from its gradient arena, with the rate the schedule
     * gives for this step. Gradients are read, not cleared.
     *
     * @throws IllegalArgumentException if this optimizer already serves another model, if the schedule's rate
     *                                  for this step is negative, infinite or NaN, or if a setting rounded to
     *                                  a float32 model's precision is out of range; no parameter is changed then
     */
    public final void step(Model model) {
        Objects.requireNonNull(model, "model");
        if (this.model == null) {
            allocate(model);
            this.model = model;
        } else if (this.model != model) {
            throw new IllegalArgumentException("this optimizer already serves " + this.model
                    + "; make one optimizer per model");
        }
        double lr = schedule.at(steps);
        update(model.values(), model.grads(), lr, steps + 1);
        steps++;
    }

    /** Throws if this optimizer already serves another model (checked by the trainer before it starts). */
    void checkModel(Model model) {
        if (this.model != null && this.model != model) {
            throw new IllegalArgumentException("this optimizer already serves " + this.model
                    + "; make one optimizer per model");
        }
    }

    /** @return how many steps were taken */
    public long steps() {
        return steps;
    }

    /** @return the learning rate the next step will use */
    public double learningRate() {
        return schedule.at(steps);
    }

    abstract void allocate(Model model);

    /** One pass over the arenas; {@code t} counts steps from 1. */
    abstract void update(Tensor values, Tensor grads, double lr, long t);

    static void checkNonNegative(String what, double v) {
        if (!(v >= 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(what + " must be finite and >= 0, but was " + v);
        }
    }

    static void checkBeta(String what, double v) {
        if (!(v >= 0 && v < 1)) {
            throw new IllegalArgumentException(what + " must be in [0, 1), but was " + v);
        }
    }
}
