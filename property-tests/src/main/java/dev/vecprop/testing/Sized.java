package dev.vecprop.testing;

/**
 * A generated case value that knows its size, so {@link Cases} can run cases from small to large (the
 * first failure is then usually the smallest one). Values that are not {@code Sized} keep generation order.
 */
public interface Sized {
    /** @return a measure of the work or element count of this case; only the order matters */
    long size();
}
