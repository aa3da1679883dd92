package dev.vecprop.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.vecprop.kernels.Parallelism;
import dev.vecprop.kernels.Vectorization;
import dev.vecprop.testing.Case;
import dev.vecprop.testing.Cases;
import dev.vecprop.testing.RerunHint;
import dev.vecprop.testing.Rng;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.opentest4j.AssertionFailedError;

/**
 * GEMM against a float64 reference, and the algebra GEMM must obey, over generated shapes, transposes,
 * scalars, offsets and padded leading dimensions, in float32 and float64. Tagged {@code kernel}: the build
 * runs it again at forced vector widths of 128 and 256 bits.
 *
 * <p>Error bound of one C element: {@code |c − ref| ≤ rtol(k)·(Σ_p |α·a_ip·b_pj| + |β·c_ij|)}, with
 * rtol(k) from {@link Precision#rtol} (≈ 4·√k·ε). Against the sum of absolute terms, because an element
 * that cancels to near zero is only as exact as the terms that cancelled.
 */
@Tag("kernel")
@ExtendWith(RerunHint.class)
class GemmPropertiesTest {

    static Stream<Case<GemmCase>> calls() {
        return Cases.of("gemm-reference", 60, GemmCase::draw);
    }

    /** Large enough to be split over threads (see {@link GemmCase#drawSplit}). */
    static Stream<Case<GemmCase>> largeCalls() {
        return Cases.of("gemm-threads", 4, GemmCase::drawSplit);
    }

