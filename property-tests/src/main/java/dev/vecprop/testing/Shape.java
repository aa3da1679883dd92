package dev.vecprop.testing;

import java.util.Arrays;

/**
 * The dimensions of a dense row-major tensor, e.g. {@code 7x16} for a batch of 7 rows of 16 features.
 * Immutable.
 */
public final class Shape implements Sized {
    private final int[] dims;

    private Shape(int[] dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("dimension " + i + " must be >= 0, but was " + dims[i]);
            }
        }
        this.dims = dims;
    }

    /** @return the shape with these dimensions (copied) */
    public static Shape of(int... dims) {
        return new Shape(dims.clone());
    }

    /** @return the number of dimensions */
    public int rank() {
        return dims.length;
    }

    /** @return dimension {@code i} */
    public int dim(int i) {
        return dims[i];
    }

    /** @return a copy of the dimensions */
    public int[] dims() {
        return dims.clone();
    }

    /** @return the number of elements, the product of the dimensions (1 for rank 0) */
    @Override
    public long size() {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** @return the dimensions joined by {@code x}, e.g. {@code 7x16}; {@code scalar} for rank 0 */
    @Override
    public String toString() {
        if (dims.length == 0) {
            return "scalar";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            sb.append(i == 0 ? "" : "x").append(dims[i]);
        }
        return sb.toString();
    }
}
