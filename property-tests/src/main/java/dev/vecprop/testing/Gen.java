package dev.vecprop.testing;

/**
 * Draws one case value (a shape, a configuration, a small network description) from a case's {@link Rng}.
 * Must be a pure function of the draws, so the case is replayed from its seed.
 */
@FunctionalInterface
public interface Gen<T> {
    /** @return the value of a case drawn from {@code rng} */
    T generate(Rng rng);
}
