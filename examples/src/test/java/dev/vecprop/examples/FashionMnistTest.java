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
        assertEquals(10_000 * 784, d.train().pixels().length);
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
            for (float v : s.floats(0, s.count())) {
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
        assertEquals(196 / 255f, d.train().floats(0, 1)[5]);
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

    /** The pixel conversion this program used before the pixels stayed bytes: the whole file, up front. */
    private static float[] oldFloats(byte[] px) {
        float[] x = new float[px.length];
        for (int i = 0; i < px.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        return x;
    }

    @Test
    void pixelsAreBitwiseTheOldUpFrontConversion() throws IOException {
        FashionMnist.Dataset d = FashionMnist.load(FashionMnist.EMBEDDED);
        for (FashionMnist.Split s : new FashionMnist.Split[] {d.train(), d.test()}) {
            float[] old = oldFloats(s.pixels());
            float[] now = s.floats(0, s.count());
            for (int i = 0; i < old.length; i++) {
                if (Float.floatToRawIntBits(old[i]) != Float.floatToRawIntBits(now[i])) {
                    throw new AssertionError("pixel " + i + ": " + old[i] + " before, " + now[i] + " now");
                }
            }
            // the trainer's conversion (nn's Dataset over the bytes) gives the same values
            dev.vecprop.nn.Tensor all = s.dataset().inputRows(0, s.count());
            assertEquals(old.length, all.size());
            for (int i = 0; i < old.length; i++) {
                if (Float.floatToRawIntBits(old[i]) != Float.floatToRawIntBits(all.floats()[all.offset() + i])) {
                    throw new AssertionError("pixel " + i + " through the trainer's conversion differs");
                }
            }
        }
    }

    /** A few shuffled epochs of the default MLP on the first 300 embedded images; the weights. */
    private static float[] trainOn(dev.vecprop.nn.Dataset train, dev.vecprop.nn.Dataset test, double[] accuracy) {
        Mlp mlp = new Mlp(FashionMnist.PIXELS, new int[] {32, 16}, "relu", 10);
        dev.vecprop.nn.Model model = new dev.vecprop.nn.Model(mlp.build(), dev.vecprop.nn.DType.F32, 5);
        // 300 = 4 × 64 + 44: full batches and a smaller last one, in a new order each epoch
        dev.vecprop.nn.Trainer t = new dev.vecprop.nn.Trainer(dev.vecprop.nn.Loss.softmaxCrossEntropy(),
                new dev.vecprop.nn.Adam(1e-3)).epochs(2).batchSize(64).seed(11).validation(test);
        accuracy[0] = t.fit(model, train).get(1).validation().accuracy();
        return model.values().floats().clone();
    }

    @Test
    void trainingOnBytesGivesBitwiseTheWeightsOfTheOldFloatPath() throws IOException {
        FashionMnist.Dataset d = FashionMnist.load(FashionMnist.EMBEDDED);
        FashionMnist.Split train = d.train().head(300);
        FashionMnist.Split test = d.test().head(200);
        double[] accOld = new double[1];
        double[] accNow = new double[1];
        float[] old = trainOn(dev.vecprop.nn.Dataset.of(dev.vecprop.nn.Tensor.of(oldFloats(train.pixels()), 300, 784),
                train.labels()), dev.vecprop.nn.Dataset.of(dev.vecprop.nn.Tensor.of(oldFloats(test.pixels()), 200, 784),
                test.labels()), accOld);
        float[] now = trainOn(train.dataset(), test.dataset(), accNow);
        org.junit.jupiter.api.Assertions.assertArrayEquals(old, now);
        assertEquals(accOld[0], accNow[0]);
        // and the check can fail: one pixel of one training image one step brighter changes the weights
        byte[] px = train.pixels().clone();
        px[123 * 784 + 400]++;
        float[] changed = trainOn(new FashionMnist.Split(px, train.labels()).dataset(), test.dataset(), new double[1]);
        org.junit.jupiter.api.Assertions.assertFalse(java.util.Arrays.equals(now, changed));
    }

    @Test
    void evaluationBatchesMatchTheOldFloatPath() throws IOException {
        FashionMnist.Dataset d = FashionMnist.load(FashionMnist.EMBEDDED);
        FashionMnist.Split test = d.test().head(1234); // two evaluation batches of 500 and one of 234
        dev.vecprop.nn.Model model = new dev.vecprop.nn.Model(
                new Mlp(FashionMnist.PIXELS, new int[] {16}, "relu", 10).build(), dev.vecprop.nn.DType.F32, 3);
        int[][] confusion = new int[10][10];
        double acc = Training.accuracy(model, test, confusion);
        dev.vecprop.nn.Tensor logits = model.forward(dev.vecprop.nn.Tensor.of(oldFloats(test.pixels()), 1234, 784),
                new dev.vecprop.nn.Context(), dev.vecprop.nn.Mode.INFERENCE);
        int hits = 0;
        int[][] expected = new int[10][10];
        for (int r = 0; r < 1234; r++) {
            int best = 0;
            for (int j = 1; j < 10; j++) {
                if (logits.get(r, j) > logits.get(r, best)) {
                    best = j;
                }
            }
            hits += best == test.labels()[r] ? 1 : 0;
            expected[test.labels()[r]][best]++;
        }
        assertEquals(hits / 1234.0, acc);
        org.junit.jupiter.api.Assertions.assertArrayEquals(expected, confusion);
    }

    @Test
    void truncatedOrCorruptFilesAreRefusedByNameAndNothingIsLoaded() throws IOException {
        String[] names = {"train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte.gz"};
        for (int f = 0; f < 4; f++) {
            for (String damage : new String[] {"cut", "flip"}) {
                Path where = dir.resolve("damaged-" + f + "-" + damage);
                writeSet(where, 40, 40, 30, 30, 28);
                Path file = where.resolve(names[f]);
                byte[] b = Files.readAllBytes(file);
                if (damage.equals("cut")) {
                    b = java.util.Arrays.copyOf(b, b.length - 5);
                } else if (names[f].endsWith(".gz")) {
                    b[b.length - 6] ^= 0x5a; // inside the CRC-32 trailer: the content no longer checks out
                } else {
                    b[b.length - 1] = 10; // a label outside 0..9, or a pixel (caught below: changed, not refused)
                }
                Files.write(file, b);
                boolean refusable = damage.equals("cut") || names[f].endsWith(".gz") || names[f].contains("labels");
                if (!refusable) {
                    continue; // any byte is a valid pixel: a flipped pixel in a plain file cannot be detected
                }
                IOException e = assertThrows(IOException.class, () -> FashionMnist.load(where.toString()),
                        names[f] + " " + damage);
                assertTrue(e.getMessage().contains(names[f]), "names the file: " + e.getMessage());
                assertTrue(e instanceof Idx.IdxFormatException, e.toString());
            }
        }
        // nothing is kept from a failed load: the same loader then reads an intact directory in full
        writeSet(dir.resolve("intact"), 40, 40, 30, 30, 28);
        FashionMnist.Dataset d = FashionMnist.load(dir.resolve("intact").toString());
        assertEquals(40, d.train().count());
        assertEquals(30, d.test().count());
    }

    @Test
    void cliRefusesACorruptLastFileAndWritesNoModel() throws IOException {
        Path where = dir.resolve("last-bad");
        writeSet(where, 40, 40, 30, 30, 28);
        byte[] b = Files.readAllBytes(where.resolve("t10k-labels-idx1-ubyte.gz"));
        Files.write(where.resolve("t10k-labels-idx1-ubyte.gz"), java.util.Arrays.copyOf(b, b.length / 2));
        Path out = dir.resolve("never.safetensors");
        CliTest.Run r = CliTest.run("train", "--data", where.toString(), "--out", out.toString());
        assertEquals(Main.EXIT_FAILURE, r.code());
        r.assertOneLineError();
        assertTrue(r.err().contains("t10k-labels-idx1-ubyte.gz: truncated or corrupt gzip data"), r.err());
        assertTrue(!Files.exists(out), "no model written after a failed load");
    }
}
