package dev.vecprop.kernels;

/**
 * Plain scalar GEMM: the test oracle and the fallback when the Vector API is off. Arguments are assumed
 * validated by {@link Gemm}. Each C element is one dot product accumulated in order over k, so the result
 * does not depend on blocking.
 */
final class GemmReference {
    private GemmReference() {
    }

    static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                      float alpha, float[] a, int aOff, int lda,
                      float[] b, int bOff, int ldb,
                      float beta, float[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0f;
                if (alpha != 0f) {
                    for (int p = 0; p < k; p++) {
                        float aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        float bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum = Math.fma(aip, bpj, sum);
                    }
                }
                int ci = cOff + i * ldc + j;
                // beta == 0 must not read C: NaN there must not leak into the result.
                c[ci] = beta == 0f ? alpha * sum : Math.fma(alpha, sum, beta * c[ci]);
            }
        }
    }

    static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                      double alpha, double[] a, int aOff, int lda,
                      double[] b, int bOff, int ldb,
                      double beta, double[] c, int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0d;
                if (alpha != 0d) {
                    for (int p = 0; p < k; p++) {
                        double aip = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                        double bpj = transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
                        sum = Math.fma(aip, bpj, sum);
                    }
                }
                int ci = cOff + i * ldc + j;
                c[ci] = beta == 0d ? alpha * sum : Math.fma(alpha, sum, beta * c[ci]);
            }
        }
    }
}
