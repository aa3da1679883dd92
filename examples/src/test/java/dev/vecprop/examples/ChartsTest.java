package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PNGs decode, have the promised size, and are not blank. */
class ChartsTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static void assertDrawn(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(900, img.getWidth());
        assertEquals(520, img.getHeight());
        int colored = 0;
        for (int y = 0; y < img.getHeight(); y += 2) {
            for (int x = 0; x < img.getWidth(); x += 2) {
                int rgb = img.getRGB(x, y);
                int r = (rgb >> 16) & 0xff, g = (rgb >> 8) & 0xff, b = rgb & 0xff;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 60) {
                    colored++;
                }
            }
        }
        assertTrue(colored > 100, "the curves are drawn in color: " + colored + " colored samples");
        try (var files = Files.list(png.getParent())) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
        // the PNG gets the permissions of any new file (the umask's), not a temp file's 0600
        Path probe = Files.writeString(png.resolveSibling("probe"), "x");
        assertEquals(Files.getPosixFilePermissions(probe), Files.getPosixFilePermissions(png));
        Files.delete(probe);
    }

    @Test
    void trainingCurve() throws IOException {
        Path png = dir.resolve("sub/curve.png");
        Charts.trainingCurve(png, "test", new double[] {0.7, 0.48, 0.42, 0.39}, new double[] {0.815, 0.841, 0.829, 0.85});
        assertDrawn(png);
    }

    @Test
    void gradientNorms() throws IOException {
        Path png = dir.resolve("grad.png");
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("at init", new double[] {1e-12, 1e-9, 1e-6, 1e-3, 0, 1});
        s.put("after", new double[] {1e-10, 1e-8, 1e-5, 1e-2, 1e-1, 1});
        Charts.gradientNorms(png, "test", s);
        assertDrawn(png);
    }
}
