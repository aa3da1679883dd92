package dev.vecprop.bench.peers;

/**
 * The GEMM a Java programmer writes first: a plain i-k-j triple loop over row-major flat arrays,
 * {@code C = op(A)·op(B)} (alpha = 1, beta = 0). The i-k-j order walks B and C along rows, which is the
 * cache-friendly order for the plain case; transposed operands are read through their index formula, as a
 * naive loop would, so their cost shows.
 */
public final class NaiveGemm {
    private NaiveGemm() {
    }

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0f;
            }
            for (int p = 0; p < k; p++) {
                float aip = transA ? a[p * lda + i] : a[i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int lda, double[] b, int ldb, double[] c, int ldc) {
        for (int i = 0; i < m; i++) {
            int ci = i * ldc;
            for (int j = 0; j < n; j++) {
                c[ci + j] = 0.0;
            }
            for (int p = 0; p < k; p++) {
                double aip = transA ? a[p * lda + i] : a[i * lda + p];
                if (transB) {
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[j * ldb + p];
                    }
                } else {
                    int bp = p * ldb;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }
}
