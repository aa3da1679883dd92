package dev.vecprop.properties;

import dev.vecprop.kernels.Gemm;
import dev.vecprop.kernels.Parallelism;
import dev.vecprop.testing.Approx;
import dev.vecprop.testing.Rng;

/**
 * Runs a float or double kernel on double arrays, so a property is written once for both precisions. The
 * float path only ever sees values that are exactly floats ({@link #values} rounds them), so the conversion
 * in and out is exact and the only rounding is the kernel's own.
 */
enum Precision {
    F32 {
        @Override
        double rtol(long k) {
            return Approx.float32Rtol(k);
        }

        @Override
        double round(double x) {
            return (float) x;
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                  double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, Parallelism par) {
            float[] cf = Approx.toFloat(c);
            Gemm.sgemm(ta, tb, m, n, k, (float) alpha, Approx.toFloat(a), aOff, lda, Approx.toFloat(b), bOff, ldb,
                    (float) beta, cf, cOff, ldc, par);
            for (int i = 0; i < c.length; i++) {
                c[i] = cf[i];
            }
        }
    },
    F64 {
        @Override
        double rtol(long k) {
            return Approx.float64Rtol(k);
        }

        @Override
        double round(double x) {
            return x;
        }

        @Override
        void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                  double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, Parallelism par) {
            Gemm.dgemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, par);
        }
    };

    /** Relative bound, against the sum of absolute terms, for a length-{@code k} reduction. */
    abstract double rtol(long k);

    /** @return {@code x} rounded to this precision */
    abstract double round(double x);

    /** {@link Gemm#sgemm} or {@link Gemm#dgemm} on double arrays holding values of this precision. */
    abstract void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                       double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc, Parallelism par);

    /** The same with the default parallelism. */
    void gemm(boolean ta, boolean tb, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
              double[] b, int bOff, int ldb, double beta, double[] c, int cOff, int ldc) {
        gemm(ta, tb, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, Parallelism.getDefault());
    }

    /** @return {@code n} values uniform in [−2, 2), exactly representable in this precision */
    double[] values(Rng rng, int n) {
        double[] v = rng.values(n);
        for (int i = 0; i < n; i++) {
            v[i] = round(v[i]);
        }
        return v;
    }
}
