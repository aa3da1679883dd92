package dev.vecprop.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Fashion-MNIST (Zalando Research, MIT license): 28×28 grayscale images of clothing in ten classes.
 *
 * <p>Where the data comes from, in order: the directory given with {@code --data DIR} ({@code --data embedded}
 * forces the embedded subset); the Debian package's directory {@value #SYSTEM_DIR} when it holds the four files;
 * otherwise the subset embedded in this jar (the first 10,000 training and 2,000 test images of the official
 * files, see {@code fashion-mnist/README.md} among the resources).
 */
final class FashionMnist {
    /** Where the Debian package {@code dataset-fashion-mnist} puts the official files. */
    static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    /** The value of {@code --data} that forces the embedded subset. */
    static final String EMBEDDED = "embedded";
    static final int ROWS = 28;
    static final int COLS = 28;
    static final int PIXELS = ROWS * COLS;
    static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot");
    private static final String RESOURCE_DIR = "fashion-mnist/";
    private static final String[] FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private FashionMnist() {
    }

    /** What a pixel byte is divided by: {@link #pixel} gives values in [0, 1]. */
    static final float PIXEL_DIVISOR = 255f;

    /**
     * The float value of a pixel byte, {@code (b & 0xff) / 255f}: exact at 0 and 255, so values stay inside
     * [0, 1]. The one formula of this program; {@link Dataset#ofUnsignedBytes} with {@link #PIXEL_DIVISOR}
     * computes the same expression.
     */
    static float pixel(byte b) {
        return (b & 0xff) / PIXEL_DIVISOR;
    }

    /**
     * Images as the files' 8-bit pixels, row-major, {@code count × 784}, with their labels in 0..9. Pixels are
     * kept as bytes (a quarter of the memory of floats) and converted with {@link #pixel} where they are used:
     * a batch at a time by the trainer, an evaluation batch at a time by {@link #floats}.
     */
    record Split(byte[] pixels, int[] labels) {
        int count() {
            return labels.length;
        }

        /** @return a new split with the first {@code n} examples (or all, if there are fewer) */
        Split head(int n) {
            int k = Math.min(n, count());
            return new Split(java.util.Arrays.copyOf(pixels, k * PIXELS), java.util.Arrays.copyOf(labels, k));
        }

        /** Converts images {@code [from, from + count)} into {@code dst[0 … count·784)}, as the trainer does. */
        void floats(int from, int count, float[] dst) {
            java.util.Objects.checkFromIndexSize(from, count, count());
            int base = from * PIXELS;
            for (int i = 0, n = count * PIXELS; i < n; i++) {
                dst[i] = pixel(pixels[base + i]);
            }
        }

        /** @return images {@code [from, from + count)} as floats in [0, 1], {@code count × 784} */
        float[] floats(int from, int count) {
            float[] x = new float[count * PIXELS];
            floats(from, count, x);
            return x;
        }

        /** @return the split for the trainer: byte inputs converted one batch at a time, {@code [count, 784]} */
        dev.vecprop.nn.Dataset dataset() {
            return dev.vecprop.nn.Dataset.ofUnsignedBytes(pixels, new int[] {count(), PIXELS}, PIXEL_DIVISOR, labels);
        }
    }

    /**
     * @param kind {@code "full"} for files read from a directory, {@code "embedded"} for the subset in the jar
     * @param origin where the files were read from, for people
     */
    record Dataset(String kind, String origin, Split train, Split test) {
        String describe() {
            return String.format("Fashion-MNIST %s: %,d training and %,d test images from %s", kind, train.count(),
                    test.count(), origin);
        }
    }

    /**
     * Loads the data set following the order in the class comment.
     *
     * @param data the {@code --data} option: a directory, {@value #EMBEDDED}, or null for the default order
     * @throws IOException with a message naming the file and the problem if the data is missing or malformed
     */
    static Dataset load(String data) throws IOException {
        if (data == null) {
            Path system = Path.of(SYSTEM_DIR);
            return hasAllFiles(system) ? fromDirectory(system) : embedded();
        }
        if (data.equals(EMBEDDED)) {
            return embedded();
        }
        Path dir = Path.of(data);
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(data, null, "--data: no such directory (give a directory holding "
                    + FILES[0] + "[.gz] and the three other Fashion-MNIST files, or 'embedded')");
        }
        return fromDirectory(dir);
    }

    /** The subset embedded in the jar. */
    static Dataset embedded() throws IOException {
        Idx.Array[] a = new Idx.Array[4];
        for (int i = 0; i < 4; i++) {
            String name = RESOURCE_DIR + FILES[i] + ".gz";
            java.net.URL url = FashionMnist.class.getResource(name);
            if (url == null) {
                throw new NoSuchFileException("embedded " + name, null, "missing from the jar (a broken build?)");
            }
            java.net.URLConnection c = url.openConnection();
            try (InputStream in = c.getInputStream()) {
                // the entry's length lets Idx decode straight into the final array
                a[i] = Idx.read(in, "embedded " + FILES[i] + ".gz", i % 2 == 0 ? 3 : 1, c.getContentLengthLong());
            }
        }
        return new Dataset(EMBEDDED, "the subset embedded in the jar", split(a[0], a[1]), split(a[2], a[3]));
    }

    /** The four files in {@code dir}, each gzipped ({@code NAME.gz}) or plain ({@code NAME}). */
    static Dataset fromDirectory(Path dir) throws IOException {
        Idx.Array[] a = new Idx.Array[4];
        for (int i = 0; i < 4; i++) {
            Path file = find(dir, FILES[i]);
            if (file == null) {
                throw new NoSuchFileException(dir.resolve(FILES[i] + ".gz").toString(), null,
                        "missing (neither " + FILES[i] + ".gz nor " + FILES[i] + " is in " + dir + ")");
            }
            a[i] = Idx.read(file, i % 2 == 0 ? 3 : 1);
        }
        return new Dataset("full", dir.toString(), split(a[0], a[1]), split(a[2], a[3]));
    }

    private static boolean hasAllFiles(Path dir) {
        for (String f : FILES) {
            if (find(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path find(Path dir, String name) {
        Path gz = dir.resolve(name + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(name);
        return Files.isRegularFile(plain) ? plain : null;
    }

    /** Checks that images and labels belong together; keeps the pixel bytes as they are (no copy). */
    static Split split(Idx.Array images, Idx.Array labels) throws Idx.IdxFormatException {
        if (images.dims()[1] != ROWS || images.dims()[2] != COLS) {
            throw new Idx.IdxFormatException(images.source(), "images are " + images.dims()[1] + "x"
                    + images.dims()[2] + ", Fashion-MNIST images are " + ROWS + "x" + COLS);
        }
        if (images.count() != labels.count()) {
            throw new Idx.IdxFormatException(labels.source(), "has " + labels.count() + " labels but "
                    + images.source() + " has " + images.count() + " images");
        }
        byte[] lb = labels.data();
        int[] y = new int[lb.length];
        for (int i = 0; i < lb.length; i++) {
            y[i] = lb[i] & 0xff;
            if (y[i] >= CLASSES.size()) {
                throw new Idx.IdxFormatException(labels.source(), "label " + y[i] + " at index " + i
                        + " is outside 0.." + (CLASSES.size() - 1));
            }
        }
        return new Split(images.data(), y);
    }
}
