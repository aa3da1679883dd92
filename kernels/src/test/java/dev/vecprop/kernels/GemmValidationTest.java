package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every bad argument is refused before C is written, with the JDK's exception convention and a message
 * naming the argument with its expected and actual values (asserted in full). A valid 3×4 = op(A)[3×5]·op(B)[5×4] call is the baseline; each case breaks one thing.
 */
class GemmValidationTest {

    /** Arguments of one call; mutated by each case before the call. */
    private static final class Call {
        boolean transA;
        boolean transB;
        int m = 3;
        int n = 4;
        int k = 5;
        int aOff = 1;
        int lda = 6;
        int bOff = 2;
        int ldb = 7;
        int cOff = 3;
        int ldc = 5;
        int aLen = -1;
        int bLen = -1;
        int cLen = -1;
        boolean nullA;
        boolean nullB;
        boolean nullC;
        boolean nullPar;

        int aNeed() {
            return aOff + ((transA ? k : m) - 1) * lda + (transA ? m : k);
        }

        int bNeed() {
            return bOff + ((transB ? n : k) - 1) * ldb + (transB ? k : n);
        }

        int cNeed() {
            return cOff + (m - 1) * ldc + n;
        }

        void sgemm(float[] c) {
            float[] a = nullA ? null : new float[aLen >= 0 ? aLen : Math.max(0, aNeed())];
            float[] b = nullB ? null : new float[bLen >= 0 ? bLen : Math.max(0, bNeed())];
            Gemm.sgemm(transA, transB, m, n, k, 1f, a, aOff, lda, b, bOff, ldb, 0f, nullC ? null : c, cOff, ldc,
                    nullPar ? null : Parallelism.serial());
        }

        void dgemm(double[] c) {
            double[] a = nullA ? null : new double[aLen >= 0 ? aLen : Math.max(0, aNeed())];
            double[] b = nullB ? null : new double[bLen >= 0 ? bLen : Math.max(0, bNeed())];
            Gemm.dgemm(transA, transB, m, n, k, 1d, a, aOff, lda, b, bOff, ldb, 0d, nullC ? null : c, cOff, ldc,
                    nullPar ? null : Parallelism.serial());
        }
    }

    /** One bad call: what it breaks, the exception, and the exact message (Checks' and Gemm's wording). */
    private record Case(String name, Class<? extends Throwable> type, String message, java.util.function.Consumer<Call> breakIt) {
    }

