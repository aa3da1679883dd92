package dev.vecprop.kernels;

import java.util.SplittableRandom;

/**
 * Shared pieces of the GEMM tests: a problem with canaries around C, a float64 oracle, and the error
 * bound relative to Σ|a·b| (DESIGN.md §2, issue 3).
 */
final class GemmTestSupport {
    private GemmTestSupport() {
    }

    /** Value outside C's addressed region; must survive every call bitwise. */
    static final float CANARY_F = -7777.25f;
    static final double CANARY_D = -7777.25;

    /** Register-tile and blocking sizes of the active path, for shapes at their boundaries. */
    static int floatMR() {
        return Vectorization.ENABLED ? GemmF32.MR : 12;
    }

    static int floatNR() {
        return Vectorization.ENABLED ? GemmF32.NR : 32;
    }

    static int doubleMR() {
        return Vectorization.ENABLED ? GemmF64.MR : 12;
    }

    static int doubleNR() {
        return Vectorization.ENABLED ? GemmF64.NR : 16;
    }

    /** The same for the tile of outputs at most {@code GemmF32Small.MAX_N} wide (GemmF32Small, GemmF64Small). */
    static int floatSmallMR() {
        return Vectorization.ENABLED ? GemmF32Small.MR : 6;
    }

    static int floatSmallNR() {
        return Vectorization.ENABLED ? GemmF32Small.NR : 64;
    }

    static int doubleSmallMR() {
        return Vectorization.ENABLED ? GemmF64Small.MR : 6;
    }

    static int doubleSmallNR() {
        return Vectorization.ENABLED ? GemmF64Small.NR : 32;
    }

    /** Widest output of the small-tile classes (a constant; reading it does not initialise them). */
    static final int SMALL_MAX_N = GemmF32Small.MAX_N;

    /**
     * Sets the thread-split threshold of all four vector GEMM classes (a test hook; {@code 0} restores the
     * default), so that small problems are split whichever class computes them.
     */
    static void minTaskWork(long work) {
        GemmF32.minTaskWork = work > 0 ? work : GemmF32.MIN_TASK_WORK;
        GemmF64.minTaskWork = work > 0 ? work : GemmF64.MIN_TASK_WORK;
        GemmF32Small.minTaskWork = work > 0 ? work : GemmF32Small.MIN_TASK_WORK;
        GemmF64Small.minTaskWork = work > 0 ? work : GemmF64Small.MIN_TASK_WORK;
    }

    /** One GEMM call's arguments, in float64; {@link #toFloat} makes float32 copies of the same values. */
    static final class Problem {
        final boolean transA;
        final boolean transB;
        final int m;
        final int n;
        final int k;
        final double alpha;
        final double beta;
        final int aOff;
        final int lda;
        final int bOff;
        final int ldb;
        final int cOff;
        final int ldc;
        final double[] a;
        final double[] b;
        final double[] c0;
        final String name;

        Problem(long seed, boolean transA, boolean transB, int m, int n, int k, double alpha, double beta,
                boolean padded, boolean single) {
            SplittableRandom rnd = new SplittableRandom(seed);
            this.transA = transA;
            this.transB = transB;
            this.m = m;
            this.n = n;
            this.k = k;
            this.alpha = alpha;
            this.beta = beta;
            int aRows = transA ? k : m;
            int aCols = transA ? m : k;
            int bRows = transB ? n : k;
            int bCols = transB ? k : n;
            this.aOff = padded ? 1 + rnd.nextInt(5) : 0;
            this.lda = Math.max(1, aCols) + (padded ? rnd.nextInt(1, 4) : 0);
            this.bOff = padded ? 1 + rnd.nextInt(5) : 0;
            this.ldb = Math.max(1, bCols) + (padded ? rnd.nextInt(1, 4) : 0);
            this.cOff = padded ? 1 + rnd.nextInt(5) : 0;
            this.ldc = Math.max(1, n) + (padded ? rnd.nextInt(1, 4) : 0);
            this.a = fill(rnd, aOff + aRows * lda + 3, single);
            this.b = fill(rnd, bOff + bRows * ldb + 3, single);
            this.c0 = fill(rnd, cOff + m * ldc + 3, single);
            this.name = "seed=" + seed + " " + (transA ? "T" : "N") + (transB ? "T" : "N") + " m=" + m + " n=" + n
                    + " k=" + k + " alpha=" + alpha + " beta=" + beta + (padded ? " padded" : "");
            // Everything outside C's addressed region is a canary; with beta = 0 the inside is NaN.
            for (int i = 0; i < c0.length; i++) {
                if (!inC(i)) {
                    c0[i] = CANARY_D;
                } else if (beta == 0) {
                    c0[i] = Double.NaN;
                }
            }
        }

