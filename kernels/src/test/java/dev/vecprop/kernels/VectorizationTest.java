package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The width the build asked for (surefire executions set -Dvecprop.vectorBits) is the width we run. */
class VectorizationTest {

    @Test
    void forcedWidthIsHonoured() {
        String forced = System.getProperty(Vectorization.VECTOR_BITS_PROPERTY, "");
        System.out.println(Vectorization.describe());
        if (forced.equals("scalar")) {
            assertFalse(Vectorization.isVectorized());
            assertEquals(0, Vectorization.vectorBits());
            assertEquals(1, Vectorization.floatLanes());
        } else if (!forced.isEmpty()) {
            assertTrue(Vectorization.isVectorized(), Vectorization.describe());
            assertTrue(Vectorization.vectorBits() <= Integer.parseInt(forced), Vectorization.describe());
            assertEquals(Vectorization.vectorBits(), Species.F.vectorBitSize());
            assertEquals(Vectorization.floatLanes(), Species.FL);
            assertEquals(Vectorization.doubleLanes(), Species.DL);
        } else {
            // Tests launch with --add-modules jdk.incubator.vector, so the vector path must be live.
            assertTrue(Vectorization.isVectorized(), Vectorization.describe());
            assertTrue(Vectorization.vectorBits() >= 128);
        }
    }

    @Test
    void describeNamesThePath() {
        String d = Vectorization.describe();
        assertTrue(d.contains(Vectorization.isVectorized() ? "Vector API" : "scalar"), d);
    }
}
