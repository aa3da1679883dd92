package dev.vecprop.examples;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** Builds one flat JSON object; enough for the {@code --json} summary, with no library. */
final class Json {
    private final StringBuilder s = new StringBuilder("{");

    Json put(String key, String value) {
        return key(key).quote(value);
    }

    Json put(String key, long value) {
        key(key).s.append(value);
        return this;
    }

    /** Non-finite numbers have no JSON form and are written as null. */
    Json put(String key, double value) {
        key(key);
        if (Double.isFinite(value)) {
            // six significant digits, no exponent, no trailing zeros: 0.8712, 45123.5, 3
            s.append(new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString());
        } else {
            s.append("null");
        }
        return this;
    }

    private Json key(String key) {
        if (s.length() > 1) {
            s.append(',');
        }
        return quote(key).colon();
    }

    private Json colon() {
        s.append(':');
        return this;
    }

    private Json quote(String text) {
        s.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                case '\n' -> s.append("\\n");
                case '\r' -> s.append("\\r");
                case '\t' -> s.append("\\t");
                default -> {
                    if (c < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        s.append(c);
                    }
                }
            }
        }
        s.append('"');
        return this;
    }

    @Override
    public String toString() {
        return s + "}";
    }
}
