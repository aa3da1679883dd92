package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import dev.vecprop.testing.Rng;
import org.junit.jupiter.api.Test;

/** The random source's fixed tables stay fixed, so a printed seed keeps replaying its case. */
class RngTest {

    /**
     * {@link Rng#dim(int, int)} draws lane boundaries from {@link Rng#LANE_DIMS}: if a caller could change the
     * table, every case drawn after that call would change and a seed printed by a failing run would replay
     * something else. The table must refuse every change.
     */
    @Test
    void laneDimsCannotBeChanged() {
        List<Integer> before = List.copyOf(Rng.LANE_DIMS);
        assertThrows(UnsupportedOperationException.class, () -> Rng.LANE_DIMS.set(0, 4));
        assertThrows(UnsupportedOperationException.class, () -> Rng.LANE_DIMS.add(4));
        assertThrows(UnsupportedOperationException.class, () -> Rng.LANE_DIMS.remove(0));
        assertEquals(before, Rng.LANE_DIMS);
    }

    /** dim draws only from the range asked for, and about half the time a lane boundary in it. */
    @Test
    void dimDrawsLaneBoundariesFromTheTable() {
        Rng rng = new Rng(42);
        int lane = 0;
        int n = 4000;
        for (int i = 0; i < n; i++) {
            int d = rng.dim(10, 40);
            assertTrue(d >= 10 && d <= 40, "dim(10, 40) gave " + d);
            // a uniform draw lands on one of the 5 boundaries in [10, 40] with probability 5/31
            if (Rng.LANE_DIMS.contains(d)) {
                lane++;
            }
        }
        // expected fraction 1/2 + 1/2·5/31 ≈ 0.58; ±0.05 is over 6 standard deviations (σ ≈ 0.0078)
        double fraction = (double) lane / n;
        assertEquals(0.5 + 0.5 * 5 / 31.0, fraction, 0.05, "fraction of lane boundaries");
    }
}
