package dev.vecprop.nn;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and writes a model's parameters in the safetensors format: an 8-byte little-endian header length N,
 * N bytes of UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}}
 * (offsets relative to the data section; an optional {@code "__metadata__"} object of strings), then the raw
 * little-endian data. Tensors must tile the data section exactly: no overlap, no holes, nothing after.
 */
final class SafeTensors {
    /** The reference implementation's bound on the header size. */
    static final long MAX_HEADER = 100_000_000L;
    private static final int CHUNK = 1 << 16;

    private SafeTensors() {
    }

    /**
     * Copies and checks caller metadata before anything is written: keys and values must be non-null strings.
     * The defaults {@code format=pt, producer=vecprop} come first; a caller's entry with the same key replaces
     * the default (one JSON key each, never a duplicate).
     */
    static Map<String, String> metadataToWrite(Map<String, String> metadata) {
        if (metadata == null) {
            throw new NullPointerException("metadata must not be null (pass Map.of() for none)");
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("format", "pt");
        all.put("producer", "vecprop");
        for (Map.Entry<?, ?> e : metadata.entrySet()) { // wildcard: a raw or heap-polluted map is caught too
            if (!(e.getKey() instanceof String k)) {
                throw new IllegalArgumentException("metadata keys must be non-null strings, but one is "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getName()));
            }
            if (!(e.getValue() instanceof String v)) {
                throw new IllegalArgumentException("metadata value of \"" + k + "\" must be a non-null string, but is "
                        + (e.getValue() == null ? "null" : e.getValue().getClass().getName()));
            }
            all.put(k, v);
        }
        return all;
    }