    /**
     * The messages name the argument and give the expected and the actual value. The numbers follow from the
     * baseline call: A is 3×5 (m×k) at offset 1 with lda 6, so it needs 1 + (3 − 1)·6 + 5 = 18 elements; B is
     * 5×4 (k×n) at 2 with ldb 7: 2 + 4·7 + 4 = 34; C is 3×4 at 3 with ldc 5: 3 + 2·5 + 4 = 17.
     */
    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("null a", NullPointerException.class, "a", c -> c.nullA = true));
        cases.add(new Case("null b", NullPointerException.class, "b", c -> c.nullB = true));
        cases.add(new Case("null c", NullPointerException.class, "c", c -> c.nullC = true));
        cases.add(new Case("null parallelism", NullPointerException.class, "parallelism", c -> c.nullPar = true));
        cases.add(new Case("negative m", IllegalArgumentException.class, "m must be >= 0, but was -1", c -> c.m = -1));
        cases.add(new Case("negative n", IllegalArgumentException.class, "n must be >= 0, but was -2", c -> c.n = -2));
        cases.add(new Case("negative k", IllegalArgumentException.class, "k must be >= 0, but was -3", c -> c.k = -3));
        cases.add(new Case("lda < k", IllegalArgumentException.class,
                "leading dimension of a must be >= 5 (its row length), but was 4", c -> c.lda = 4));
        // transposed, A is stored k×m = 5×3: its rows are m = 3 long
        cases.add(new Case("lda < m (transA)", IllegalArgumentException.class,
                "leading dimension of a must be >= 3 (its row length), but was 2", c -> {
                    c.transA = true;
                    c.lda = 2;
                }));
        cases.add(new Case("ldb < n", IllegalArgumentException.class,
                "leading dimension of b must be >= 4 (its row length), but was 3", c -> c.ldb = 3));
        cases.add(new Case("ldb < k (transB)", IllegalArgumentException.class,
                "leading dimension of b must be >= 5 (its row length), but was 4", c -> {
                    c.transB = true;
                    c.ldb = 4;
                }));
        cases.add(new Case("ldc < n", IllegalArgumentException.class,
                "leading dimension of c must be >= 4 (its row length), but was 3", c -> c.ldc = 3));
        cases.add(new Case("negative aOff", IndexOutOfBoundsException.class, "offset of a must be >= 0, but was -1",
                c -> c.aOff = -1));
        cases.add(new Case("negative bOff", IndexOutOfBoundsException.class, "offset of b must be >= 0, but was -1",
                c -> c.bOff = -1));
        cases.add(new Case("negative cOff", IndexOutOfBoundsException.class, "offset of c must be >= 0, but was -1",
                c -> c.cOff = -1));
        cases.add(new Case("a one too short", IndexOutOfBoundsException.class,
                "a: a 3x5 matrix at offset 1 with leading dimension 6 needs length >= 18, but a.length is 17",
                c -> c.aLen = c.aNeed() - 1));
        cases.add(new Case("b one too short", IndexOutOfBoundsException.class,
                "b: a 5x4 matrix at offset 2 with leading dimension 7 needs length >= 34, but b.length is 33",
                c -> c.bLen = c.bNeed() - 1));
        // transposed, B is stored n×k = 4×5; with ldb 5 it needs 2 + 3·5 + 5 = 22
        cases.add(new Case("b one too short (transB)", IndexOutOfBoundsException.class,
                "b: a 4x5 matrix at offset 2 with leading dimension 5 needs length >= 22, but b.length is 21", c -> {
                    c.transB = true;
                    c.ldb = 5;
                    c.bLen = c.bNeed() - 1;
                }));
        cases.add(new Case("c one too short", IndexOutOfBoundsException.class,
                "c: a 3x4 matrix at offset 3 with leading dimension 5 needs length >= 17, but c.length is 16",
                c -> c.cLen = c.cNeed() - 1));
        // A of exactly 18 elements, offset moved to 2: needs 19
        cases.add(new Case("aOff pushes a past its end", IndexOutOfBoundsException.class,
                "a: a 3x5 matrix at offset 2 with leading dimension 6 needs length >= 19, but a.length is 18", c -> {
                    c.aLen = c.aNeed();
                    c.aOff += 1;
                }));
        // (2³¹ − 1 − 2) + 2·5 + 4 = 2147483659 > Integer.MAX_VALUE: computed in long, not wrapped to a negative
        cases.add(new Case("huge offset overflows int", IndexOutOfBoundsException.class,
                "c: a 3x4 matrix at offset 2147483645 with leading dimension 5 needs length >= 2147483659, but c.length"
                        + " is 100", c -> {
                    c.cLen = 100;
                    c.cOff = Integer.MAX_VALUE - 2;
                }));
        return cases;
    }

    @TestFactory
    Stream<DynamicTest> badInputIsRefusedBeforeWriting() {
        return cases().stream().flatMap(bad -> Stream.of(
                DynamicTest.dynamicTest("sgemm " + bad.name(), () -> {
                    Call call = new Call();
                    bad.breakIt().accept(call);
                    float[] c = new float[call.cLen >= 0 ? call.cLen : Math.max(0, call.cNeed())];
                    Arrays.fill(c, 42f);
                    Throwable e = assertThrows(bad.type(), () -> call.sgemm(c));
                    assertEquals(bad.message(), e.getMessage());
                    float[] untouched = new float[c.length];
                    Arrays.fill(untouched, 42f);
                    assertArrayEquals(untouched, c, "C was written before the call was refused");
                }),
                DynamicTest.dynamicTest("dgemm " + bad.name(), () -> {
                    Call call = new Call();
                    bad.breakIt().accept(call);
                    double[] c = new double[call.cLen >= 0 ? call.cLen : Math.max(0, call.cNeed())];
                    Arrays.fill(c, 42d);
                    Throwable e = assertThrows(bad.type(), () -> call.dgemm(c));
                    assertEquals(bad.message(), e.getMessage());
                    double[] untouched = new double[c.length];
                    Arrays.fill(untouched, 42d);
                    assertArrayEquals(untouched, c, "C was written before the call was refused");
                })));
    }

    @Test
    void theBaselineCallIsValid() {
        // Shows the cases above fail because of what each breaks, not because the baseline is bad.
        Call call = new Call();
        float[] c = new float[call.cNeed()];
        Arrays.fill(c, Float.NaN);
        call.sgemm(c);
        call.transA = true;
        call.lda = 3;
        call.transB = true;
        call.ldb = 5;
        call.dgemm(new double[call.cNeed()]);
    }

    @Test
    void zeroSizesAreValidAndWriteNothingOutsideC() {
        float[] c = {5, 5, 5};
        Gemm.sgemm(false, false, 0, 3, 4, 1f, new float[0], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
        Gemm.sgemm(false, false, 1, 0, 4, 1f, new float[4], 0, 4, new float[0], 0, 1, 0f, c, 0, 1);
        assertArrayEquals(new float[] {5, 5, 5}, c);
        Gemm.sgemm(true, true, 1, 3, 0, 1f, new float[0], 0, 1, new float[0], 0, 1, 2f, c, 0, 3);
        assertArrayEquals(new float[] {10, 10, 10}, c); // k = 0: C = beta·C
    }

    @Test
    void parallelismArgumentsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallelism.threads(0));
        assertEquals("threads must be in [1, 65535], but was 0", e.getMessage()); // 65535: a batch's task limit
        assertThrows(NullPointerException.class, () -> Parallelism.of(null, 2));
        assertThrows(NullPointerException.class, () -> Parallelism.setDefault(null));
    }
}
