package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded subset, data directories, and the checks that tie images to labels. */
class FashionMnistTest {
    @TempDir
    Path dir;

    @Test
    void embeddedSubsetIsCompleteAndBalanced() throws IOException {
        FashionMnist.Dataset d = FashionMnist.load(FashionMnist.EMBEDDED);
        assertEquals("embedded", d.kind());
        assertEquals(10_000, d.train().count());
        assertEquals(2_000, d.test().count());
        assertEquals(10_000 * 784, d.train().images().length);
        for (FashionMnist.Split s : new FashionMnist.Split[] {d.train(), d.test()}) {
            int[] perClass = new int[10];
            for (int y : s.labels()) {
                perClass[y]++;
            }
            for (int c = 0; c < 10; c++) {
                // a fair share is count/10; the cut is within ±10% of it (see the resources README)
                assertTrue(Math.abs(perClass[c] - s.count() / 10) <= s.count() / 100, "class " + c + ": " + perClass[c]);
            }
            float min = Float.MAX_VALUE;
            float max = -Float.MAX_VALUE;
            for (float v : s.images()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            assertEquals(0f, min);
            assertEquals(1f, max);
        }
    }

    private void writeSet(Path where, int trainImages, int trainLabels, int testImages, int testLabels, int rows)
            throws IOException {
        Files.createDirectories(where);
        Files.write(where.resolve("train-images-idx3-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(8, new int[] {trainImages, rows, 28}, IdxTest.ramp(trainImages * rows * 28))));
        Files.write(where.resolve("train-labels-idx1-ubyte"), IdxTest.idx(8, new int[] {trainLabels}, labels(trainLabels)));
        Files.write(where.resolve("t10k-images-idx3-ubyte"),
                IdxTest.idx(8, new int[] {testImages, rows, 28}, IdxTest.ramp(testImages * rows * 28)));
        Files.write(where.resolve("t10k-labels-idx1-ubyte.gz"),
                IdxTest.gzip(IdxTest.idx(8, new int[] {testLabels}, labels(testLabels))));
    }

    private static byte[] labels(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (i % 10);
        }
        return b;
    }

    @Test
    void readsADirectoryOfPlainAndGzippedFiles() throws IOException {
        writeSet(dir, 7, 7, 3, 3, 28);
        FashionMnist.Dataset d = FashionMnist.load(dir.toString());
        assertEquals("full", d.kind());
        assertEquals(7, d.train().count());
        assertEquals(3, d.test().count());
        assertEquals(6, d.train().labels()[6]);
        // pixel 5 of the ramp is (5*37+11) mod 256 = 196
        assertEquals(196 / 255f, d.train().images()[5]);
    }

    @Test
    void refusesCountMismatchWrongSizeAndBadLabels() throws IOException {
        writeSet(dir.resolve("a"), 7, 6, 3, 3, 28);
        IOException e = assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("a").toString()));
        assertTrue(e.getMessage().contains("train-labels-idx1-ubyte: has 6 labels but"), e.getMessage());
        assertTrue(e.getMessage().contains("has 7 images"), e.getMessage());

        writeSet(dir.resolve("b"), 2, 2, 2, 2, 27);
        e = assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("b").toString()));
        assertTrue(e.getMessage().contains("images are 27x28"), e.getMessage());

        writeSet(dir.resolve("c"), 2, 2, 2, 2, 28);
        Files.write(dir.resolve("c/train-labels-idx1-ubyte"), IdxTest.idx(8, new int[] {2}, new byte[] {3, 10}));
        e = assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("c").toString()));
        assertTrue(e.getMessage().contains("label 10 at index 1 is outside 0..9"), e.getMessage());
    }

    @Test
    void missingDirectoryOrFileIsNamed() throws IOException {
        NoSuchFileException e = assertThrows(NoSuchFileException.class,
                () -> FashionMnist.load(dir.resolve("nowhere").toString()));
        assertTrue(e.getFile().endsWith("nowhere"));
        writeSet(dir.resolve("d"), 2, 2, 2, 2, 28);
        Files.delete(dir.resolve("d/t10k-images-idx3-ubyte"));
        e = assertThrows(NoSuchFileException.class, () -> FashionMnist.load(dir.resolve("d").toString()));
        assertTrue(e.getFile().endsWith("t10k-images-idx3-ubyte.gz"), e.getFile());
    }
}
