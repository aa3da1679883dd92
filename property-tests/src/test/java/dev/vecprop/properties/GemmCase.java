package dev.vecprop.properties;

import java.util.Locale;

import dev.vecprop.testing.Rng;
import dev.vecprop.testing.Sized;

/**
 * One GEMM call: {@code C[m×n] = alpha·op(A)·op(B) + beta·C}, each matrix at an offset inside a larger array
 * with a padded leading dimension.
 */
record GemmCase(Precision p, boolean ta, boolean tb, int m, int n, int k, double alpha, double beta,
                int aOff, int lda, int bOff, int ldb, int cOff, int ldc) implements Sized {

    /**
     * Mostly lane-boundary and small random sizes; one case in eight large enough to cross the cache
     * blocking of a packed GEMM (KC ≈ 256, MC ≈ 240, several NR panels); one in twenty has a zero size.
     */
    static GemmCase draw(Rng r) {
        int m, n, k;
        if (r.chance(0.125)) {
            return drawLarge(r);
        } else {
            m = r.dim();
            n = r.dim();
            k = r.dim();
        }
        if (r.chance(0.05)) {
            switch (r.nextInt(3)) {
                case 0 -> m = 0;
                case 1 -> n = 0;
                default -> k = 0;
            }
        }
        return draw(r, r.pick(Precision.values()), m, n, k);
    }

    /**
     * A case large enough to cross cache blocks and to be split over threads; n up to 400, so that both GEMM
     * register tiles are drawn (outputs at most 256 wide take the 6×4 tile at 512 bits, wider ones 12×2).
     */
    static GemmCase drawLarge(Rng r) {
        return draw(r, r.pick(Precision.values()), r.between(100, 300), r.between(60, 400), r.between(200, 600));
    }

    /**
     * Multiply-adds of a call that the GEMM splits over at least two tasks (of up to four threads): 2²³, four
     * times the 2²¹ below which the kernels keep a task on the calling thread (GemmF32/GemmF64 MIN_TASK_WORK,
     * not visible here).
     */
    static final long SPLIT_WORK = 1L << 23;

    /** As {@link #drawLarge}, with k raised where m·n is small so that m·n·k ≥ {@link #SPLIT_WORK}. */
    static GemmCase drawSplit(Rng r) {
        Precision p = r.pick(Precision.values());
        int m = r.between(100, 300);
        int n = r.between(60, 400);
        long mn = (long) m * n;
        int k = (int) Math.max(r.between(200, 600), (SPLIT_WORK + mn - 1) / mn);
        return draw(r, p, m, n, k);
    }

    /** A case of the given sizes with random flags, scalars, offsets and padding. */
    static GemmCase draw(Rng r, Precision p, int m, int n, int k) {
        boolean ta = r.nextBoolean();
        boolean tb = r.nextBoolean();
        double alpha = r.chance(0.3) ? 1 : p.round(r.uniform(-2, 2));
        double beta = switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 1;
            default -> p.round(r.uniform(-2, 2));
        };
        int aCols = ta ? m : k;
        int bCols = tb ? k : n;
        return new GemmCase(p, ta, tb, m, n, k, alpha, beta,
                r.between(0, 5), Math.max(1, aCols) + pad(r), r.between(0, 5), Math.max(1, bCols) + pad(r),
                r.between(0, 5), Math.max(1, n) + pad(r));
    }

    private static int pad(Rng r) {
        return r.chance(0.5) ? 0 : r.between(1, 9);
    }

    int aRows() {
        return ta ? k : m;
    }

    int bRows() {
        return tb ? n : k;
    }

    /** @return array length holding a {@code rows}-row matrix at {@code off} with stride {@code ld}, plus a tail */
    static int length(int off, int rows, int ld) {
        return off + rows * ld + 3;
    }

    int aLength() {
        return length(aOff, aRows(), lda);
    }

    int bLength() {
        return length(bOff, bRows(), ldb);
    }

    int cLength() {
        return length(cOff, m, ldc);
    }

    /** @return op(A)[i][p] */
    double a(double[] a, int i, int p) {
        return ta ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /** @return op(B)[p][j] */
    double b(double[] b, int p, int j) {
        return tb ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    /** @return index of C[i][j] */
    int c(int i, int j) {
        return cOff + i * ldc + j;
    }

    /** @return true when flat index {@code idx} of the C array lies in the m×n block */
    boolean inC(int idx) {
        int rel = idx - cOff;
        return rel >= 0 && rel / ldc < m && rel % ldc < n;
    }

    /** Calls the kernel under test with the given parallelism. */
    void run(double[] a, double[] b, double[] c, dev.vecprop.kernels.Parallelism par) {
        p.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, par);
    }

    /** Calls the kernel under test. */
    void run(double[] a, double[] b, double[] c) {
        p.gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
    }

    @Override
    public long size() {
        return (long) m * n * Math.max(1, k);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s%s m=%d n=%d k=%d alpha=%s beta=%s offs=%d/%d/%d ld=%d/%d/%d",
                p, ta ? "T" : "N", tb ? "T" : "N", m, n, k, alpha, beta, aOff, bOff, cOff, lda, ldb, ldc);
    }
}
