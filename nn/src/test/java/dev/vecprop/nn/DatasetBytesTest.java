package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Byte inputs ({@link Dataset#ofUnsignedBytes}): converted a batch at a time, they must give bitwise the batches,
 * weights and evaluations that converting the whole array to floats up front gives.
 */
class DatasetBytesTest {

    static byte[] randomBytes(long seed, int n) {
        byte[] b = new byte[n];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    /** What a caller converting everything up front does: the documented expression, element by element. */
    private static float[] upFront(byte[] b, float divisor) {
        float[] x = new float[b.length];
        for (int i = 0; i < b.length; i++) {
            x[i] = (b[i] & 0xff) / divisor;
        }
        return x;
    }

    private static void assertBitwise(float[] expected, Tensor actual) {
        assertEquals(expected.length, actual.size());
        for (int i = 0; i < expected.length; i++) {
            float a = actual.floats()[actual.offset() + i];
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(a),
                    "element " + i + ": expected " + expected[i] + ", got " + a);
        }
    }

    @Test
    void everyByteValueConvertsAsTheDivisionDoes() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        for (float divisor : new float[] {255f, 256f, 3f, 0.1f}) {
            Dataset d = Dataset.ofUnsignedBytes(all, new int[] {16, 16}, divisor, new int[16]);
            assertBitwise(upFront(all, divisor), d.inputRows(0, 16));
        }
        Tensor x = Dataset.ofUnsignedBytes(all, new int[] {256}, 255f, new int[256]).inputRows(0, 256);
        assertEquals(0f, x.floats()[0]);
        assertEquals(1f, x.floats()[255]); // exact at both ends: values stay inside [0, 1]
        // the check tells a division from multiplying by the reciprocal (which rounds differently for some
        // values), so a converter "optimized" that way would be caught
        int differ = 0;
        for (int i = 0; i < 256; i++) {
            if (Float.floatToRawIntBits(i / 255f) != Float.floatToRawIntBits(i * (1f / 255f))) {
                differ++;
            }
        }
        assertTrue(differ > 0, "x/255f and x*(1/255f) agree everywhere: the bitwise check could not catch the swap");
    }

    private static float[] train(Dataset data, Dataset validation, double[] accuracy) {
        Model m = new Model(TrainingTest.mlp(12, 16, 5), DType.F32, 7);
        // 103 examples in batches of 16: six full batches and a last one of 7, shuffled each epoch
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-2)).epochs(3).batchSize(16).seed(9)
                .validation(validation);
        t.fit(m, data);
        accuracy[0] = t.evaluate(m, validation).loss();
        return m.values().floats().clone();
    }

    @Test
    void trainingOnBytesIsBitwiseTrainingOnTheConvertedFloats() {
        int n = 103;
        int d = 12;
        byte[] b = randomBytes(3, n * d);
        int[] y = TrainingTest.randomLabels(4, n, 5);
        byte[] vb = randomBytes(5, 20 * d);
        int[] vy = TrainingTest.randomLabels(6, 20, 5);
        double[] lossBytes = new double[1];
        double[] lossFloats = new double[1];
        float[] fromBytes = train(Dataset.ofUnsignedBytes(b, new int[] {n, d}, 255f, y),
                Dataset.ofUnsignedBytes(vb, new int[] {20, d}, 255f, vy), lossBytes);
        float[] fromFloats = train(Dataset.of(Tensor.of(upFront(b, 255f), n, d), y),
                Dataset.of(Tensor.of(upFront(vb, 255f), 20, d), vy), lossFloats);
        assertArrayEquals(fromFloats, fromBytes);
        assertEquals(lossFloats[0], lossBytes[0]);

        // the comparison can fail: one pixel of one example changed by one step changes the weights
        byte[] c = b.clone();
        c[5 * d + 3]++;
        float[] changed = train(Dataset.ofUnsignedBytes(c, new int[] {n, d}, 255f, y),
                Dataset.ofUnsignedBytes(vb, new int[] {20, d}, 255f, vy), new double[1]);
        assertFalse(java.util.Arrays.equals(fromBytes, changed), "a changed byte must change the weights");
    }

    @Test
    void slicesAndRowsMatchTheFloatView() {
        byte[] b = randomBytes(8, 10 * 6);
        int[] y = new int[10];
        Dataset bytes = Dataset.ofUnsignedBytes(b, new int[] {10, 2, 3}, 255f, y);
        Dataset floats = Dataset.of(Tensor.of(upFront(b, 255f), 10, 2, 3), y);
        assertNull(bytes.inputs());
        assertEquals(DType.F32, bytes.inputDType());
        assertArrayEquals(new int[] {10, 2, 3}, bytes.inputShape());
        assertEquals(10, bytes.size());
        Dataset s = bytes.slice(4, 5);
        assertEquals(5, s.size());
        Tensor fromSlice = s.inputRows(1, 3);
        assertArrayEquals(new int[] {3, 2, 3}, fromSlice.shape());
        assertArrayEquals(floats.inputs().rowSlice(5, 3).toDoubleArray(), fromSlice.toDoubleArray());
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.inputRows(8, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> bytes.slice(-1, 2));
        assertThrows(IndexOutOfBoundsException.class, () -> s.inputRows(0, 6));
    }

    @Test
    void badByteDatasetsAreRefusedWithTheReason() {
        byte[] b = new byte[12];
        String m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(b, new int[] {3, 5}, 255f, new int[3])).getMessage();
        assertTrue(m.contains("[3, 5] describes 15 bytes, but data has 12"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(b, new int[] {3, 4}, 255f, new int[2])).getMessage();
        assertTrue(m.contains("3 examples but there are 2 labels"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(b, new int[] {3, 4}, 255f, new int[] {0, -1, 0})).getMessage();
        assertTrue(m.contains("label -1 of example 1 is negative"), m);
        for (float bad : new float[] {0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            m = assertThrows(IllegalArgumentException.class,
                    () -> Dataset.ofUnsignedBytes(b, new int[] {3, 4}, bad, new int[3])).getMessage();
            assertTrue(m.contains("divisor must be finite and > 0, but was " + bad), m);
        }
        m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(b, new int[0], 255f, new int[3])).getMessage();
        assertTrue(m.contains("need a first (example) dimension"), m);
        m = assertThrows(IllegalArgumentException.class,
                () -> Dataset.ofUnsignedBytes(b, new int[] {-3, -4}, 255f, new int[3])).getMessage();
        assertTrue(m.contains("dimensions >= 0"), m);

        // byte inputs are float32: a float64 model is a dtype mix, refused before any update
        Model m64 = new Model(TrainingTest.mlp(4, 8, 3), DType.F64, 1);
        double[] before = m64.values().toDoubleArray();
        Trainer t = new Trainer(Loss.softmaxCrossEntropy(), new Sgd(0.1));
        m = assertThrows(IllegalArgumentException.class,
                () -> t.fit(m64, Dataset.ofUnsignedBytes(b, new int[] {3, 4}, 255f, new int[3]))).getMessage();
        assertTrue(m.contains("is F32 but the model is F64"), m);
        assertArrayEquals(before, m64.values().toDoubleArray());
        // a wrong width is found by the probe forward, as for tensor inputs
        Model m32 = new Model(TrainingTest.mlp(5, 8, 3), DType.F32, 1);
        assertThrows(IllegalArgumentException.class,
                () -> t.fit(m32, Dataset.ofUnsignedBytes(b, new int[] {3, 4}, 255f, new int[3])));
    }
}
