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
    /**
     * Float vectors of half the width: {@code DL} lanes, which widen ({@code convertShape(F2D, D, 0)}) into one
     * whole double vector. A float vector's upper half widened by {@code convertShape(F2D, D, 1)} is partly
     * plain Java inside the Vector API (an int-vector shuffle), whose shared profile C2 inlines: when another
     * kernel had fed that code a vector of another class, the compiled kernel was thrown away and compiled again
     * (the squared norm of every training step's gradient norms). Two half-width loads widened from part 0
     * read the same lanes with no shuffle.
     */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(D.vectorBitSize() / 2));
    /** Float lanes per vector. */
    static final int FL = F.length();
    /** Double lanes per vector. */
    static final int DL = D.length();
}
