package dev.vecprop.kernels;

import jdk.incubator.vector.FloatVector;

/** Touches the Vector API; loaded only after {@link Vectorization} has checked the module is resolved. */
final class VectorProbe {
    private VectorProbe() {
    }

    static int preferredBits() {
        return FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
