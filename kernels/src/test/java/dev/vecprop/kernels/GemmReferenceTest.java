package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Hand-worked products that pin the reference's conventions (row-major, transposes, beta = 0). */
class GemmReferenceTest {

    @Test
    void twoByTwoAllTransposes() {
        // A = [1 2; 3 4], B = [5 6; 7 8]; A·B = [19 22; 43 50], Aᵀ·B = [26 30; 38 44],
        // A·Bᵀ = [17 23; 39 53], Aᵀ·Bᵀ = [23 31; 34 46].
        double[] a = {1, 2, 3, 4};
        double[] b = {5, 6, 7, 8};
        double[][] expected = {{19, 22, 43, 50}, {17, 23, 39, 53}, {26, 30, 38, 44}, {23, 31, 34, 46}};
        int idx = 0;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                double[] c = {Double.NaN, Double.NaN, Double.NaN, Double.NaN};
                Gemm.dgemm(ta, tb, 2, 2, 2, 1, a, 0, 2, b, 0, 2, 0, c, 0, 2);
                assertArrayEquals(expected[idx++], c, 0, "transA=" + ta + " transB=" + tb);
            }
        }
    }

    @Test
    void alphaBetaAndSubMatrix() {
        // C(1x2, inside a 2x3 array at offset 1) = 2·[1 2]·[1 0; 0 1] + 3·C
        float[] a = {1, 2};
        float[] b = {1, 0, 0, 1};
        float[] c = {-1, 1, 1, -1, -1, -1};
        Gemm.sgemm(false, false, 1, 2, 2, 2f, a, 0, 2, b, 0, 2, 3f, c, 1, 3);
        assertArrayEquals(new float[] {-1, 5, 7, -1, -1, -1}, c, 0f);
    }

    @Test
    void tooSmallLeadingDimensionIsRefusedBeforeWriting() {
        float[] c = {7, 7, 7, 7};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Gemm.sgemm(false, false, 2, 2, 2, 1f, new float[4], 0, 1, new float[4], 0, 2, 0f, c, 0, 2));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("leading dimension of a"), e.getMessage());
        assertArrayEquals(new float[] {7, 7, 7, 7}, c, 0f);
    }
}
