package dev.vecprop.examples;

/** Draws a grayscale image in the terminal, two characters per pixel so it keeps its aspect ratio. */
final class AsciiArt {
    /** From blank to full ink. */
    private static final String RAMP = " .:-=+*#%@";

    private AsciiArt() {
    }

    /**
     * @param pixels values in [0, 1] (0 = background), row-major, starting at {@code offset}
     * @return {@code rows} lines, each ending with a newline
     */
    static String draw(float[] pixels, int offset, int rows, int cols) {
        StringBuilder s = new StringBuilder(rows * (2 * cols + 1));
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float v = Math.clamp(pixels[offset + r * cols + c], 0f, 1f);
                char ch = RAMP.charAt(Math.min(RAMP.length() - 1, (int) (v * RAMP.length())));
                s.append(ch).append(ch);
            }
            s.append('\n');
        }
        return s.toString();
    }
}
