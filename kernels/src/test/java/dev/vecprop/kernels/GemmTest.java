package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vecprop.kernels.GemmTestSupport.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * sgemm and dgemm against a float64 oracle over shapes at the edges of lanes, register tiles and cache
 * blocks, all four transpose cases, offsets and padded leading dimensions, alpha/beta in {0, 1, −1, random},
 * NaN in C when beta = 0, and canaries around C. Runs at every width the build forces (and scalar).
 * Base seed: {@code -Dvecprop.test.seed}; each case's name carries its seed and shape.
 */
class GemmTest {
    private static final long BASE_SEED = Long.getLong("vecprop.test.seed", 20261128L);
    private static final int RANDOM_CASES = Integer.getInteger("vecprop.test.gemmCases", 160);

    private static int[] dims(int lanes, int mr, int nr, int smallMr, int smallNr) {
        return new int[] {0, 1, 2, 3, 4, 5, 7, lanes - 1, lanes, lanes + 1, mr - 1, mr, mr + 1, nr - 1, nr, nr + 1,
                2 * nr + 1, smallMr - 1, smallMr + 1, smallNr - 1, smallNr + 1, 2 * smallNr + 1, 13, 17, 31, 37, 53, 67,
                // outputs wider than SMALL_MAX_N go to GemmF32/GemmF64: their edge tiles too
                GemmTestSupport.SMALL_MAX_N, GemmTestSupport.SMALL_MAX_N + 1, GemmTestSupport.SMALL_MAX_N + lanes + 1,
                GemmTestSupport.SMALL_MAX_N + nr - 1, GemmTestSupport.SMALL_MAX_N + nr + 1};
    }

    private static double pick(SplittableRandom rnd) {
        return switch (rnd.nextInt(5)) {
            case 0 -> 0;
            case 1, 2 -> 1;
            case 3 -> -1;
            default -> rnd.nextDouble(-2, 2);
        };
    }

    /** Random cases, small to large, dims drawn from the boundary set or uniform. */
    private static List<Problem> randomCases(boolean single) {
        int lanes = single ? Vectorization.floatLanes() : Vectorization.doubleLanes();
        int mr = single ? GemmTestSupport.floatMR() : GemmTestSupport.doubleMR();
        int nr = single ? GemmTestSupport.floatNR() : GemmTestSupport.doubleNR();
        int smallMr = single ? GemmTestSupport.floatSmallMR() : GemmTestSupport.doubleSmallMR();
        int smallNr = single ? GemmTestSupport.floatSmallNR() : GemmTestSupport.doubleSmallNR();
        int[] dims = dims(Math.max(2, lanes), mr, nr, smallMr, smallNr);
        SplittableRandom base = new SplittableRandom(BASE_SEED + (single ? 0 : 1));
        List<Problem> cases = new ArrayList<>();
        for (int i = 0; i < RANDOM_CASES; i++) {
            long seed = base.nextLong();
            SplittableRandom rnd = new SplittableRandom(seed);
            int m = rnd.nextBoolean() ? dims[rnd.nextInt(dims.length)] : rnd.nextInt(1, 80);
            int n = rnd.nextBoolean() ? dims[rnd.nextInt(dims.length)] : rnd.nextInt(1, 80);
            int k = rnd.nextBoolean() ? dims[rnd.nextInt(dims.length)] : rnd.nextInt(1, 80);
            cases.add(new Problem(seed, rnd.nextBoolean(), rnd.nextBoolean(), m, n, k, pick(rnd), pick(rnd),
                    rnd.nextBoolean(), single));
        }
        cases.sort((x, y) -> Long.compare((long) x.m * x.n * x.k, (long) y.m * y.n * y.k));
        return cases;
    }

