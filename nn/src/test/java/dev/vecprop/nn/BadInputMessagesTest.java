package dev.vecprop.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Bad input to Tensor and the containers: one exception type per mistake, and messages that name the argument
 * and the expected and actual values.
 */
class BadInputMessagesTest {

    /** A shape whose element count differs from the array's is one mistake, whichever way it differs. */
    @Test
    void ofRefusesAShapeOfAnotherSizeTheSameWayEitherWay() {
        IllegalArgumentException tooMany = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[4], 2, 3));
        assertEquals("shape [2, 3] has 6 elements, but the array has 4", tooMany.getMessage());
        IllegalArgumentException tooFew = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new double[8], 2, 3));
        assertEquals("shape [2, 3] has 6 elements, but the array has 8", tooFew.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[4], -2, -2));
        assertThrows(NullPointerException.class, () -> Tensor.of((float[]) null, 1));
    }

    @Test
    void reshapeRefusesAnotherElementCountAsAnArgumentError() {
        Tensor t = Tensor.wrap(new float[100], 10, 2, 3);
        // the array has room past the view, so a larger shape would fit the array: still refused, same way
        IllegalArgumentException bigger = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, 4));
        assertEquals("cannot reshape [2, 3] (6 elements) to [4, 4] (16 elements)", bigger.getMessage());
        IllegalArgumentException huge = assertThrows(IllegalArgumentException.class, () -> t.reshape(1000, 1000));
        assertTrue(huge.getMessage().contains("(1000000 elements)"), huge.getMessage());
        assertEquals(6, t.reshape(3, 2).size());
        assertEquals(3, t.reshape(3, 2).dim(0));
    }

    @Test
    void indexErrorsNameTheIndexAndTheShape() {
        Tensor t = Tensor.zeros(DType.F32, 2, 3);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(1, 3));
        assertEquals("c must be in [0, 3) for a tensor of shape [2, 3], but was 3", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(-1, 0));
        assertEquals("r must be in [0, 2) for a tensor of shape [2, 3], but was -1", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.set(6, 1.0));
        assertEquals("i must be in [0, 6) for a tensor of shape [2, 3], but was 6", e.getMessage());
        e = assertThrows(IndexOutOfBoundsException.class, () -> t.dim(2));
        assertEquals("dimension 2 of a rank-2 tensor [2, 3]", e.getMessage());
        t.set(5, 2.5);
        assertEquals(2.5, t.get(1, 2));
    }

    /** Container mistakes caught at construction or forward, with the offending index or dtype in the message. */
    @Test
    void containersNameWhatIsWrong() {
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> new Sequential(new Linear(2, 2), null));
        assertEquals("Sequential: layer 1 of 2 is null", npe.getMessage());
        Layer toDouble = new Layer() {
            @Override
            public Tensor forward(Tensor x, Context ctx, Mode mode) {
                return x.copy(DType.F64);
            }

            @Override
            public Tensor backward(Tensor dy, Context ctx) {
                return dy;
            }
        };
        Residual r = new Residual(toDouble);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> r.forward(Tensor.zeros(DType.F32, 2, 3), new Context(), Mode.INFERENCE));
        assertEquals("Residual: the block must keep the shape and dtype; input [2, 3] F32 but block output [2, 3] F64",
                e.getMessage());
    }
}
