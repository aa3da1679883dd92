package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AsciiArtTest {
    @Test
    void mapsIntensityToInkTwoCharactersPerPixel() {
        float[] px = {9f, 0f, 0.15f, 0.5f, 1f, 2f, 0.95f};
        // offset 1: a 2x3 image; values outside [0, 1] are clamped
        assertEquals("  ..++\n@@@@@@\n", AsciiArt.draw(px, 1, 2, 3));
    }
}
