package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecprop.testing.Network;
import dev.vecprop.testing.Rng;
import org.junit.jupiter.api.Test;

/** The network generator never draws a network whose gradient check would be trivially true. */
class NetworkDrawTest {

    private static final int DRAWS = 2000;

    /**
     * A LayerNorm over one feature outputs β whatever its input, so every gradient before it is 0; the
     * generator only puts LayerNorms on widths of 2 or more. Over 2000 draws, widths of 1 (a lane boundary,
     * drawn often) and LayerNorms both come up hundreds of times, so a generator that allowed the pair would
     * draw it.
     */
    @Test
    void noLayerNormOverOneFeature() {
        Rng rng = new Rng(0x1A4E_4021L);
        int width1 = 0;
        int norms = 0;
        for (int d = 0; d < DRAWS; d++) {
            Network n = Network.draw(rng, 33, Network.ACTIVATIONS);
            for (int i = 0; i < n.widths().length; i++) {
                width1 += n.widths()[i] == 1 ? 1 : 0;
                norms += n.norm()[i] ? 1 : 0;
                assertTrue(!n.norm()[i] || n.widths()[i] >= 2, "LayerNorm over " + n.widths()[i] + " feature in " + n);
            }
        }
        assertTrue(width1 > 100 && norms > 100, "the draws must include both: " + width1 + " blocks of width 1, "
                + norms + " LayerNorms");
    }

    /** minOut 2 (for cross-entropy) is always met, also when the last block is a Residual on a narrow input. */
    @Test
    void minOutIsMet() {
        Rng rng = new Rng(0xC1A5_5E52L);
        int outOf1 = 0;
        for (int d = 0; d < DRAWS; d++) {
            Network n = Network.draw(rng, 33, Network.ACTIVATIONS, 2);
            assertTrue(n.out() >= 2, "a network under cross-entropy needs 2 classes: " + n);
            outOf1 += Network.draw(rng, 33, Network.ACTIVATIONS).out() == 1 ? 1 : 0;
        }
        assertTrue(outOf1 > 50, "without minOut, 1 output must come up (else this test could not fail): " + outOf1);
        assertThrows(IllegalArgumentException.class, () -> Network.draw(new Rng(1), 33, Network.ACTIVATIONS, 0));
        assertThrows(IllegalArgumentException.class, () -> Network.draw(new Rng(1), 33, Network.ACTIVATIONS, 34));
    }
}