    static void save(Model model, Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = metadataToWrite(metadata);
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        int bytes = model.dtype().bytes();
        String dtypeName = model.dtype().name();
        StringBuilder h = new StringBuilder("{\"__metadata__\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            h.append(first ? "" : ",");
            first = false;
            Json.quote(h, e.getKey());
            h.append(':');
            Json.quote(h, e.getValue());
        }
        h.append('}');
        long at = 0;
        for (Parameter p : model.parameters()) {
            h.append(',');
            Json.quote(h, p.name());
            h.append(":{\"dtype\":\"").append(dtypeName).append("\",\"shape\":[");
            int[] shape = p.shape();
            for (int i = 0; i < shape.length; i++) {
                h.append(i == 0 ? "" : ",").append(shape[i]);
            }
            long end = at + (long) p.size() * bytes;
            h.append("],\"data_offsets\":[").append(at).append(',').append(end).append("]}");
            at = end;
        }
        h.append('}');
        while ((h.length() + 8) % 8 != 0) { // pad with spaces so the data starts 8-byte aligned, as the reference does
            h.append(' ');
        }
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        while (header.length % 8 != 0) { // non-ASCII names: pad the bytes
            h.append(' ');
            header = h.toString().getBytes(StandardCharsets.UTF_8);
        }

        Path tmp = createTemporary(dir, target.getFileName().toString());
        boolean done = false;
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
                buf.putLong(header.length);
                buf.flip();
                writeFully(ch, buf);
                writeFully(ch, ByteBuffer.wrap(header));
                Tensor v = model.values();
                int n = v.size();
                int per = CHUNK / bytes;
                for (int from = 0; from < n; from += per) {
                    int len = Math.min(per, n - from);
                    buf.clear();
                    if (v.dtype() == DType.F32) {
                        buf.asFloatBuffer().put(v.floats(), v.offset() + from, len);
                    } else {
                        buf.asDoubleBuffer().put(v.doubles(), v.offset() + from, len);
                    }
                    buf.limit(len * bytes);
                    writeFully(ch, buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /**
     * A new empty file next to the target. Not {@code Files.createTempFile}: that makes it owner-only (0600),
     * and the renamed model file would keep those permissions; a plain create applies the user's umask.
     */
    private static Path createTemporary(Path dir, String name) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + name + "." + Long.toHexString(System.nanoTime() ^ Thread.currentThread().threadId()
                    ^ ((long) attempt << 48)) + ".tmp");
            try {
                return Files.createFile(p);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt >= 100) {
                    throw e;
                }
            }
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private record Entry(String name, String dtype, int[] shape, long begin, long end) {
    }

    /** A validated header: the tensors, the {@code __metadata__} strings, and the header length N. */
    private record Header(List<Entry> entries, Map<String, String> metadata, long n) {
    }

    /** Reads and validates the header of an open file exactly as {@link #load} does; throws IOException. */
    private static Header readHeader(FileChannel ch, String where) throws IOException {
        long size = ch.size();
        if (size < 8) {
            throw new IOException(where + "truncated: the file has " + size
                    + " bytes, but a safetensors file starts with an 8-byte header length");
        }
        ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, lenBuf, 0, where);
        long n = lenBuf.flip().getLong();
        if (n < 2 || n > MAX_HEADER || n > size - 8) {
            throw new IOException(where + "the header length is " + Long.toUnsignedString(n)
                    + " bytes, but it must be in [2, " + Math.min(MAX_HEADER, size - 8)
                    + "] for this file of " + size + " bytes (truncated or not safetensors)");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) n);
        readFully(ch, hb, 8, where);
        String json;
        try {
            json = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb.flip()).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(where + "the header is not valid UTF-8", e);
        }
        long dataSize = size - 8 - n;
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries;
        try {
            entries = parseHeader(json, dataSize, metadata);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + e.getMessage(), e);
        }
        return new Header(entries, metadata, n);
    }

    /**
     * The {@code __metadata__} strings of a file, after validating the whole file's structure (header, tensor
     * entries, data-section tiling) as strictly as {@link #load} does. No model is involved.
     */
    static Map<String, String> readMetadata(Path file) throws IOException {
        String where = "cannot read " + file + ": ";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return Collections.unmodifiableMap(readHeader(ch, where).metadata());
        }
    }

    static void load(Model model, Path file) throws IOException {
        String where = "cannot load " + file + ": ";
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = readHeader(ch, where);
            List<Entry> entries = header.entries();
            long n = header.n();
            Map<String, Entry> byName = new java.util.HashMap<>();
            for (Entry e : entries) {
                byName.put(e.name, e);
            }
            matchModel(model, byName, where);

            // read everything into a staging copy; the model changes only after the whole file was read
            Tensor staging = Tensor.zeros(model.dtype(), model.parameterCount());
            int bytes = model.dtype().bytes();
            ByteBuffer buf = ByteBuffer.allocate(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
            for (Parameter p : model.parameters()) {
                Entry e = byName.get(p.name());
                long pos = 8 + n + e.begin;
                int per = CHUNK / bytes;
                for (int from = 0; from < p.size(); from += per) {
                    int len = Math.min(per, p.size() - from);
                    buf.clear().limit(len * bytes);
                    readFully(ch, buf, pos, where);
                    buf.flip();
                    if (staging.dtype() == DType.F32) {
                        buf.asFloatBuffer().get(staging.floats(), p.offset() + from, len);
                    } else {
                        buf.asDoubleBuffer().get(staging.doubles(), p.offset() + from, len);
                    }
                    pos += (long) len * bytes;
                }
            }
            Kern.copy(staging, model.values());
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long pos, String where) throws IOException {
        long p = pos;
        while (b.hasRemaining()) {
            int r = ch.read(b, p);
            if (r < 0) {
                throw new IOException(where + "truncated: the file ended at byte " + p);
            }
            p += r;
        }
    }

    /** Validates the header against the format and the data-section size; throws IllegalArgumentException. */
    static List<Entry> parseHeader(String json, long dataSize, Map<String, String> metadataOut) {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("the header must be a JSON object, but is " + kind(root));
        }
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> me : top.entrySet()) {
            String name = (String) me.getKey();
            Object v = me.getValue();
            if (name.equals("__metadata__")) {
                if (!(v instanceof Map<?, ?> meta)) {
                    throw new IllegalArgumentException("__metadata__ must be an object, but is " + kind(v));
                }
                for (Map.Entry<?, ?> m : meta.entrySet()) {
                    if (!(m.getValue() instanceof String value)) {
                        throw new IllegalArgumentException("__metadata__ values must be strings, but \"" + m.getKey()
                                + "\" is " + kind(m.getValue()));
                    }
                    metadataOut.put((String) m.getKey(), value);
                }
                continue;
            }
            if (!(v instanceof Map<?, ?> t)) {
                throw new IllegalArgumentException("tensor \"" + name + "\" must be an object, but is " + kind(v));
            }
            Set<Object> keys = new HashSet<>(t.keySet());
            if (!keys.equals(Set.of("dtype", "shape", "data_offsets"))) {
                throw new IllegalArgumentException("tensor \"" + name + "\" must have exactly the keys dtype, shape,"
                        + " data_offsets, but has " + new TreeSet<>(t.keySet().stream().map(Object::toString).toList()));
            }
            if (!(t.get("dtype") instanceof String dtype)) {
                throw new IllegalArgumentException("tensor \"" + name + "\": dtype must be a string");
            }
            if (!(t.get("shape") instanceof List<?> shapeList)) {
                throw new IllegalArgumentException("tensor \"" + name + "\": shape must be an array");
            }
            int[] shape = new int[shapeList.size()];
            long elements = 1;
            for (int i = 0; i < shape.length; i++) {
                long d = shapeList.get(i) instanceof Json.Num num ? num.nonNegativeLong() : -1;
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("tensor \"" + name + "\": shape entries must be integers in [0, 2^31),"
                            + " but entry " + i + " is " + shapeList.get(i));
                }
                shape[i] = (int) d;
                elements = Math.multiplyHigh(elements, d) != 0 || elements * d < 0 ? Long.MAX_VALUE : elements * d;
            }
            if (!(t.get("data_offsets") instanceof List<?> offs) || offs.size() != 2) {
                throw new IllegalArgumentException("tensor \"" + name + "\": data_offsets must be an array [begin, end]");
            }
            long begin = offs.get(0) instanceof Json.Num b ? b.nonNegativeLong() : -1;
            long end = offs.get(1) instanceof Json.Num e ? e.nonNegativeLong() : -1;
            if (begin < 0 || end < 0 || begin > end || end > dataSize) {
                throw new IllegalArgumentException("tensor \"" + name + "\": data_offsets " + offs
                        + " must satisfy 0 <= begin <= end <= " + dataSize + " (the data section's size)");
            }
            int width = switch (dtype) {
                case "F64", "I64", "U64" -> 8;
                case "F32", "I32", "U32" -> 4;
                case "F16", "BF16", "I16", "U16" -> 2;
                case "I8", "U8", "BOOL", "F8_E4M3", "F8_E5M2" -> 1;
                default -> throw new IllegalArgumentException("tensor \"" + name + "\": unknown dtype \"" + dtype + "\"");
            };
            if (elements == Long.MAX_VALUE || elements * width != end - begin) {
                throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Tensor.shapeString(shape) + " of "
                        + dtype + " needs " + (elements == Long.MAX_VALUE ? "too many" : String.valueOf(elements * width))
                        + " bytes, but data_offsets " + offs + " span " + (end - begin));
            }
            entries.add(new Entry(name, dtype, shape, begin, end));
        }
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expect = 0;
        for (Entry e : sorted) {
            if (e.begin != expect) {
                throw new IllegalArgumentException(e.begin < expect
                        ? "tensor \"" + e.name + "\" at bytes [" + e.begin + ", " + e.end + ") overlaps the tensor before it"
                        : "bytes [" + expect + ", " + e.begin + ") of the data section belong to no tensor");
            }
            expect = e.end;
        }
        if (expect != dataSize) {
            throw new IllegalArgumentException("the tensors cover " + expect + " bytes of data, but the data section has "
                    + dataSize + " bytes (truncated, or trailing bytes)");
        }
        return entries;
    }

    private static void matchModel(Model model, Map<String, Entry> byName, String where) throws IOException {
        Set<String> unknown = new TreeSet<>(byName.keySet());
        List<String> missing = new ArrayList<>();
        for (Parameter p : model.parameters()) {
            Entry e = byName.get(p.name());
            unknown.remove(p.name());
            if (e == null) {
                missing.add(p.name());
                continue;
            }
            if (!e.dtype.equals(model.dtype().name())) {
                throw new IOException(where + "tensor \"" + p.name() + "\" is " + e.dtype + " but the model is "
                        + model.dtype());
            }
            if (!java.util.Arrays.equals(e.shape, p.shape())) {
                throw new IOException(where + "tensor \"" + p.name() + "\" has shape " + Tensor.shapeString(e.shape)
                        + " but the model expects " + Tensor.shapeString(p.shape()));
            }
        }
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IOException(where + "the file does not match the model: "
                    + (missing.isEmpty() ? "" : "missing " + missing + (unknown.isEmpty() ? "" : "; "))
                    + (unknown.isEmpty() ? "" : "not in the model " + unknown));
        }
    }

    private static String kind(Object v) {
        if (v instanceof Map) {
            return "an object";
        } else if (v instanceof List) {
            return "an array";
        } else if (v instanceof String) {
            return "a string";
        } else if (v instanceof Json.Num) {
            return "a number";
        } else if (v instanceof Boolean) {
            return "a boolean";
        }
        return "null";
    }
}
