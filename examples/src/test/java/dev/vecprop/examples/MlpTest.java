package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MlpTest {
    @Test
    void describeAndParseRoundTrip() {
        Mlp m = new Mlp(784, new int[] {256, 128}, "gelu", 10);
        assertEquals("784-256-128-10 gelu", m.describe());
        Mlp back = Mlp.parse(m.describe());
        assertEquals(m, back);
        assertArrayEquals(new int[] {256, 128}, back.hidden());
        assertEquals(0, Mlp.parse("784-10 relu").hidden().length);
    }

    @Test
    void parseRefusesNonsense() {
        for (String bad : new String[] {"", "784-256-10", "784 relu", "784-x-10 relu", "784-0-10 relu", "784-10 swish"}) {
            assertThrows(IllegalArgumentException.class, () -> Mlp.parse(bad), bad);
        }
    }
}
