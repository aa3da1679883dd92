package dev.vecprop.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writesNumbersStringsAndNonFinite() {
        String s = new Json().put("epochs", 5).put("acc", 0.8712).put("rate", 45123.4567).put("whole", 3.0)
                .put("tiny", 1.25e-7).put("nan", Double.NaN).put("name", "a\"b\\c\n").toString();
        assertEquals("{\"epochs\":5,\"acc\":0.8712,\"rate\":45123.5,\"whole\":3,\"tiny\":0.000000125,\"nan\":null,"
                + "\"name\":\"a\\\"b\\\\c\\n\"}", s);
    }
}
