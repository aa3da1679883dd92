package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/** Reductions and BLAS-1 against float64 references written here. */
class ReductionsBlas1Test {

    /**
     * What the float sum, dot and squaredNorm promise by accumulating in double (Reductions' class comment):
     * their terms are exact in double (a float, a product or square of two floats: 48 bits ≤ 53), and n − 1
     * additions of them in any order and grouping err by at most (n − 1)·2⁻⁵³·Σ|terms|; a float result is
     * then rounded once more, by at most 2⁻²⁴ of itself. The bound allows (n + 1)·2⁻⁵³·Σ|terms| (one more
     * for the reference's own error, one for second-order terms) plus 2⁻²⁴·|Σ terms| when the result is a
     * float. A float accumulator's error grows like √n to n times 2⁻²⁴·Σ|terms|: see
     * {@link #floatAccumulationFailsTheDoubleAccumulationBound}.
     */
    static void assertDoubleAccumulated(String what, double[] terms, double got, boolean floatResult) {
        // the reference: a sum in double-double (the rounding error of each addition recovered exactly by
        // two-sum and summed apart); its error, 2⁻⁵³·|S| + n²·2⁻¹⁰⁶·Σ|terms|, is within one 2⁻⁵³·Σ|terms|
        // for n ≤ 2²⁶
        double hi = 0, lo = 0, sumAbs = 0;
        for (double t : terms) {
            double sum = hi + t;
            double tPart = sum - hi;
            lo += (hi - (sum - tPart)) + (t - tPart);
            hi = sum;
            sumAbs += Math.abs(t);
        }
        double ref = hi + lo;
        double bound = (terms.length + 1) * 0x1p-53 * sumAbs + (floatResult ? 0x1p-24 * Math.abs(ref) : 0);
        if (!(Math.abs(got - ref) <= bound)) {
            throw new AssertionFailedError(what + " = " + got + ", exact " + ref + ": |diff| " + Math.abs(got - ref)
                    + " > " + bound + " (double accumulation of " + terms.length + " terms, Σ|terms| = " + sumAbs + ")");
        }
    }

