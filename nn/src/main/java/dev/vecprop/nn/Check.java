package dev.vecprop.nn;

/** Argument checks shared by layers and losses; messages name expected and actual shapes. */
final class Check {
    private Check() {
    }

    /** x must be of the layer's dtype and have {@code features} columns. */
    static void input(String layer, Tensor x, DType dtype, int features) {
        if (x == null) {
            throw new NullPointerException(layer + ": input is null");
        }
        if (x.dtype() != dtype) {
            throw new IllegalArgumentException(layer + ": input is " + x.dtype() + " but the parameters are " + dtype
                    + " (dtype mix)");
        }
        if (x.rank() == 0 || x.cols() != features) {
            throw new IllegalArgumentException(layer + ": expected input of shape [*, " + features + "], but got "
                    + Tensor.shapeString(x.shape()));
        }
    }

    /** dy must match the output of the last forward: same dtype and shape as {@code y}. */
    static void gradient(String layer, Tensor dy, Tensor y) {
        if (dy == null) {
            throw new NullPointerException(layer + ": dy is null");
        }
        if (y == null) {
            throw new IllegalStateException(layer + ": backward called before forward with this context");
        }
        if (dy.dtype() != y.dtype() || !dy.sameShape(y)) {
            throw new IllegalArgumentException(layer + ": expected dy of shape " + Tensor.shapeString(y.shape()) + " "
                    + y.dtype() + " (the output of the last forward), but got " + Tensor.shapeString(dy.shape()) + " "
                    + dy.dtype());
        }
    }
}