    /** Shapes that cross the cache blocks (KC, MC, NC) and the skinny-path limits, in every transpose case. */
    private static List<Problem> blockCases(boolean single) {
        // GemmF32 must not be initialised on the scalar path (it needs the vector species).
        boolean v = Vectorization.ENABLED;
        int kc = v ? (single ? GemmF32.KC : GemmF64.KC) : 256;
        int mc = v ? (single ? GemmF32.MC : GemmF64.MC) : 240;
        int nc = v ? (single ? GemmF32.NC : GemmF64.NC) : 1024;
        int jb = v ? (single ? GemmF32.JB : GemmF64.JB) : 2048;
        // the register tiles: the main classes' (outputs wider than SMALL_MAX_N) and the small-output ones'
        int mr = single ? GemmTestSupport.floatMR() : GemmTestSupport.doubleMR();
        int nr = single ? GemmTestSupport.floatNR() : GemmTestSupport.doubleNR();
        int smallMr = single ? GemmTestSupport.floatSmallMR() : GemmTestSupport.doubleSmallMR();
        int smallNr = single ? GemmTestSupport.floatSmallNR() : GemmTestSupport.doubleSmallNR();
        int wide = (GemmTestSupport.SMALL_MAX_N / nr + 1) * nr; // whole tiles, wider than SMALL_MAX_N
        int[][] shapes = {
            // a last sliver of A 4 or 8 rows deep (2 or 4 in the small-output classes) under whole-width tiles: the
            // narrower edge tiles at 512 bits, stored from their registers
            {mr + 4, wide, 9}, {2 * mr + 8, wide, kc + 1}, {smallMr + 2, 2 * smallNr, 9}, {smallMr + 4, 2 * smallNr, kc + 1},
            // a last sliver of B half a tile wide (one vector with the 12×(2·lanes) tile), under 12, 4 and 8 rows
            {2 * mr, wide + nr / 2, 9}, {mr + 4, wide + nr / 2, kc + 1}, {mr + 8, wide + nr / 2, 5},
            {13, 37, kc - 1}, {13, 37, kc}, {13, 37, kc + 1}, {29, 19, 2 * kc + 1},
            {mc - 1, 21, 9}, {mc + 1, 21, 9}, {2 * mc + 5, 7, 33},
            {5, nc + 1, 3}, {6, nc - 1, 2},
            {1, 1, 1000}, {1, jb + 3, 40}, {4, 2 * jb + 1, 7}, {3, 70, kc + 3},
            {jb + 3, 1, 40}, {2 * jb + 1, 4, 7}, {70, 3, kc + 3}, {5, 5, 5}, {4, 4, 4},
            // either side of the small-tile classes' widest output, where Gemm switches tiles
            {37, GemmTestSupport.SMALL_MAX_N, kc + 1}, {37, GemmTestSupport.SMALL_MAX_N + 1, kc + 1},
            // more than 256 rows, so a plain B is packed rather than read in place: whole slivers row by row of
            // B, the partial last one apart; the second has two NC blocks, the last of them a few whole slivers
            // and a partial one
            {3 * mc + 7, 101, 2 * kc + 3}, {3 * mc + 7, nc + 67, kc + 1},
        };
        List<Problem> cases = new ArrayList<>();
        long seed = BASE_SEED * 31 + (single ? 7 : 8);
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                seed++;
                double beta = t == 1 ? 0 : t == 2 ? 1 : -0.5;
                cases.add(new Problem(seed, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 3 ? 1.5 : 1, beta,
                        t >= 2, single));
            }
        }
        return cases;
    }

    private static DynamicTest floatTest(Problem p) {
        return DynamicTest.dynamicTest("sgemm " + p.name, () -> {
            float[] c = p.toFloat(p.c0);
            p.sgemm(c, Parallelism.serial());
            assertNull(p.check(Problem.widen(c), GemmTestSupport.FLOAT_TOL));
        });
    }

    private static DynamicTest doubleTest(Problem p) {
        return DynamicTest.dynamicTest("dgemm " + p.name, () -> {
            double[] c = p.c0.clone();
            p.dgemm(c, Parallelism.serial());
            assertNull(p.check(c, GemmTestSupport.DOUBLE_TOL));
        });
    }

    @TestFactory
    Stream<DynamicTest> sgemmRandomShapes() {
        return randomCases(true).stream().map(GemmTest::floatTest);
    }

    @TestFactory
    Stream<DynamicTest> dgemmRandomShapes() {
        return randomCases(false).stream().map(GemmTest::doubleTest);
    }

    @TestFactory
    Stream<DynamicTest> sgemmBlockBoundaries() {
        return blockCases(true).stream().map(GemmTest::floatTest);
    }

    @TestFactory
    Stream<DynamicTest> dgemmBlockBoundaries() {
        return blockCases(false).stream().map(GemmTest::doubleTest);
    }

    @Test
    void inputsAreNotModified() {
        Problem p = new Problem(5, true, false, 19, 23, 29, 1, 1, true, true);
        float[] a = p.toFloat(p.a);
        float[] b = p.toFloat(p.b);
        float[] a0 = a.clone();
        float[] b0 = b.clone();
        float[] c = p.toFloat(p.c0);
        Gemm.sgemm(p.transA, p.transB, p.m, p.n, p.k, 1f, a, p.aOff, p.lda, b, p.bOff, p.ldb, 1f, c, p.cOff, p.ldc);
        assertArrayEquals(a0, a);
        assertArrayEquals(b0, b);
    }

    @Test
    void alphaZeroSkipsTheProduct() {
        // Inf·0 would be NaN: with alpha = 0 the product must not be formed at all.
        float[] a = {Float.POSITIVE_INFINITY, 1, 1, 1};
        float[] b = {1, 1, 1, 1};
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 2, 0f, a, 0, 2, b, 0, 2, 2f, c, 0, 2);
        assertArrayEquals(new float[] {2, 4, 6, 8}, c);
        double[] cd = {Double.NaN, Double.NaN};
        Gemm.dgemm(false, false, 1, 2, 0, 1d, new double[0], 0, 1, new double[0], 0, 2, 0d, cd, 0, 2);
        assertArrayEquals(new double[] {0, 0}, cd); // k = 0, beta = 0: C = 0, NaN not read
    }

    // ---------------------------------------------------------------------------------------------
    // The checker itself must be able to fail.

    @Test
    void checkerCatchesAPerturbedElementANaNAndAnOverwrittenCanary() {
        Problem p = new Problem(11, false, true, 9, 10, 300, 1, 0, true, true);
        float[] c = p.toFloat(p.c0);
        p.sgemm(c, Parallelism.serial());
        assertNull(p.check(Problem.widen(c), GemmTestSupport.FLOAT_TOL));
        double[] bound = p.oracle(GemmTestSupport.FLOAT_TOL)[1];
        int inside = p.cOff + 4 * p.ldc + 7;
        // A result off by 4 bounds, a NaN, and a write just past a row of C: each must be reported.
        double[] bad = Problem.widen(c);
        bad[inside] += 4 * bound[inside];
        assertNotNull(p.check(bad, GemmTestSupport.FLOAT_TOL));
        bad = Problem.widen(c);
        bad[inside] = Double.NaN;
        assertNotNull(p.check(bad, GemmTestSupport.FLOAT_TOL));
        bad = Problem.widen(c);
        bad[p.cOff + p.n] = 0; // first padding element of row 0
        assertNotNull(p.check(bad, GemmTestSupport.FLOAT_TOL));
        // A planted wrong transpose: the product computed with op(B) not transposed.
        float[] wrong = p.toFloat(p.c0);
        Gemm.sgemm(false, false, p.m, p.n, p.k, 1f, p.toFloat(p.a), p.aOff, p.lda,
                p.toFloat(p.b), p.bOff, p.n, 0f, wrong, p.cOff, p.ldc);
        assertNotNull(p.check(Problem.widen(wrong), GemmTestSupport.FLOAT_TOL));
    }

    /**
     * A float sum that errs by one ulp, always the same way, at each of its k additions ends about
     * k·ulp(Σ|a·b|) off. The float bound is 1e-6·√k·Σ|a·b| and ulp(x) ≥ 2⁻²⁴·x, so that drift exceeds it once
     * k·2⁻²⁴ > 1e-6·√k, i.e. k ≥ 283; at k = 512 it is at least 1.35 bounds and must fail. (For smaller k the
     * √k bound does not see such a drift: it is statistical, sized for errors that partly cancel.)
     */
    @Test
    void floatToleranceSeesADriftOfOneUlpPerTermAtK512() {
        int k = 512;
        Problem p = new Problem(13, false, false, 3, 5, k, 1, 0, false, true);
        float[] c = p.toFloat(p.c0);
        p.sgemm(c, Parallelism.serial());
        assertNull(p.check(Problem.widen(c), GemmTestSupport.FLOAT_TOL)); // the product itself passes
        int row = 2, col = 1;
        double scale = 0;
        for (int q = 0; q < k; q++) {
            scale += Math.abs(p.opA(row, q) * p.opB(q, col));
        }
        double[] got = Problem.widen(c);
        got[p.cOff + row * p.ldc + col] += k * Math.ulp((float) scale);
        assertNotNull(p.check(got, GemmTestSupport.FLOAT_TOL));
    }

    // ---------------------------------------------------------------------------------------------
    // The two register tiles

    /**
     * GemmF32Small and GemmF32 (and their double twins) differ only in the register tile, which does not change
     * any element's order of summation: on the same problems, called directly (whatever Gemm would choose), both
     * match the oracle and each other bitwise. At 512 bits the tiles are 6×4 and 12×2; at other widths the same.
     */
    @TestFactory
    Stream<DynamicTest> bothTilesGiveBitwiseTheSameProducts() {
        assumeTrue(Vectorization.ENABLED, "the vector classes exist only on the vector path");
        List<Problem> cases = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(BASE_SEED * 13);
        int[] sizes = {1, 5, 6, 7, 11, 12, 13, 31, 33, 63, 65, 97, 130, 257, 300};
        for (int i = 0; i < 48; i++) {
            double alpha = rnd.nextBoolean() ? 1 : rnd.nextDouble(0.5, 2); // the classes take alpha != 0 only
            cases.add(new Problem(rnd.nextLong(), rnd.nextBoolean(), rnd.nextBoolean(), sizes[rnd.nextInt(sizes.length)],
                    sizes[rnd.nextInt(sizes.length)], rnd.nextInt(1, 300), alpha, pick(rnd), rnd.nextBoolean(), true));
        }
        return cases.stream().map(p -> DynamicTest.dynamicTest("tiles " + p.name, () -> {
            float[] small = p.toFloat(p.c0);
            float[] big = p.toFloat(p.c0);
            p.sgemmBy(true, small);
            p.sgemmBy(false, big);
            assertNull(p.check(Problem.widen(small), GemmTestSupport.FLOAT_TOL));
            assertArrayEquals(big, small, 0f, "float: GemmF32Small vs GemmF32");
            double[] smallD = p.c0.clone();
            double[] bigD = p.c0.clone();
            p.dgemmBy(true, smallD);
            p.dgemmBy(false, bigD);
            assertNull(p.check(smallD, GemmTestSupport.DOUBLE_TOL));
            assertArrayEquals(bigD, smallD, 0.0, "double: GemmF64Small vs GemmF64");
        }));
    }

    // ---------------------------------------------------------------------------------------------
    // Threads

    private static List<Problem> parallelCases(boolean single) {
        List<Problem> cases = new ArrayList<>();
        long seed = BASE_SEED * 17 + (single ? 1 : 2);
        // Small shapes: the tests lower the split threshold (minTaskWork) so that they are split anyway.
        // n = 300 and 257 go to GemmF32/GemmF64, the narrower outputs to the small-tile classes (at 512 bits).
        // 100×23×530 (m×k×n): on 2 threads NN and TN split along M, every task reading B in place, while NT and
        // TT split along N with A packed; on 3 threads all four split along N, every task reading A in place.
        int[][] shapes = {{61, 75, 40}, {90, 37, 300}, {3, 700, 90}, {700, 3, 90}, {130, 9, 11}, {8, 257, 5},
            {41, 300, 20}, {100, 530, 23}};
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                cases.add(new Problem(++seed, (t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], 1.25, t == 0 ? 0 : 0.5,
                        true, single));
            }
        }
        return cases;
    }

    /** Runs {@code body} with the thread-split threshold lowered to a few hundred multiply-adds. */
    private static void withLowSplitThreshold(org.junit.jupiter.api.function.Executable body) throws Throwable {
        if (!Vectorization.ENABLED) {
            body.execute();
            return;
        }
        GemmTestSupport.minTaskWork(300);
        try {
            body.execute();
        } finally {
            GemmTestSupport.minTaskWork(0);
        }
    }

    @TestFactory
    Stream<DynamicTest> sgemmMultiThreadIsBitwiseSingleThread() {
        return parallelCases(true).stream().map(p -> DynamicTest.dynamicTest("sgemm threads " + p.name, () -> withLowSplitThreshold(() -> {
            float[] serial = p.toFloat(p.c0);
            p.sgemm(serial, Parallelism.serial());
            assertNull(p.check(Problem.widen(serial), GemmTestSupport.FLOAT_TOL));
            for (int threads : new int[] {2, 3}) {
                float[] par = p.toFloat(p.c0);
                p.sgemm(par, Parallelism.threads(threads));
                assertArrayEquals(serial, par, 0f, threads + " threads");
            }
            float[] own = p.toFloat(p.c0);
            AtomicInteger handed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                p.sgemm(own, Parallelism.of(r -> {
                    handed.incrementAndGet();
                    pool.execute(r);
                }, 4));
            } finally {
                pool.shutdown();
            }
            assertArrayEquals(serial, own, 0f, "own executor");
            if (Vectorization.ENABLED) {
                assertTrue(handed.get() > 0, "work above the threshold was not split among threads");
            }
        })));
    }

    @TestFactory
    Stream<DynamicTest> dgemmMultiThreadIsBitwiseSingleThread() {
        return parallelCases(false).stream().map(p -> DynamicTest.dynamicTest("dgemm threads " + p.name, () -> withLowSplitThreshold(() -> {
            double[] serial = p.c0.clone();
            p.dgemm(serial, Parallelism.serial());
            assertNull(p.check(serial, GemmTestSupport.DOUBLE_TOL));
            for (int threads : new int[] {2, 3}) {
                double[] par = p.c0.clone();
                p.dgemm(par, Parallelism.threads(threads));
                assertArrayEquals(serial, par, 0d, threads + " threads");
            }
            double[] inline = p.c0.clone();
            AtomicInteger inlined = new AtomicInteger();
            p.dgemm(inline, Parallelism.of(r -> { // an executor that runs tasks in the caller
                inlined.incrementAndGet();
                r.run();
            }, 3));
            assertArrayEquals(serial, inline, 0d, "inline executor");
            double[] own = p.c0.clone();
            AtomicInteger handed = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                p.dgemm(own, Parallelism.of(r -> {
                    handed.incrementAndGet();
                    pool.execute(r);
                }, 4));
            } finally {
                pool.shutdown();
            }
            assertArrayEquals(serial, own, 0d, "own executor");
            if (Vectorization.ENABLED) { // the scalar fallback is single-threaded
                assertTrue(handed.get() > 0, "work above the threshold was not split among threads");
                assertTrue(inlined.get() > 0, "work above the threshold was not split for the inline executor");
            }
        })));
    }

    @Test
    void smallProblemsStayOnTheCallingThread() {
        AtomicInteger handed = new AtomicInteger();
        Parallelism counting = Parallelism.of(r -> {
            handed.incrementAndGet();
            r.run();
        }, 8);
        float[] a = new float[32 * 32];
        float[] c = new float[32 * 32];
        Gemm.sgemm(false, false, 32, 32, 32, 1f, a, 0, 32, a, 0, 32, 0f, c, 0, 32, counting);
        assertTrue(handed.get() == 0, "a 32³ product was handed to other threads");
    }
}