    /** Small cases: the algebra does not depend on blocking the way the reference comparison does. */
    static Stream<Case<GemmCase>> smallCalls() {
        return Cases.of("gemm-algebra", 30, r -> GemmCase.draw(r, r.pick(Precision.values()),
                r.dim(), r.dim(), r.dim(0, 65)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("calls")
    void matchesFloat64Reference(Case<GemmCase> cs) {
        GemmCase g = cs.value();
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] c = g.p().values(rng, g.cLength());
        double[] c0 = c.clone();
        g.run(a, b, c);
        double[] ref = new double[c.length];
        double[] scale = new double[c.length];
        reference(g, a, b, c0, ref, scale);
        assertWithin(g, "C", ref, c, scale, g.p().rtol(g.k() + 2));
        assertOutsideUntouched(g, c0, c);
    }

    /**
     * Work is split over output blocks, never over k: every thread count gives bitwise the same C. The own
     * executor counts the tasks handed to it: none would mean the call ran on the caller alone and the
     * comparison showed nothing.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("largeCalls")
    void threadCountDoesNotChangeBits(Case<GemmCase> cs) {
        GemmCase g = cs.value();
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] c0 = g.p().values(rng, g.cLength());
        double[] serial = c0.clone();
        g.run(a, b, serial, Parallelism.serial());
        ExecutorService own = Executors.newFixedThreadPool(2);
        AtomicInteger handed = new AtomicInteger();
        Executor counting = r -> {
            handed.incrementAndGet();
            own.execute(r);
        };
        try {
            for (Parallelism par : new Parallelism[] {Parallelism.threads(2), Parallelism.threads(3),
                    Parallelism.of(counting, 4)}) {
                double[] c = c0.clone();
                g.run(a, b, c, par);
                for (int i = 0; i < c.length; i++) {
                    if (Double.doubleToRawLongBits(serial[i]) != Double.doubleToRawLongBits(c[i])) {
                        throw new AssertionFailedError("C array element " + i + " with " + par + ": " + c[i]
                                + " but serial gives " + serial[i]);
                    }
                }
            }
        } finally {
            own.shutdownNow();
        }
        if (Vectorization.isVectorized()) { // the scalar fallback is single-threaded
            assertTrue(handed.get() > 0, g + ": no task was handed to the executor (work " + g.size()
                    + " multiply-adds): the threaded calls ran on the caller alone");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void betaZeroDoesNotReadC(Case<GemmCase> cs) {
        GemmCase g = withBeta(cs.value(), 0);
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] nan = new double[g.cLength()];
        Arrays.fill(nan, Double.NaN);
        double[] zero = new double[g.cLength()];
        g.run(a, b, nan);
        g.run(a, b, zero);
        for (int i = 0; i < nan.length; i++) {
            if (g.inC(i)) {
                assertEquals(zero[i], nan[i], 0, "C[" + i + "] with NaN in C before a beta = 0 call");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void alphaZeroOrEmptyKGivesBetaTimesC(Case<GemmCase> cs) {
        GemmCase g = cs.value();
        Rng rng = cs.rng();
        // alpha = 0 must skip the product (BLAS: A and B are not referenced), so NaN there must not leak
        boolean alphaZero = rng.nextBoolean();
        GemmCase g0 = new GemmCase(g.p(), g.ta(), g.tb(), g.m(), g.n(), alphaZero ? g.k() : 0,
                alphaZero ? 0 : g.alpha(), g.beta(), g.aOff(), g.lda(), g.bOff(), g.ldb(), g.cOff(), g.ldc());
        double[] a = new double[g0.aLength()];
        double[] b = new double[g0.bLength()];
        Arrays.fill(a, Double.NaN);
        Arrays.fill(b, Double.NaN);
        double[] c = g.p().values(rng, g.cLength());
        double[] c0 = c.clone();
        g0.run(a, b, c);
        for (int i = 0; i < c.length; i++) {
            double expected = g.inC(i) ? g.p().round(g.beta() == 0 ? 0 : g.beta() * c0[i]) : c0[i];
            assertEquals(expected, c[i], 0, "C[" + i + "] of alpha = " + g0.alpha() + ", k = " + g0.k());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void betaOneAccumulates(Case<GemmCase> cs) {
        GemmCase g = withBeta(cs.value(), 1);
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] c = g.p().values(rng, g.cLength());
        double[] c0 = c.clone();
        double[] product = new double[c.length];
        withBeta(g, 0).run(a, b, product);
        g.run(a, b, c);
        double[] ref = new double[c.length];
        double[] scale = new double[c.length];
        reference(g, a, b, c0, ref, scale);
        double[] sum = c0.clone();
        for (int i = 0; i < c.length; i++) {
            if (g.inC(i)) {
                sum[i] = c0[i] + product[i];
            }
        }
        assertWithin(g, "C after beta = 1 vs C0 + product", sum, c, scale, 2 * g.p().rtol(g.k() + 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void linearInAlpha(Case<GemmCase> cs) {
        GemmCase g1 = withScalars(cs.value(), 1, 0);
        Rng rng = cs.rng();
        double[] a = g1.p().values(rng, g1.aLength());
        double[] b = g1.p().values(rng, g1.bLength());
        double[] c1 = new double[g1.cLength()];
        g1.run(a, b, c1);
        // a power of two scales exactly, whether a kernel applies alpha to A, to the sum or to C
        double pow2 = rng.pick(0.25, 2.0, -8.0);
        double[] cPow2 = new double[c1.length];
        withScalars(g1, pow2, 0).run(a, b, cPow2);
        for (int i = 0; i < c1.length; i++) {
            assertEquals(pow2 * c1[i], cPow2[i], 0, "C[" + i + "] with alpha = " + pow2 + " vs alpha = 1");
        }
        double alpha = g1.p().round(rng.uniform(-2, 2));
        double[] cAlpha = new double[c1.length];
        withScalars(g1, alpha, 0).run(a, b, cAlpha);
        double[] scaled = new double[c1.length];
        double[] scale = new double[c1.length];
        reference(withScalars(g1, alpha, 0), a, b, new double[c1.length], new double[c1.length], scale);
        for (int i = 0; i < c1.length; i++) {
            scaled[i] = alpha * c1[i];
        }
        assertWithin(g1, "C with alpha = " + alpha + " vs alpha·(C with alpha = 1)", scaled, cAlpha, scale,
                2 * g1.p().rtol(g1.k() + 2));
    }

    /** (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ: the same stored arrays, operands swapped, both flags flipped. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void transposeOfProductIsProductOfTransposes(Case<GemmCase> cs) {
        GemmCase g = withScalars(cs.value(), 1, 0);
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] c = new double[g.m() * g.n()];
        g.p().gemm(g.ta(), g.tb(), g.m(), g.n(), g.k(), 1, a, g.aOff(), g.lda(), b, g.bOff(), g.ldb(),
                0, c, 0, Math.max(1, g.n()));
        double[] ct = new double[g.n() * g.m()];
        g.p().gemm(!g.tb(), !g.ta(), g.n(), g.m(), g.k(), 1, b, g.bOff(), g.ldb(), a, g.aOff(), g.lda(),
                0, ct, 0, Math.max(1, g.m()));
        GemmCase compact = new GemmCase(g.p(), g.ta(), g.tb(), g.m(), g.n(), g.k(), 1, 0,
                g.aOff(), g.lda(), g.bOff(), g.ldb(), 0, Math.max(1, g.n()));
        double[] ref = new double[c.length];
        double[] scale = new double[c.length];
        reference(compact, a, b, new double[c.length], ref, scale);
        double[] back = new double[c.length];
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                back[i * g.n() + j] = ct[j * g.m() + i];
            }
        }
        assertWithin(compact, "(A·B)ᵀ vs Bᵀ·Aᵀ", c, back, scale, 2 * g.p().rtol(g.k() + 2));
    }

    /** A sub-matrix view (offset, padded stride) gives bitwise the result of the same call on compact copies. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void subMatrixViewEqualsCompactCopy(Case<GemmCase> cs) {
        GemmCase g = cs.value();
        Rng rng = cs.rng();
        double[] a = g.p().values(rng, g.aLength());
        double[] b = g.p().values(rng, g.bLength());
        double[] c = g.p().values(rng, g.cLength());
        int aCols = g.ta() ? g.m() : g.k();
        int bCols = g.tb() ? g.k() : g.n();
        double[] ac = compact(a, g.aOff(), g.aRows(), aCols, g.lda());
        double[] bc = compact(b, g.bOff(), g.bRows(), bCols, g.ldb());
        double[] cc = compact(c, g.cOff(), g.m(), g.n(), g.ldc());
        g.run(a, b, c);
        g.p().gemm(g.ta(), g.tb(), g.m(), g.n(), g.k(), g.alpha(), ac, 0, Math.max(1, aCols), bc, 0,
                Math.max(1, bCols), g.beta(), cc, 0, Math.max(1, g.n()));
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                assertEquals(cc[i * g.n() + j], c[g.c(i, j)], 0, "C[" + i + "][" + j + "] view vs compact");
            }
        }
    }

    /** ⟨A·u, v⟩ = ⟨u, Aᵀ·v⟩, with A·u as a column (transA path) and Aᵀ·v as a row product (transB path). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("smallCalls")
    void adjointIdentity(Case<GemmCase> cs) {
        GemmCase g = cs.value();
        int m = g.m();
        int k = g.k();
        Rng rng = cs.rng();
        // A stored m×k at an offset with a padded stride
        int lda = Math.max(1, k) + rng.between(0, 4);
        int aOff = rng.between(0, 4);
        double[] a = g.p().values(rng, aOff + m * lda);
        double[] u = g.p().values(rng, k);
        double[] v = g.p().values(rng, m);
        // Au = A·u: (m×k)·(k×1), A as stored; or as (uᵀ·Aᵀ)ᵀ through transB when the case says so
        double[] au = new double[m];
        if (g.tb()) {
            g.p().gemm(false, true, 1, m, k, 1, u, 0, Math.max(1, k), a, aOff, lda, 0, au, 0, Math.max(1, m));
        } else {
            g.p().gemm(false, false, m, 1, k, 1, a, aOff, lda, u, 0, 1, 0, au, 0, 1);
        }
        // Atv = Aᵀ·v: (k×m)·(m×1) through transA, or vᵀ·A as a row
        double[] atv = new double[k];
        if (g.ta()) {
            g.p().gemm(true, false, k, 1, m, 1, a, aOff, lda, v, 0, 1, 0, atv, 0, 1);
        } else {
            g.p().gemm(false, false, 1, k, m, 1, v, 0, Math.max(1, m), a, aOff, lda, 0, atv, 0, Math.max(1, k));
        }
        double left = 0;
        for (int i = 0; i < m; i++) {
            left += au[i] * v[i];
        }
        double right = 0;
        for (int j = 0; j < k; j++) {
            right += u[j] * atv[j];
        }
        double scale = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < k; j++) {
                scale += Math.abs(a[aOff + i * lda + j] * u[j] * v[i]);
            }
        }
        double tol = 2 * g.p().rtol(Math.max(m, k) + 2) * scale;
        assertTrue(Math.abs(left - right) <= tol, String.format(Locale.ROOT,
                "<A u, v> = %.17g but <u, Aᵀ v> = %.17g (m=%d k=%d), |diff| %.3e > %.3e",
                left, right, m, k, Math.abs(left - right), tol));
    }

    // --- helpers ---

    static GemmCase withBeta(GemmCase g, double beta) {
        return withScalars(g, g.alpha(), beta);
    }

    static GemmCase withScalars(GemmCase g, double alpha, double beta) {
        return new GemmCase(g.p(), g.ta(), g.tb(), g.m(), g.n(), g.k(), alpha, beta,
                g.aOff(), g.lda(), g.bOff(), g.ldb(), g.cOff(), g.ldc());
    }

    /**
     * Exact-as-double reference: {@code ref = α·Σ a·b + β·c0} inside the C block ({@code β = 0} ignores c0),
     * {@code c0} elsewhere; {@code scale} = the sum of absolute terms of each element.
     */
    static void reference(GemmCase g, double[] a, double[] b, double[] c0, double[] ref, double[] scale) {
        System.arraycopy(c0, 0, ref, 0, c0.length);
        for (int i = 0; i < g.m(); i++) {
            for (int j = 0; j < g.n(); j++) {
                double sum = 0;
                double abs = 0;
                for (int p = 0; p < g.k(); p++) {
                    double t = g.a(a, i, p) * g.b(b, p, j);
                    sum += t;
                    abs += Math.abs(t);
                }
                int ci = g.c(i, j);
                double cTerm = g.beta() == 0 ? 0 : g.beta() * c0[ci];
                ref[ci] = g.alpha() * sum + cTerm;
                scale[ci] = Math.abs(g.alpha()) * abs + Math.abs(cTerm);
            }
        }
    }

    /** Every element of the C block within {@code rtol·scale} of {@code expected}; reports the worst. */
    static void assertWithin(GemmCase g, String what, double[] expected, double[] actual, double[] scale, double rtol) {
        int worst = -1;
        double worstRatio = 0;
        for (int i = 0; i < actual.length; i++) {
            if (!g.inC(i)) {
                continue;
            }
            double err = Math.abs(actual[i] - expected[i]);
            double ratio = Double.isNaN(err) ? Double.POSITIVE_INFINITY
                    : err == 0 ? 0 : err / (rtol * scale[i] + Double.MIN_NORMAL);
            if (ratio > worstRatio) {
                worst = i;
                worstRatio = ratio;
            }
        }
        if (worstRatio > 1) {
            int rel = worst - g.cOff();
            throw new AssertionFailedError(String.format(Locale.ROOT,
                    "%s: worst element C[%d][%d]: expected %.17g, actual %.17g, |diff| %.3e > %.1e·%.3e (bound·Σ|terms|)",
                    what, rel / g.ldc(), rel % g.ldc(), expected[worst], actual[worst],
                    Math.abs(actual[worst] - expected[worst]), rtol, scale[worst]));
        }
    }

    /** Elements of the C array outside the m×n block must be bitwise unchanged. */
    static void assertOutsideUntouched(GemmCase g, double[] before, double[] after) {
        for (int i = 0; i < after.length; i++) {
            if (!g.inC(i) && Double.doubleToRawLongBits(before[i]) != Double.doubleToRawLongBits(after[i])) {
                throw new AssertionFailedError("C[" + i + "] lies outside the " + g.m() + "x" + g.n()
                        + " block (offset " + g.cOff() + ", ldc " + g.ldc() + ") but changed from " + before[i]
                        + " to " + after[i]);
            }
        }
    }

    static double[] compact(double[] x, int off, int rows, int cols, int ld) {
        double[] out = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(x, off + i * ld, out, i * cols, cols);
        }
        return out;
    }
}
