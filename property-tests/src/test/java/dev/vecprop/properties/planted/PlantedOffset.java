package dev.vecprop.properties.planted;

import java.util.List;

import dev.vecprop.nn.Context;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Parameter;
import dev.vecprop.nn.Tensor;

/**
 * A correct layer whose backward adds a settable offset to one element of one parameter's gradient: a wrong
 * gradient of a chosen size, to probe exactly where a checker's allowance ends. With offset 0 it is the
 * correct twin. It keeps the last dy it received (in a {@code GradientCheck.model} check: the weights w).
 */
public final class PlantedOffset implements Layer {
    private final Layer inner;
    private final Parameter target;
    private final int element;
    private double offset;
    private double[] lastDy;

    /**
     * @param inner   the layer to wrap
     * @param target  one of {@code inner}'s parameters (at any depth)
     * @param element the flat index in {@code target} whose gradient is offset
     */
    public PlantedOffset(Layer inner, Parameter target, int element) {
        this.inner = inner;
        this.target = target;
        this.element = element;
    }

    /** Sets the offset added to the gradient element from the next backward on (0: correct). */
    public void offset(double offset) {
        this.offset = offset;
    }

    /** @return a copy of the dy of the last backward, or null before the first */
    public double[] lastDy() {
        return lastDy == null ? null : lastDy.clone();
    }

    @Override
    public Tensor forward(Tensor x, Context ctx, Mode mode) {
        return inner.forward(x, ctx, mode);
    }

    @Override
    public Tensor backward(Tensor dy, Context ctx) {
        lastDy = dy.toDoubleArray();
        Tensor dx = inner.backward(dy, ctx);
        Tensor g = target.grad();
        g.set(element, g.get(element) + offset);
        return dx;
    }

    @Override
    public List<Layer> children() {
        return List.of(inner);
    }

    @Override
    public String toString() {
        return "PlantedOffset(" + inner + ", offset on " + target.name() + "[" + element + "])";
    }
}
