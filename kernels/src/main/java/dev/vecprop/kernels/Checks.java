package dev.vecprop.kernels;

import java.util.Objects;

/**
 * Argument validation shared by every kernel. Each check runs before a kernel writes anything, and each
 * message names the argument and gives the expected and actual values (DESIGN.md §2).
 *
 * <p>Conventions: a null array throws {@link NullPointerException}; a negative size or a leading
 * dimension too small for its row throws {@link IllegalArgumentException}; an offset or an array too short
 * for the region the arguments address throws {@link IndexOutOfBoundsException}. Sizes of zero are valid.
 */
final class Checks {
    private Checks() {
    }

    static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, but was " + value);
        }
    }

    /** A vector of {@code n} elements starting at {@code off}. */
    static void vector(String name, float[] a, int off, int n) {
        Objects.requireNonNull(a, name);
        span(name, a.length, off, n);
    }

    /** A vector of {@code n} elements starting at {@code off}. */
    static void vector(String name, double[] a, int off, int n) {
        Objects.requireNonNull(a, name);
        span(name, a.length, off, n);
    }

    /** A row-major {@code rows × cols} matrix at {@code off} whose rows are {@code ld} elements apart. */
    static void matrix(String name, float[] a, int off, int rows, int cols, int ld) {
        Objects.requireNonNull(a, name);
        matrixSpan(name, a.length, off, rows, cols, ld);
    }

    /** A row-major {@code rows × cols} matrix at {@code off} whose rows are {@code ld} elements apart. */
    static void matrix(String name, double[] a, int off, int rows, int cols, int ld) {
        Objects.requireNonNull(a, name);
        matrixSpan(name, a.length, off, rows, cols, ld);
    }

    private static void span(String name, int length, int off, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("length of " + name + " must be >= 0, but was " + n);
        }
        if (off < 0 || (long) off + n > length) {
            throw new IndexOutOfBoundsException(name + ": elements [" + off + ", " + ((long) off + n)
                    + ") are addressed, but " + name + ".length is " + length);
        }
    }

    private static void matrixSpan(String name, int length, int off, int rows, int cols, int ld) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException(name + " must have rows, cols >= 0, but is " + rows + "x" + cols);
        }
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException("leading dimension of " + name + " must be >= " + Math.max(1, cols)
                    + " (its row length), but was " + ld);
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException("offset of " + name + " must be >= 0, but was " + off);
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long end = off + (long) (rows - 1) * ld + cols;
        if (end > length) {
            throw new IndexOutOfBoundsException(name + ": a " + rows + "x" + cols + " matrix at offset " + off
                    + " with leading dimension " + ld + " needs length >= " + end + ", but " + name
                    + ".length is " + length);
        }
    }
}
