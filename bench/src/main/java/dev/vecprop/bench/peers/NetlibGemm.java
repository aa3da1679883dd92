package dev.vecprop.bench.peers;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import java.lang.reflect.Method;

/**
 * Row-major GEMM through netlib-java's pure-Java BLAS ({@code dev.ludovic.netlib}), which is column-major
 * Fortran BLAS. A row-major m×n matrix is, read column-major, its n×m transpose; so row-major
 * {@code C = op(A)·op(B)} is column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}: swap the operands and m with n, keep
 * each operand's own transpose flag and leading dimension.
 *
 * <p>Two implementations of the same interface: {@link #vector()} is netlib's {@code VectorBLAS} (Vector API;
 * needs {@code --add-modules jdk.incubator.vector}), {@link #scalar()} its plain-Java {@code Java11BLAS}.
 * Both classes are package-private in netlib; the scalar one is reached by reflection, since netlib itself
 * hands out the vector one whenever the Vector API is there. Each getter fails loudly when it would measure
 * the wrong implementation.
 */
public final class NetlibGemm {
    private NetlibGemm() {
    }

    /** netlib's Vector API BLAS; throws if the JVM fell back to another implementation. */
    public static BLAS vector() {
        BLAS blas = JavaBLAS.getInstance();
        String name = blas.getClass().getSimpleName();
        if (!name.equals("VectorBLAS")) {
            throw new IllegalStateException("netlib returned " + blas.getClass().getName()
                    + " instead of VectorBLAS: run the JVM with --add-modules jdk.incubator.vector");
        }
        return blas;
    }

    /** netlib's scalar Java BLAS ({@code Java11BLAS}: plain loops, no Vector API). */
    public static BLAS scalar() {
        try {
            Class<?> cls = Class.forName("dev.ludovic.netlib.blas.Java11BLAS");
            Method getInstance = cls.getMethod("getInstance");
            getInstance.setAccessible(true);
            return (BLAS) getInstance.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot reach netlib's Java11BLAS (netlib version changed?): " + e, e);
        }
    }

    public static void sgemm(BLAS blas, boolean transA, boolean transB, int m, int n, int k,
                             float[] a, int lda, float[] b, int ldb, float[] c, int ldc) {
        blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1f, b, 0, ldb, a, 0, lda, 0f, c, 0, ldc);
    }

    public static void dgemm(BLAS blas, boolean transA, boolean transB, int m, int n, int k,
                             double[] a, int lda, double[] b, int ldb, double[] c, int ldc) {
        blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", n, m, k, 1.0, b, 0, ldb, a, 0, lda, 0.0, c, 0, ldc);
    }
}
