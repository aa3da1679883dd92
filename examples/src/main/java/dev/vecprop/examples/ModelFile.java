package dev.vecprop.examples;

import dev.vecprop.nn.DType;
import dev.vecprop.nn.Model;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Model files of the CLI: the parameters in safetensors, written and read by nn ({@link Model#save},
 * {@link Model#load}, which validate the data), plus the architecture ("784-256-128-10 relu") so that eval
 * and predict can rebuild the network.
 *
 * <p>The architecture is read back from the file's safetensors header: the Linear weights' shapes give the
 * widths, and the architecture text comes from {@code __metadata__ {"vecprop.architecture": …}}, where
 * {@link #save} stores it ({@link Model#save(Path, Map)}). Files from older versions, which wrote it into a
 * side file {@code FILE.arch} instead, are still read from there when the metadata has no entry.
 */
final class ModelFile {
    static final String ARCH_KEY = "vecprop.architecture";
    /** Bigger headers are not model files of ours (the safetensors reference implementation caps at 100 MB). */
    private static final long MAX_HEADER = 100L << 20;

    private ModelFile() {
    }

    record Loaded(Mlp mlp, Model model) {
    }

    static void save(Model model, Mlp mlp, Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (abs.getParent() != null) {
            Files.createDirectories(abs.getParent());
        }
        model.save(abs, Map.of(ARCH_KEY, mlp.describe()));
    }

    /**
     * Reads the architecture, builds the network and loads the parameters.
     *
     * @throws IOException (or {@link Main.UserException}) naming the file and what is wrong
     */
    static Loaded load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such model file (write one with ./vecprop train --out FILE)");
        }
        Header h = Header.read(file);
        Mlp mlp = architecture(file, h);
        Model model = new Model(mlp.build(), DType.F32, 0);
        try {
            model.load(file);
        } catch (IOException | IllegalArgumentException e) {
            throw new Main.UserException(file + ": cannot load the model: " + e.getMessage(), e);
        }
        return new Loaded(mlp, model);
    }

    private static Path archFile(Path model) {
        return model.resolveSibling(model.getFileName() + ".arch");
    }

    private static Mlp architecture(Path file, Header h) throws IOException {
        String text = h.metadata().get(ARCH_KEY);
        Path side = archFile(file.toAbsolutePath());
        if (text == null && Files.isRegularFile(side)) {
            text = Files.readString(side, StandardCharsets.UTF_8).trim();
        }
        if (text == null) {
            throw new Main.UserException(file + ": no architecture: neither __metadata__." + ARCH_KEY + " in the file nor "
                    + side.getFileName() + " beside it");
        }
        Mlp mlp;
        try {
            mlp = Mlp.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Main.UserException(file + ": " + e.getMessage(), e);
        }
        // the widths must agree with the weights actually stored: Linear i of the Sequential is entry 2i
        int[] widths = new int[mlp.hidden().length + 2];
        widths[0] = mlp.inputs();
        System.arraycopy(mlp.hidden(), 0, widths, 1, mlp.hidden().length);
        widths[widths.length - 1] = mlp.classes();
        for (int i = 0; i + 1 < widths.length; i++) {
            String name = (2 * i) + ".weight";
            long[] shape = h.shapes().get(name);
            if (shape == null || shape.length != 2 || shape[0] != widths[i + 1] || shape[1] != widths[i]) {
                throw new Main.UserException(file + ": architecture " + mlp.describe() + " expects tensor '" + name
                        + "' of shape [" + widths[i + 1] + ", " + widths[i] + "], but the file has "
                        + (shape == null ? "none" : java.util.Arrays.toString(shape)));
            }
        }
        return mlp;
    }

    /** The JSON header of a safetensors file: tensor shapes by name, and the string metadata. */
    record Header(Map<String, long[]> shapes, Map<String, String> metadata) {
        static Header read(Path file) throws IOException {
            byte[] json;
            try (InputStream in = Files.newInputStream(file)) {
                byte[] len = in.readNBytes(8);
                if (len.length < 8) {
                    throw new Main.UserException(file + ": not a safetensors model file: " + len.length
                            + " bytes, too short for the 8-byte header length");
                }
                long n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getLong();
                if (n < 2 || n > MAX_HEADER || n > Files.size(file) - 8) {
                    throw new Main.UserException(file + ": not a safetensors model file: header length " + n
                            + " is impossible for a file of " + Files.size(file) + " bytes");
                }
                json = in.readNBytes((int) n);
            }
            Object parsed;
            try {
                parsed = new JsonReader(new String(json, StandardCharsets.UTF_8)).document();
            } catch (IllegalArgumentException e) {
                throw new Main.UserException(file + ": not a safetensors model file: header " + e.getMessage(), e);
            }
            if (!(parsed instanceof Map<?, ?> top)) {
                throw new Main.UserException(file + ": not a safetensors model file: the header is not a JSON object");
            }
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, String> metadata = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : top.entrySet()) {
                String key = (String) e.getKey();
                if (key.equals("__metadata__")) {
                    if (e.getValue() instanceof Map<?, ?> m) {
                        m.forEach((k, v) -> {
                            if (v instanceof String s) {
                                metadata.put((String) k, s);
                            }
                        });
                    }
                } else if (e.getValue() instanceof Map<?, ?> info && info.get("shape") instanceof List<?> dims) {
                    long[] shape = new long[dims.size()];
                    for (int i = 0; i < shape.length; i++) {
                        shape[i] = dims.get(i) instanceof Long l ? l : -1;
                    }
                    shapes.put(key, shape);
                }
            }
            return new Header(shapes, metadata);
        }
    }

    /** A small JSON reader (objects, arrays, strings, integers, true/false/null), enough for safetensors headers. */
    static final class JsonReader {
        private final String s;
        private int i;

        JsonReader(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw fail("has text after the JSON value");
            }
            return v;
        }

        private Object value() {
            space();
            if (i >= s.length()) {
                throw fail("ends early");
            }
            char c = s.charAt(i);
            if (c == '{') {
                return object();
            }
            if (c == '[') {
                return array();
            }
            if (c == '"') {
                return string();
            }
            if (c == '-' || (c >= '0' && c <= '9')) {
                return number();
            }
            for (String word : new String[] {"true", "false", "null"}) {
                if (s.startsWith(word, i)) {
                    i += word.length();
                    return word.equals("null") ? null : Boolean.valueOf(word);
                }
            }
            throw fail("has an unexpected '" + c + "'");
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            i++;
            space();
            if (peek() == '}') {
                i++;
                return m;
            }
            while (true) {
                space();
                if (peek() != '"') {
                    throw fail("expects a quoted key");
                }
                String k = string();
                space();
                expect(':');
                m.put(k, value());
                space();
                if (peek() == ',') {
                    i++;
                } else {
                    expect('}');
                    return m;
                }
            }
        }

        private List<Object> array() {
            List<Object> a = new ArrayList<>();
            i++;
            space();
            if (peek() == ']') {
                i++;
                return a;
            }
            while (true) {
                a.add(value());
                space();
                if (peek() == ',') {
                    i++;
                } else {
                    expect(']');
                    return a;
                }
            }
        }

        private String string() {
            StringBuilder b = new StringBuilder();
            i++;
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\') {
                    if (i >= s.length()) {
                        break;
                    }
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            if (i + 4 > s.length()) {
                                throw fail("has a cut \\u escape");
                            }
                            b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
            throw fail("has an unterminated string");
        }

        private Object number() {
            int start = i;
            if (s.charAt(i) == '-') {
                i++;
            }
            while (i < s.length() && "0123456789.eE+-".indexOf(s.charAt(i)) >= 0) {
                i++;
            }
            String t = s.substring(start, i);
            try {
                return t.matches("-?\\d+") ? (Object) Long.parseLong(t) : (Object) Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw fail("has a bad number '" + t + "'");
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw fail("ends early");
            }
            return s.charAt(i);
        }

        private void expect(char c) {
            if (peek() != c) {
                throw fail("expects '" + c + "' at byte " + i + " but has '" + s.charAt(i) + "'");
            }
            i++;
        }

        private IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("is not valid JSON: it " + what);
        }
    }
}
