package dev.vecprop.examples;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST, plain or gzipped (told apart by the gzip magic bytes
 * {@code 1f 8b}, not by the file name).
 *
 * <p>Layout: a 4-byte magic number {@code 00 00 TT RR} (TT the element type, RR the rank), then RR big-endian
 * 32-bit dimensions, then the items, row-major. Only unsigned bytes (TT = {@code 0x08}) are read: that is what
 * image and label files hold. The reader checks the magic number, the rank, the dimensions and that exactly
 * the promised number of bytes follows, and refuses anything else with an {@link IdxFormatException} whose
 * message names the file and what is wrong.
 */
final class Idx {
    /** Element type code of unsigned bytes. */
    static final int UNSIGNED_BYTE = 0x08;
    /** Largest item payload we accept: the biggest Java byte array with some headroom. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 16L;
    /** Deflate's largest expansion: a 258-byte match costs at least 2 bits, so 258 · 8 / 2 = 1032:1. */
    static final long MAX_DEFLATE_RATIO = 1032;

    private Idx() {
    }

    /** The content of an IDX file of unsigned bytes: its dimensions (dims[0] is the item count) and data. */
    record Array(String source, int[] dims, byte[] data) {
        /** @return the number of items, the first dimension */
        int count() {
            return dims[0];
        }

        /** @return bytes per item: the product of all dimensions after the first */
        int itemSize() {
            int size = 1;
            for (int i = 1; i < dims.length; i++) {
                size *= dims[i];
            }
            return size;
        }
    }

    /** A file that is not a well-formed IDX file of the expected shape. */
    static final class IdxFormatException extends IOException {
        IdxFormatException(String source, String problem) {
            super(source + ": " + problem);
        }
    }

