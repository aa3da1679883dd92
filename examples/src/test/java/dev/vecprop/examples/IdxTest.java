package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX files made here byte by byte: well-formed ones read back exactly, broken ones are refused by name. */
class IdxTest {
    @TempDir
    Path dir;

    /** An IDX file: magic 00 00 type rank, big-endian dims, then the payload. */
    static byte[] idx(int type, int[] dims, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + payload.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(payload);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(raw);
        }
        return bytes.toByteArray();
    }

    static byte[] ramp(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) (i * 37 + 11);
        }
        return p;
    }

    private Path write(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private String refusal(String name, byte[] content, int rank) throws IOException {
        Path f = write(name, content);
        Idx.IdxFormatException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(f, rank));
        assertTrue(e.getMessage().startsWith(f.toString() + ": "), "message names the file: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsPlainAndGzippedFilesAlike() throws IOException {
        byte[] payload = ramp(3 * 4 * 5);
        byte[] raw = idx(0x08, new int[] {3, 4, 5}, payload);
        for (Path f : new Path[] {write("plain", raw), write("zipped.gz", gzip(raw)), write("zipped-no-suffix", gzip(raw))}) {
            Idx.Array a = Idx.read(f, 3);
            assertArrayEquals(new int[] {3, 4, 5}, a.dims());
            assertEquals(3, a.count());
            assertEquals(20, a.itemSize());
            assertArrayEquals(payload, a.data());
        }
    }

    @Test
    void zeroItemsAreValid() throws IOException {
        Idx.Array a = Idx.read(write("empty-labels", idx(0x08, new int[] {0}, new byte[0])), 1);
        assertEquals(0, a.count());
        assertEquals(0, a.data().length);
    }

    @Test
    void refusesBadMagic() throws IOException {
        byte[] raw = idx(0x08, new int[] {2}, new byte[] {1, 2});
        raw[1] = 0x01;
        assertTrue(refusal("magic", raw, 1).contains("bad magic number 0x00010801"));
        // a gzip stream whose content is not IDX is refused the same way
        assertTrue(refusal("text.gz", gzip("hello, world".getBytes()), 1).contains("bad magic number"));
    }

    @Test
    void refusesOtherElementTypesAndRanks() throws IOException {
        assertTrue(refusal("floats", idx(0x0D, new int[] {1}, new byte[4]), 1).contains("element type 0x0d"));
        String m = refusal("labels-as-images", idx(0x08, new int[] {2}, new byte[2]), 3);
        assertTrue(m.contains("has rank 1, expected 3"), m);
    }

    @Test
    void refusesTruncatedFiles() throws IOException {
        byte[] raw = idx(0x08, new int[] {10, 28, 28}, ramp(10 * 784));
        String m = refusal("cut", Arrays.copyOf(raw, raw.length - 1), 3);
        assertTrue(m.contains("truncated: the header promises 10 items of 28x28 = 7840 bytes of data, only 7839 follow"), m);
        assertTrue(refusal("cut-header", Arrays.copyOf(raw, 9), 3).contains("truncated header"));
        assertTrue(refusal("cut-magic", Arrays.copyOf(raw, 3), 3).contains("too short for the 4-byte magic"));
        assertTrue(refusal("nothing", new byte[0], 3).contains("is empty"));
        byte[] gz = gzip(raw);
        String g = refusal("cut.gz", Arrays.copyOf(gz, gz.length / 2), 3);
        assertTrue(g.contains("truncated or corrupt gzip data"), g);
    }

    @Test
    void refusesTrailingDataAndAbsurdSizes() throws IOException {
        byte[] raw = idx(0x08, new int[] {2}, new byte[] {1, 2, 3});
        assertTrue(refusal("long", raw, 1).contains("more data than the header promises"));
        String m = refusal("huge", idx(0x08, new int[] {60000, 60000, 60000}, new byte[0]), 3);
        assertTrue(m.contains("describe more than"), m);
        assertTrue(refusal("negative", idx(0x08, new int[] {-1}, new byte[0]), 1).contains("too large"));
    }

    @Test
    void missingFileIsNamed() {
        Path f = dir.resolve("absent");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Idx.read(f, 1));
        assertEquals(f.toString(), e.getFile());
    }

    /** Bytes this thread allocated while running {@code r} (reflection: the tests may not read jdk.management). */
    private static long allocatedBy(org.junit.jupiter.api.function.Executable r) throws Throwable {
        Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        java.lang.reflect.Method allocated = Class.forName("com.sun.management.ThreadMXBean")
                .getMethod("getCurrentThreadAllocatedBytes");
        long before = (Long) allocated.invoke(bean);
        r.execute();
        return (Long) allocated.invoke(bean) - before;
    }

    @Test
    void aLyingHeaderIsRefusedBeforeAllocatingWhatItPromises() throws Throwable {
        // 60,000 images of 28x28 promised (47 MB), 100 bytes present: plain and gzipped
        byte[] raw = idx(0x08, new int[] {60_000, 28, 28}, ramp(100));
        Path plain = write("liar", raw);
        Path zipped = write("liar.gz", gzip(raw));
        long[] spent = new long[2];
        spent[0] = allocatedBy(() -> {
            Idx.IdxFormatException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(plain, 3));
            assertTrue(e.getMessage().contains("= 47040000 bytes of data, only 100 follow"), e.getMessage());
        });
        spent[1] = allocatedBy(() -> {
            Idx.IdxFormatException e = assertThrows(Idx.IdxFormatException.class, () -> Idx.read(zipped, 3));
            assertTrue(e.getMessage().contains("more than a gzip file of"), e.getMessage());
        });
        for (long s : spent) {
            assertTrue(s < 4_000_000, "refusing a lying header allocated " + s + " bytes");
        }
        // the measurement sees a real read of that size (so the bound above can fail)
        Path honest = write("honest.gz", gzip(idx(0x08, new int[] {60_000, 28, 28}, new byte[60_000 * 784])));
        long read = allocatedBy(() -> assertEquals(60_000, Idx.read(honest, 3).count()));
        assertTrue(read >= 47_040_000, "reading 47 MB allocated only " + read + " bytes");
    }

    @Test
    void aKnownLengthDecodesStraightIntoTheResult() throws Throwable {
        // 47 MB of items, gzipped: reading allocates the result once (plus buffers), not a second growing copy
        Path f = write("big.gz", gzip(idx(0x08, new int[] {60_000, 28, 28}, ramp(60_000 * 784))));
        long spent = allocatedBy(() -> assertEquals(60_000, Idx.read(f, 3).count()));
        assertTrue(spent < 47_040_000 + 4_000_000, "reading 47 MB allocated " + spent + " bytes");
        // an unknown length (a plain stream) grows its buffer: the same file then costs well over one copy,
        // which shows the bound above can fail
        long grown = allocatedBy(() -> {
            try (java.io.InputStream in = Files.newInputStream(f)) {
                assertEquals(60_000, Idx.read(in, f.toString(), 3).count());
            }
        });
        assertTrue(grown > 47_040_000 + 4_000_000, "the growing read allocated only " + grown + " bytes");
    }
}
