package dev.vecprop.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The species every vector kernel uses, fixed once from {@link Vectorization#BITS}.
 *
 * <p>Only vector kernels touch this class, and they run only when {@link Vectorization#ENABLED}, so it
 * is never loaded on the scalar fallback. The fields are {@code static final} on purpose: the JIT
 * intrinsifies vector operations only when the species is a constant (a species in a non-final field
 * is ~10× slower, DESIGN.md §5).
 */
final class Species {
    private Species() {
    }

    static final VectorSpecies<Float> F =
            FloatVector.SPECIES_PREFERRED.vectorBitSize() == Vectorization.BITS
                    ? FloatVector.SPECIES_PREFERRED
                    : VectorSpecies.of(float.class, VectorShape.forBitSize(Vectorization.BITS));
    static final VectorSpecies<Double> D =
            DoubleVector.SPECIES_PREFERRED.vectorBitSize() == Vectorization.BITS
                    ? DoubleVector.SPECIES_PREFERRED
                    : VectorSpecies.of(double.class, VectorShape.forBitSize(Vectorization.BITS));
    /** Float lanes per vector. */
    static final int FL = F.length();
    /** Double lanes per vector. */
    static final int DL = D.length();
}