    /**
     * Reads an IDX file from disk.
     *
     * @param path the file, plain or gzipped
     * @param rank the expected rank (3 for images, 1 for labels)
     * @throws NoSuchFileException if the file does not exist
     * @throws IdxFormatException if the file is malformed, truncated, too long or of another rank or type
     * @throws IOException if reading fails
     */
    static Array read(Path path, int rank) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString(), rank, Files.size(path));
        }
    }

    /**
     * Reads an IDX file from a stream of unknown length (which is read to its end but not closed).
     *
     * @see #read(InputStream, String, int, long)
     */
    static Array read(InputStream in, String source, int rank) throws IOException {
        return read(in, source, rank, -1);
    }

    /**
     * Reads an IDX file from a stream (which is read to its end but not closed). The items are decoded straight
     * into the array that is returned, with no second copy, when the stream's length is known: the payload a
     * header promises is then checked against what that length can hold (all of it for a plain file, at most
     * {@value #MAX_DEFLATE_RATIO} times it for gzip) before anything is allocated, so a lying header neither
     * allocates gigabytes nor doubles the memory of a large read.
     *
     * @param in the bytes, plain or gzipped
     * @param source how to name the file in error messages
     * @param rank the expected rank (3 for images, 1 for labels)
     * @param length the stream's length in bytes (of the file, gzipped or not), or -1 if unknown
     * @throws IdxFormatException if the content is malformed, truncated, too long or of another rank or type
     * @throws IOException if reading fails
     */
    static Array read(InputStream in, String source, int rank, long length) throws IOException {
        BufferedInputStream buffered = new BufferedInputStream(in, 1 << 16);
        buffered.mark(2);
        int b0 = buffered.read();
        int b1 = buffered.read();
        buffered.reset();
        if (b0 == -1) {
            throw new IdxFormatException(source, "is empty");
        }
        boolean gzipped = b0 == 0x1f && b1 == 0x8b;
        try {
            InputStream body = gzipped ? new GZIPInputStream(buffered, 1 << 16) : buffered;
            return parse(body, source, rank, length, gzipped);
        } catch (ZipException | EOFException e) {
            // GZIPInputStream reports a cut-off stream as EOFException and damaged data as ZipException
            throw new IdxFormatException(source, "truncated or corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    /**
     * @param length the length of the (plain or gzipped) stream, or -1 if unknown
     * @param gzipped whether {@code in} decodes a gzip stream of that length
     */
    private static Array parse(InputStream in, String source, int rank, long length, boolean gzipped)
            throws IOException {
        byte[] magic = in.readNBytes(4);
        if (magic.length < 4) {
            throw new IdxFormatException(source, "truncated: " + magic.length + " bytes, too short for the 4-byte magic number");
        }
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(source, String.format(
                    "bad magic number 0x%02x%02x%02x%02x: not an IDX file (an IDX file starts with 00 00, a type and a rank)",
                    magic[0], magic[1], magic[2], magic[3]));
        }
        int type = magic[2] & 0xff;
        int actualRank = magic[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(source, String.format(
                    "element type 0x%02x is not supported (expected 0x08, unsigned bytes)", type));
        }
        if (actualRank != rank) {
            throw new IdxFormatException(source, "has rank " + actualRank + ", expected " + rank
                    + (rank == 3 ? " (images: count, rows, columns)" : rank == 1 ? " (labels: count)" : ""));
        }
        byte[] header = in.readNBytes(4 * rank);
        if (header.length < 4 * rank) {
            throw new IdxFormatException(source, "truncated header: " + rank + " dimensions need " + 4 * rank
                    + " bytes after the magic number, found " + header.length);
        }
        int[] dims = new int[rank];
        long total = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = ((header[4 * i] & 0xff) << 24) | ((header[4 * i + 1] & 0xff) << 16)
                    | ((header[4 * i + 2] & 0xff) << 8) | (header[4 * i + 3] & 0xff);
            if (dims[i] < 0) {
                throw new IdxFormatException(source, "dimension " + i + " is " + Integer.toUnsignedString(dims[i])
                        + ", too large");
            }
            total *= dims[i];
            if (total > MAX_BYTES) {
                throw new IdxFormatException(source, "dimensions " + Arrays.toString(dims) + " describe more than "
                        + MAX_BYTES + " bytes");
            }
        }
        long headerBytes = 4 + 4L * rank;
        byte[] data;
        int got;
        if (length >= 0) {
            // refused before allocating when the stream cannot hold what the header promises
            if (!gzipped && total > length - headerBytes) {
                throw new IdxFormatException(source, "truncated: the header promises " + describe(dims) + " = " + total
                        + " bytes of data, only " + (length - headerBytes) + " follow");
            }
            if (gzipped && total > MAX_DEFLATE_RATIO * length) {
                throw new IdxFormatException(source, "truncated or corrupt: the header promises " + describe(dims)
                        + " = " + total + " bytes of data, more than a gzip file of " + length
                        + " bytes can hold (deflate expands at most " + MAX_DEFLATE_RATIO + ":1)");
            }
            data = new byte[(int) total];
            got = in.readNBytes(data, 0, data.length); // decodes straight into the final array
        } else {
            // unknown length: readNBytes grows its buffer as data arrives, so a lying header cannot make us
            // allocate gigabytes (at the price of copies and up to twice the memory while reading)
            data = in.readNBytes((int) total);
            got = data.length;
        }
        if (got < total) {
            throw new IdxFormatException(source, "truncated: the header promises " + describe(dims) + " = " + total
                    + " bytes of data, only " + got + " follow");
        }
        if (in.read() != -1) {
            throw new IdxFormatException(source, "more data than the header promises (" + describe(dims) + " = "
                    + total + " bytes)");
        }
        return new Array(source, dims, data);
    }

    private static String describe(int[] dims) {
        StringBuilder s = new StringBuilder().append(dims[0]).append(dims[0] == 1 ? " item" : " items");
        for (int i = 1; i < dims.length; i++) {
            s.append(i == 1 ? " of " : "x").append(dims[i]);
        }
        return s.toString();
    }
}
