package dev.vecprop.nn;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Minimal float64 central-difference checker for nn's own tests (the reusable one lives in property-tests).
 * Loss {@code L = Σ w ⊙ f(x)} with fixed random w, so dy = w and one check covers the whole vector–Jacobian
 * product; compares dx and every parameter gradient with {@code (L(θ+h) − L(θ−h))/2h},
 * {@code h = 1e-6·max(1,|θ|)}, passing when {@code |a − n| ≤ atol + rtol·|n|}.
 */
final class GradCheck {
    private GradCheck() {
    }

    /** The worst element, or null when everything passes. */
    record Failure(String tensor, int index, double analytic, double numeric) {
        @Override
        public String toString() {
            return tensor + "[" + index + "]: analytic " + analytic + " vs numeric " + numeric;
        }
    }

    static Failure check(Model model, Tensor x, long seed, double rtol, double atol) {
        return check(model, x, seed, rtol, atol, 1e-6);
    }

    /** As {@link #check(Model, Tensor, long, double, double)} with step {@code h = stepScale·max(1,|θ|)}. */
    static Failure check(Model model, Tensor x, long seed, double rtol, double atol, double stepScale) {
        Context ctx = new Context();
        Tensor y0 = model.forward(x, ctx, Mode.TRAIN);
        SplittableRandom r = new SplittableRandom(seed);
        Tensor w = Tensor.zeros(DType.F64, y0.shape());
        for (int i = 0; i < w.size(); i++) {
            w.set(i, r.nextDouble(-1, 1));
        }
        model.zeroGrad();
        Tensor dx = model.backward(w.copy(), ctx).copy();
        Tensor grads = model.grads().copy();

        List<String> names = new ArrayList<>();
        List<Tensor> targets = new ArrayList<>();
        List<Tensor> analytic = new ArrayList<>();
        names.add("x");
        targets.add(x);
        analytic.add(dx);
        for (Parameter p : model.parameters()) {
            names.add(p.name());
            targets.add(p.value());
            analytic.add(Tensor.wrap(grads.doubles(), p.offset(), p.shape()));
        }
        Failure worst = null;
        double worstExcess = 0;
        for (int t = 0; t < targets.size(); t++) {
            Tensor v = targets.get(t);
            for (int i = 0; i < v.size(); i++) {
                double orig = v.get(i);
                double h = stepScale * Math.max(1, Math.abs(orig));
                v.set(i, orig + h);
                double lp = loss(model, x, w, ctx);
                v.set(i, orig - h);
                double lm = loss(model, x, w, ctx);
                v.set(i, orig);
                double num = (lp - lm) / (2 * h);
                double a = analytic.get(t).get(i);
                double excess = Math.abs(a - num) - (atol + rtol * Math.abs(num));
                // NaN on either side (or both: a NaN forward gives NaN numerics, and a NaN backward must not
                // pass by matching it) fails; so does ∞ − ∞, whose excess is NaN
                if (Double.isNaN(excess) || excess > worstExcess) {
                    worstExcess = Double.isNaN(excess) ? Double.POSITIVE_INFINITY : excess;
                    worst = new Failure(names.get(t), i, a, num);
                }
            }
        }
        return worst;
    }

    private static double loss(Model model, Tensor x, Tensor w, Context ctx) {
        Tensor y = model.forward(x, ctx, Mode.TRAIN);
        double s = 0;
        for (int i = 0; i < y.size(); i++) {
            s += w.get(i) * y.get(i);
        }
        return s;
    }

    static Tensor random(long seed, double lo, double hi, int... shape) {
        SplittableRandom r = new SplittableRandom(seed);
        Tensor t = Tensor.zeros(DType.F64, shape);
        for (int i = 0; i < t.size(); i++) {
            t.set(i, r.nextDouble(lo, hi));
        }
        return t;
    }

    /** Random values kept at least {@code gap} away from 0 (ReLU's kink). */
    static Tensor awayFromZero(long seed, double gap, int... shape) {
        Tensor t = random(seed, -2, 2, shape);
        for (int i = 0; i < t.size(); i++) {
            double v = t.get(i);
            if (Math.abs(v) < gap) {
                t.set(i, v < 0 ? -gap - Math.abs(v) : gap + Math.abs(v));
            }
        }
        return t;
    }
}