        private static double[] fill(SplittableRandom rnd, int length, boolean single) {
            double[] x = new double[length];
            for (int i = 0; i < length; i++) {
                double v = rnd.nextDouble(-2, 2);
                x[i] = single ? (float) v : v;
            }
            return x;
        }

        /** True when index i of C's array is an element of the m×n matrix C. */
        boolean inC(int i) {
            int r = i - cOff;
            if (r < 0 || n == 0) {
                return false;
            }
            return r / ldc < m && r % ldc < n;
        }

        double opA(int i, int p) {
            return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
        }

        double opB(int p, int j) {
            return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
        }

        /** The exact-ish result and its error scale, per element of C's array (canaries: themselves). */
        double[][] oracle(double relTol) {
            double[] want = c0.clone();
            double[] bound = new double[c0.length];
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double sum = 0;
                    double mag = 0;
                    if (alpha != 0) {
                        for (int p = 0; p < k; p++) {
                            double t = opA(i, p) * opB(p, j);
                            sum += t;
                            mag += Math.abs(t);
                        }
                    }
                    int ci = cOff + i * ldc + j;
                    double old = c0[ci];
                    want[ci] = alpha * sum + (beta == 0 ? 0 : beta * old);
                    double scale = Math.abs(alpha) * mag + (beta == 0 ? 0 : Math.abs(beta * old));
                    bound[ci] = relTol * Math.sqrt(Math.max(1, k)) * scale + Double.MIN_NORMAL;
                }
            }
            return new double[][] {want, bound};
        }

        float[] toFloat(double[] x) {
            float[] f = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                f[i] = (float) x[i];
            }
            return f;
        }

        void sgemm(float[] c, Parallelism par) {
            Gemm.sgemm(transA, transB, m, n, k, (float) alpha, toFloat(a), aOff, lda, toFloat(b), bOff, ldb,
                    (float) beta, c, cOff, ldc, par);
        }

        void dgemm(double[] c, Parallelism par) {
            Gemm.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, par);
        }

        /** The float product by one vector class directly: {@code small} picks GemmF32Small over GemmF32. */
        void sgemmBy(boolean small, float[] c) {
            float[] fa = toFloat(a);
            float[] fb = toFloat(b);
            if (small) {
                GemmF32Small.gemm(Parallelism.serial(), transA, transB, m, n, k, (float) alpha, fa, aOff, lda, fb, bOff,
                        ldb, (float) beta, c, cOff, ldc);
            } else {
                GemmF32.gemm(Parallelism.serial(), transA, transB, m, n, k, (float) alpha, fa, aOff, lda, fb, bOff, ldb,
                        (float) beta, c, cOff, ldc);
            }
        }

        /** The double product by GemmF64Small ({@code small}) or GemmF64 directly. */
        void dgemmBy(boolean small, double[] c) {
            if (small) {
                GemmF64Small.gemm(Parallelism.serial(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb,
                        beta, c, cOff, ldc);
            } else {
                GemmF64.gemm(Parallelism.serial(), transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c,
                        cOff, ldc);
            }
        }

        /** @return null when {@code got} matches the oracle, else a description of the first bad element. */
        String check(double[] got, double relTol) {
            double[][] ob = oracle(relTol);
            double[] want = ob[0];
            double[] bound = ob[1];
            for (int i = 0; i < got.length; i++) {
                if (!inC(i)) {
                    if (Double.doubleToRawLongBits(got[i]) != Double.doubleToRawLongBits(c0[i])) {
                        return name + ": element " + i + " outside C was overwritten: " + got[i];
                    }
                } else if (!(Math.abs(got[i] - want[i]) <= bound[i])) { // written so that NaN fails
                    int r = (i - cOff) / ldc;
                    int col = (i - cOff) % ldc;
                    return name + ": C[" + r + "," + col + "] = " + got[i] + ", expected " + want[i] + " ± " + bound[i];
                }
            }
            return null;
        }

        static double[] widen(float[] x) {
            double[] d = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                d[i] = x[i];
            }
            return d;
        }
    }

    static final double FLOAT_TOL = 1e-6;
    static final double DOUBLE_TOL = 1e-14;
}
