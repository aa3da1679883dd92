package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Model files: round trip, format details, and refusal of every kind of bad file with the model unchanged. */
class SafeTensorsTest {
    @TempDir
    Path dir;

    private static Model small(DType dtype, long seed) {
        return new Model(new Sequential(new Linear(3, 4), Activation.relu(), new LayerNorm(4), new Linear(4, 2)),
                dtype, seed);
    }

    @Test
    void roundTripIsBitwiseInBothDtypes() throws IOException {
        for (DType dt : DType.values()) {
            Model a = small(dt, 1);
            a.values().set(0, Double.NaN); // special values survive too
            a.values().set(1, -0.0);
            a.values().set(2, Double.NEGATIVE_INFINITY);
            Path f = dir.resolve("m-" + dt + ".safetensors");
            a.save(f);
            Model b = small(dt, 2);
            b.load(f);
            if (dt == DType.F32) {
                assertArrayEquals(a.values().floats(), b.values().floats());
            } else {
                assertArrayEquals(a.values().doubles(), b.values().doubles());
            }
        }
    }

    @Test
    void writtenFileFollowsTheFormat() throws IOException {
        Model a = small(DType.F32, 1);
        Path f = dir.resolve("m.safetensors");
        a.save(f);
        byte[] bytes = Files.readAllBytes(f);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "data section 8-byte aligned");
        String json = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) Json.parse(json);
        assertEquals(List.of("__metadata__", "0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias"),
                List.copyOf(h.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> w = (Map<String, Object>) h.get("3.weight");
        assertEquals("F32", w.get("dtype"));
        assertEquals("[2, 4]", w.get("shape").toString());
        Parameter p = a.parameter("3.weight");
        long begin = ((Json.Num) ((List<?>) w.get("data_offsets")).get(0)).nonNegativeLong();
        // the element (1, 2) of W, little-endian at its offset
        float stored = ByteBuffer.wrap(bytes, (int) (8 + n + begin + 4L * (1 * 4 + 2)), 4).order(ByteOrder.LITTLE_ENDIAN)
                .getFloat();
        assertEquals(p.value().get(1 * 4 + 2), stored);
        assertEquals(8 + n + 4L * a.parameterCount(), bytes.length);
    }

    @Test
    void savingReplacesAtomicallyAndLeavesNoTemporaryFiles() throws IOException {
        Path f = dir.resolve("m.safetensors");
        small(DType.F32, 1).save(f);
        Model b = small(DType.F32, 2);
        b.save(f);
        try (var s = Files.list(dir)) {
            assertEquals(List.of(f), s.toList());
        }
        Model c = small(DType.F32, 3);
        c.load(f);
        assertArrayEquals(b.values().floats(), c.values().floats());
    }

    /** Writes a file from a header string and raw data, as a hand-made (possibly broken) safetensors file. */
    private Path file(String header, byte[] data) throws IOException {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path f = Files.createTempFile(dir, "bad", ".safetensors");
        Files.write(f, b.array());
        return f;
    }

    private static Model tiny() {
        return new Model(new Linear(2, 1), DType.F32, 5); // weight [1, 2] (8 bytes), bias [1] (4 bytes)
    }

    private static final String GOOD = "{\"weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]},"
            + "\"bias\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";

    private static byte[] data(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : v) {
            b.putFloat(x);
        }
        return b.array();
    }

    @Test
    void handMadeFileFromTheSpecLoads() throws IOException {
        Model m = tiny();
        m.load(file(GOOD, data(1.5f, -2f, 0.25f)));
        assertEquals(1.5, m.parameter("weight").value().get(0));
        assertEquals(-2.0, m.parameter("weight").value().get(1));
        assertEquals(0.25, m.parameter("bias").value().get(0));
        // key order, whitespace, metadata and tensors listed out of data order are all fine
        Model m2 = tiny();
        m2.load(file(" {\n \"__metadata__\": {\"a\": \"b\"}, \"bias\":{\"shape\":[1],\"dtype\":\"F32\",\"data_offsets\":[0,4]},"
                + "\"weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[4,12]}}   ", data(7f, 1f, 2f)));
        assertEquals(7.0, m2.parameter("bias").value().get(0));
        assertEquals(2.0, m2.parameter("weight").value().get(1));
    }

    private void assertRefused(String why, String header, byte[] data, String messagePart) throws IOException {
        assertRefused(why, file(header, data), messagePart);
    }

    private void assertRefused(String why, Path f, String messagePart) {
        Model m = tiny();
        float[] before = m.values().floats().clone();
        IOException e = assertThrows(IOException.class, () -> m.load(f), why);
        assertTrue(e.getMessage().contains(messagePart), why + ": message '" + e.getMessage() + "' lacks '"
                + messagePart + "'");
        assertArrayEquals(before, m.values().floats(), why + ": the model must be unchanged");
    }

    @Test
    void badFilesAreRefusedAndTheModelIsUnchanged() throws IOException {
        byte[] d = data(1, 2, 3);
        assertRefused("not JSON", "{weight:1}", d, "malformed JSON");
        assertRefused("trailing comma", GOOD.replace("}}", "},}"), d, "malformed JSON");
        assertRefused("trailing garbage", GOOD + "x", d, "after the JSON value");
        assertRefused("duplicate key", GOOD.replace("{\"weight\"", "{\"bias\":{},\"bias\"").replace("\"bias\":{\"dtype",
                "\"weight\":{\"dtype"), d, "duplicate key");
        assertRefused("header is an array", "[1,2]", d, "must be a JSON object");
        assertRefused("wrong dtype", GOOD.replace("F32\",\"shape\":[1]", "F64\",\"shape\":[1]")
                .replace("[8,12]", "[8,16]"), data(1, 2, 3, 4), "is F64 but the model is F32");
        assertRefused("wrong shape", GOOD.replace("[1,2]", "[2,1]"), d, "has shape [2, 1] but the model expects [1, 2]");
        assertRefused("shape and offsets disagree", GOOD.replace("[0,8]", "[0,4]").replace("[8,12]", "[4,12]"), d,
                "needs 8 bytes");
        assertRefused("overlap", GOOD.replace("[8,12]", "[4,8]"), data(1, 2), "overlaps");
        assertRefused("hole", GOOD.replace("[8,12]", "[12,16]"), data(1, 2, 3, 4), "belong to no tensor");
        assertRefused("offsets past the end", GOOD, data(1, 2), "must satisfy 0 <= begin <= end <= 8");
        assertRefused("trailing data bytes", GOOD, data(1, 2, 3, 4), "trailing bytes");
        assertRefused("begin > end", GOOD.replace("[8,12]", "[12,8]"), d, "begin <= end");
        assertRefused("negative offset", GOOD.replace("[8,12]", "[-8,12]"), d, "data_offsets");
        assertRefused("missing tensor", "{\"weight\":{\"dtype\":\"F32\",\"shape\":[1,2],\"data_offsets\":[0,8]}}",
                data(1, 2), "missing [bias]");
        assertRefused("extra tensor", GOOD.replace("}}", "},\"extra\":{\"dtype\":\"F32\",\"shape\":[],"
                + "\"data_offsets\":[12,16]}}"), data(1, 2, 3, 4), "not in the model [extra]");
        assertRefused("unknown key", GOOD.replace("\"dtype\":\"F32\",\"shape\":[1],", "\"dtype\":\"F32\",\"x\":1,\"shape\":[1],"),
                d, "exactly the keys");
        assertRefused("unknown dtype", GOOD.replace("F32\",\"shape\":[1]", "Q7\",\"shape\":[1]"), d, "unknown dtype");
        assertRefused("fractional shape", GOOD.replace("[1,2]", "[1,2.0]"), d, "shape entries");
        assertRefused("metadata not strings", "{\"__metadata__\":{\"a\":1}," + GOOD.substring(1), d, "must be strings");
        assertRefused("control character in a string", GOOD.replace("\"bias\"", "\"bi\tas\""), d, "control character");
    }

    @Test
    void truncatedAndCorruptFilesAreRefused() throws IOException {
        Path good = file(GOOD, data(1, 2, 3));
        byte[] all = Files.readAllBytes(good);
        for (int len : new int[]{0, 1, 7, 8, 9, 20, all.length - 12, all.length - 5, all.length - 1}) {
            Path f = dir.resolve("trunc" + len);
            Files.write(f, Arrays.copyOf(all, len));
            Model m = tiny();
            float[] before = m.values().floats().clone();
            assertThrows(IOException.class, () -> m.load(f), "truncated to " + len + " bytes");
            assertArrayEquals(before, m.values().floats());
        }
        byte[] huge = all.clone();
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, Long.MAX_VALUE);
        Path f = dir.resolve("huge");
        Files.write(f, huge);
        assertRefused("header length beyond the file", f, "header length is");
        ByteBuffer.wrap(huge).order(ByteOrder.LITTLE_ENDIAN).putLong(0, -1L);
        Files.write(f, huge);
        assertRefused("header length 2^64-1", f, "18446744073709551615");
        byte[] badUtf = all.clone();
        badUtf[10] = (byte) 0xC3;
        badUtf[11] = (byte) 0x28;
        Path u = dir.resolve("utf");
        Files.write(u, badUtf);
        assertRefused("invalid UTF-8", u, "UTF-8");
    }

    @Test
    void strictJsonParser() {
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals("a\"\\/\b\f\n\r\té😀", Json.parse("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\""));
        assertEquals(Boolean.TRUE, Json.parse(" true "));
        assertEquals(Json.NULL, Json.parse("null"));
        assertEquals(new Json.Num("-1.5e+3"), Json.parse("-1.5e+3"));
        assertEquals(12345678901L, ((Json.Num) Json.parse("12345678901")).nonNegativeLong());
        assertEquals(-1, ((Json.Num) Json.parse("99999999999999999999")).nonNegativeLong());
        for (String bad : new String[]{"", "{", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "-", "+1", "1e", "'a'",
                "\"\\x\"", "\"\\ud800\"", "\"abc", "tru", "nul", "{\"a\" 1}", "{1:2}", "[1 2]", "/*c*/1", "NaN",
                "Infinity", "1 2", "\"a\u0001\"", "{\"a\":1,\"a\":2}"}) {
            assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[".repeat(100) + "]".repeat(100)), "too deep");
    }

    @Test
    void metadataRoundTripsAndTheFileStillLoads() throws IOException {
        Model a = small(DType.F32, 1);
        Path f = dir.resolve("meta.safetensors");
        Map<String, String> meta = new java.util.LinkedHashMap<>();
        meta.put("vecprop.architecture", "3-4-2 relu");
        meta.put("quote\"and\\back", "line\nbreak \u00e9 \u0001");
        meta.put("format", "custom"); // replaces the default, no duplicate key
        a.save(f, meta);
        Map<String, String> read = Model.readMetadata(f);
        assertEquals(Map.of("format", "custom", "producer", "vecprop", "vecprop.architecture", "3-4-2 relu",
                "quote\"and\\back", "line\nbreak \u00e9 \u0001"), read);
        assertThrows(UnsupportedOperationException.class, () -> read.put("x", "y"));
        Model b = small(DType.F32, 2);
        b.load(f);
        assertArrayEquals(a.values().floats(), b.values().floats());
        // the plain save writes only the defaults
        a.save(f);
        assertEquals(Map.of("format", "pt", "producer", "vecprop"), Model.readMetadata(f));
        // a file with no __metadata__ at all gives an empty map
        assertEquals(Map.of(), Model.readMetadata(file(GOOD, data(1, 2, 3))));
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void badMetadataToWriteIsRefusedBeforeAnythingIsWritten() throws IOException {
        Model a = small(DType.F32, 1);
        Path f = dir.resolve("never.safetensors");
        assertThrows(NullPointerException.class, () -> a.save(f, null));
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("k", null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.save(f, nullValue));
        assertTrue(e.getMessage().contains("\"k\" must be a non-null string"), e.getMessage());
        Map<String, String> nullKey = new java.util.HashMap<>();
        nullKey.put(null, "v");
        assertThrows(IllegalArgumentException.class, () -> a.save(f, nullKey));
        Map raw = new java.util.HashMap();
        raw.put("k", 1);
        e = assertThrows(IllegalArgumentException.class, () -> a.save(f, (Map<String, String>) raw));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(), s.toList(), "nothing written, no temporary left");
        }
    }

    @Test
    void malformedMetadataIsRefusedByReadMetadataAndLoad() throws IOException {
        byte[] d = data(1, 2, 3);
        String[][] bad = {
            {"{\"__metadata__\":[\"a\"]," + GOOD.substring(1), "must be an object"},
            {"{\"__metadata__\":\"a\"," + GOOD.substring(1), "must be an object"},
            {"{\"__metadata__\":{\"a\":1}," + GOOD.substring(1), "must be strings"},
            {"{\"__metadata__\":{\"a\":null}," + GOOD.substring(1), "must be strings"},
            {"{\"__metadata__\":{\"a\":{}}," + GOOD.substring(1), "must be strings"},
        };
        for (String[] c : bad) {
            Path f = file(c[0], d);
            IOException e = assertThrows(IOException.class, () -> Model.readMetadata(f), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertRefused(c[0], f, c[1]); // load refuses it too, the model unchanged
        }
        // readMetadata validates the whole structure, not just __metadata__: a good header over short data fails
        Path shortData = file("{\"__metadata__\":{\"a\":\"b\"}," + GOOD.substring(1), data(1, 2));
        IOException e = assertThrows(IOException.class, () -> Model.readMetadata(shortData));
        assertTrue(e.getMessage().contains("must satisfy"), e.getMessage());
        // control: the same header over the right data is accepted
        assertEquals(Map.of("a", "b"), Model.readMetadata(file("{\"__metadata__\":{\"a\":\"b\"}," + GOOD.substring(1), d)));
    }
}