    static double[] terms(float[] a, int off, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = a[off + i];
        }
        return t;
    }

    static double[] products(float[] a, int aOff, float[] b, int bOff, int n) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = (double) a[aOff + i] * b[bOff + i]; // exact
        }
        return t;
    }

    /**
     * The float reductions widen float lanes to double lanes two ways (ReduceKernels.widen): a half-width load
     * where the width has a shape with half the lanes, else part h of the whole vector. Both must give exactly
     * the doubles of the floats at off + h·DL.., whatever the values (−0, NaN, ±∞, subnormals); the second is
     * not otherwise reached here, so it is run directly.
     */
    @Test
    void bothWideningsGiveTheExactDoublesOfTheirHalf() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Vectorization.ENABLED, "the vector kernels' own paths");
        SplittableRandom r = new SplittableRandom(Tol.SEED + 43);
        float[] special = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE,
            -Float.MIN_NORMAL / 3, Float.MAX_VALUE, -1f / 3};
        float[] a = new float[3 * Species.FL + 5];
        for (int i = 0; i < a.length; i++) {
            a[i] = i % 4 == 0 ? special[r.nextInt(special.length)] : (float) r.nextDouble(-1e6, 1e6);
        }
        double[] lanes = new double[Species.DL];
        for (int off : new int[] {0, 1, Species.FL + 3, a.length - Species.FL}) {
            for (int h = 0; h < 2; h++) {
                for (int way = 0; way < 2; way++) {
                    (way == 0 ? ReduceKernels.widen(a, off, h) : ReduceKernels.widenWhole(a, off, h)).intoArray(lanes, 0);
                    for (int q = 0; q < Species.DL; q++) {
                        double want = a[off + h * Species.DL + q];
                        assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(lanes[q]),
                                (way == 0 ? "widen" : "widenWhole") + " off=" + off + " h=" + h + " lane " + q);
                    }
                }
            }
        }
    }

    @Test
    void sumDotMaxNormFloat() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 41);
        for (int n : Tol.floatLengths()) {
            for (int off : new int[] {0, 3}) {
                float[] a = Tol.randomFloats(r, off + n, -2, 2);
                float[] b = Tol.randomFloats(r, n + 1, -2, 2);
                double mx = Double.NEGATIVE_INFINITY;
                for (int i = 0; i < n; i++) {
                    mx = Math.max(mx, a[off + i]);
                }
                String what = " n=" + n + " off=" + off;
                assertDoubleAccumulated("sum" + what, terms(a, off, n), Reductions.sum(a, off, n), true);
                assertDoubleAccumulated("dot" + what, products(a, off, b, 1, n), Reductions.dot(a, off, b, 1, n), true);
                assertEquals((float) mx, Reductions.max(a, off, n), "max" + what);
                assertDoubleAccumulated("squaredNorm" + what, products(a, off, a, off, n),
                        Reductions.squaredNorm(a, off, n), false);
            }
        }
    }

    @Test
    void sumDotMaxNormDouble() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 42);
        for (int n : Tol.doubleLengths()) {
            double[] a = Tol.randomDoubles(r, n + 2, -2, 2);
            double[] b = Tol.randomDoubles(r, n, -2, 2);
            double s = 0, sa = 0, d = 0, da = 0, q = 0, mx = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double x = a[i + 2];
                s += x;
                sa += Math.abs(x);
                d += x * b[i];
                da += Math.abs(x * b[i]);
                q += x * x;
                mx = Math.max(mx, x);
            }
            Tol.assertDoubles("sum double n=" + n, new double[] {s}, new double[] {sa},
                    new double[] {Reductions.sum(a, 2, n)}, 0, 1e-14);
            Tol.assertDoubles("dot double n=" + n, new double[] {d}, new double[] {da},
                    new double[] {Reductions.dot(a, 2, b, 0, n)}, 0, 1e-14);
            Tol.assertDoubles("squaredNorm double n=" + n, new double[] {q}, null,
                    new double[] {Reductions.squaredNorm(a, 2, n)}, 0, 1e-14);
            assertEquals(mx, Reductions.max(a, 2, n));
        }
    }

    /**
     * The float squared norm widens each vector once instead of twice (its own loop in dotBlock); it must equal,
     * bitwise, the general dot of the array with a copy of itself, over several blocks and offsets.
     */
    @Test
    void squaredNormEqualsDotWithItselfBitwise() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Vectorization.ENABLED, "the vector kernels' own paths");
        SplittableRandom r = new SplittableRandom(Tol.SEED + 44);
        for (int n : Tol.floatLengths()) {
            for (int off : new int[] {0, 3}) {
                float[] a = Tol.randomFloats(r, off + n, -3, 3);
                float[] copy = a.clone();
                double norm = ReduceKernels.squaredNorm(a, off, n);
                double dot = ReduceKernels.dot(a, off, copy, off, n);
                assertEquals(Double.doubleToRawLongBits(dot), Double.doubleToRawLongBits(norm),
                        "n=" + n + " off=" + off + ": " + norm + " vs " + dot);
            }
        }
    }

    /** 2^22 times 0.1f: the float sum must not drift like a naive float loop does. */
    @Test
    void longSumsStayAccurate() {
        int n = 1 << 22;
        float[] a = new float[n];
        java.util.Arrays.fill(a, 0.1f);
        float got = Reductions.sum(a, 0, n);
        assertDoubleAccumulated("sum of 2^22 × 0.1f", terms(a, 0, n), got, true);
        assertDoubleAccumulated("squaredNorm of 2^22 × 0.1f", products(a, 0, a, 0, n), Reductions.squaredNorm(a, 0, n),
                false);
        // the naive float loop is far off (shows the check can fail)
        float naive = 0;
        for (float v : a) {
            naive += v;
        }
        float naiveF = naive;
        assertThrows(AssertionFailedError.class,
                () -> assertDoubleAccumulated("naive float loop", terms(a, 0, n), naiveF, true));
    }

    /**
     * The bound of {@link #assertDoubleAccumulated} rejects a float accumulator on realistic input: 10⁵ values
     * of both signs and magnitudes from 1e-3 to 1e3 (log-uniform), summed, dotted and squared in float, in
     * index order and in 16 lanes (a FloatVector accumulator's order); the kernels pass on the same arrays.
     */
    @Test
    void floatAccumulationFailsTheDoubleAccumulationBound() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 45);
        int n = 100_000;
        float[] a = new float[n];
        float[] b = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-3, 3)));
            b[i] = (float) ((r.nextBoolean() ? 1 : -1) * Math.pow(10, r.nextDouble(-3, 3)));
        }
        double[] s = terms(a, 0, n), d = products(a, 0, b, 0, n), q = products(a, 0, a, 0, n);
        for (int lanes : new int[] {1, 16}) {
            float[] sum = new float[lanes], dot = new float[lanes], sq = new float[lanes];
            for (int i = 0; i < n; i++) {
                sum[i % lanes] += a[i];
                dot[i % lanes] += a[i] * b[i];
                sq[i % lanes] += a[i] * a[i];
            }
            for (int l = 1; l < lanes; l++) {
                sum[0] += sum[l];
                dot[0] += dot[l];
                sq[0] += sq[l];
            }
            String how = "float-accumulated in " + lanes + " lane(s): ";
            assertThrows(AssertionFailedError.class, () -> assertDoubleAccumulated(how + "sum", s, sum[0], true));
            assertThrows(AssertionFailedError.class, () -> assertDoubleAccumulated(how + "dot", d, dot[0], true));
            assertThrows(AssertionFailedError.class, () -> assertDoubleAccumulated(how + "squaredNorm", q, sq[0], false));
        }
        assertDoubleAccumulated("sum", s, Reductions.sum(a, 0, n), true);
        assertDoubleAccumulated("dot", d, Reductions.dot(a, 0, b, 0, n), true);
        assertDoubleAccumulated("squaredNorm", q, Reductions.squaredNorm(a, 0, n), false);
    }

    @Test
    void nanPropagatesThroughReductions() {
        int n = 3 * Vectorization.floatLanes() + 2;
        for (int pos : new int[] {0, n / 2, n - 1}) {
            float[] a = new float[n];
            java.util.Arrays.fill(a, 1f);
            a[pos] = Float.NaN;
            assertTrue(Float.isNaN(Reductions.sum(a, 0, n)));
            assertTrue(Float.isNaN(Reductions.dot(a, 0, a, 0, n)));
            assertTrue(Float.isNaN(Reductions.max(a, 0, n)));
            assertTrue(Double.isNaN(Reductions.squaredNorm(a, 0, n)));
        }
        assertEquals(Float.NEGATIVE_INFINITY, Reductions.max(new float[0], 0, 0));
    }

    @Test
    void argmaxRowsAndColumnSums() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 43);
        int v = Vectorization.floatLanes();
        for (int n : new int[] {1, 2, v - 1 > 0 ? v - 1 : 1, v, v + 1, 2 * v + 3, 1000}) {
            int m = 4, ld = n + 1;
            float[] a = Tol.randomFloats(r, 2 + m * ld, -5, 5);
            a[2 + 3 * ld + n - 1] = 99; // max in the last column (vector tail) of row 3
            int[] idx = new int[m + 1];
            Reductions.argmaxRows(m, n, a, 2, ld, idx, 1);
            for (int i = 0; i < m; i++) {
                int best = 0;
                for (int j = 1; j < n; j++) {
                    if (a[2 + i * ld + j] > a[2 + i * ld + best]) {
                        best = j;
                    }
                }
                assertEquals(best, idx[i + 1], "argmax row " + i + " n=" + n);
            }
            float[] sums = Tol.randomFloats(r, n, -1, 1);
            double[] ref = new double[n];
            double[] scale = new double[n];
            for (int j = 0; j < n; j++) {
                ref[j] = sums[j];
                scale[j] = Math.abs(sums[j]);
                for (int i = 0; i < m; i++) {
                    ref[j] += a[2 + i * ld + j];
                    scale[j] += Math.abs(a[2 + i * ld + j]);
                }
            }
            Reductions.addColumnSums(m, n, a, 2, ld, sums, 0);
            Tol.assertFloats("addColumnSums n=" + n, ref, scale, sums, 0, 4 + m);
        }
        // ties: first index; NaN wins
        int[] idx = new int[2];
        Reductions.argmaxRows(2, 4, new float[] {1, 3, 3, 2, 1, Float.NaN, 5, Float.NaN}, 0, 4, idx, 0);
        assertArrayEquals(new int[] {1, 1}, idx);
        assertThrows(IllegalArgumentException.class, () -> Reductions.argmaxRows(1, 0, new float[1], 0, 1, idx, 0));
    }

    @Test
    void blas1() {
        SplittableRandom r = new SplittableRandom(Tol.SEED + 44);
        for (int n : Tol.floatLengths()) {
            float[] x = Tol.randomFloats(r, n + 1, -2, 2);
            float[] y = Tol.randomFloats(r, n + 3, -2, 2);
            float[] y0 = y.clone();
            Blas1.axpy(x, 1, y, 2, n, 0.75f);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.fma(0.75f, x[i + 1], y0[i + 2]), y[i + 2], "axpy n=" + n);
            }
            assertEquals(y0[0], y[0]);
            assertEquals(y0[n + 2], y[n + 2]);
            float[] z = y.clone();
            Blas1.scale(z, 1, n, -3f);
            for (int i = 0; i < n; i++) {
                assertEquals(y[i + 1] * -3f, z[i + 1]);
            }
            Blas1.fill(z, 1, n, 0.5f);
            for (int i = 0; i < n; i++) {
                assertEquals(0.5f, z[i + 1]);
            }
            assertEquals(y[0], z[0]);
            float[] c = new float[n + 2];
            Blas1.copy(x, 1, c, 2, n);
            for (int i = 0; i < n; i++) {
                assertEquals(x[i + 1], c[i + 2]);
            }
            double[] xd = Tol.randomDoubles(r, n, -2, 2);
            double[] yd = Tol.randomDoubles(r, n, -2, 2);
            double[] yd0 = yd.clone();
            Blas1.axpy(xd, 0, yd, 0, n, -1.5);
            for (int i = 0; i < n; i++) {
                assertEquals(Math.fma(-1.5, xd[i], yd0[i]), yd[i]);
            }
        }
        float[] y = {1, 2, 3};
        float[] keep = y.clone();
        assertThrows(IndexOutOfBoundsException.class, () -> Blas1.axpy(new float[2], 0, y, 0, 3, 1f));
        assertThrows(IllegalArgumentException.class, () -> Blas1.scale(y, 0, -1, 2f));
        assertThrows(IndexOutOfBoundsException.class, () -> Blas1.fill(y, 1, 3, 0f));
        assertThrows(NullPointerException.class, () -> Blas1.copy(null, 0, y, 0, 1));
        assertThrows(NullPointerException.class, () -> Reductions.sum((float[]) null, 0, 1));
        assertThrows(IndexOutOfBoundsException.class, () -> Reductions.addColumnSums(2, 3, new float[6], 0, 3, y, 1));
        Tol.assertUntouched(keep, y);
    }
}
