package dev.vecprop.bench.peers;

import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_DDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;

/**
 * Row-major GEMM through EJML's dense row-major matrices, which wrap our flat arrays without copying.
 * {@code concurrent} picks EJML's multi-threaded {@code CommonOps_MT_*} (threads set with
 * {@code EjmlConcurrency.setMaxThreads}) over the single-threaded {@code CommonOps_*}.
 */
public final class EjmlGemm {
    private EjmlGemm() {
    }

    public static void sgemm(boolean concurrent, boolean transA, boolean transB,
                             FMatrixRMaj a, FMatrixRMaj b, FMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_FDRM.multTransAB(a, b, c);
            } else if (transA) {
                CommonOps_MT_FDRM.multTransA(a, b, c);
            } else if (transB) {
                CommonOps_MT_FDRM.multTransB(a, b, c);
            } else {
                CommonOps_MT_FDRM.mult(a, b, c);
            }
        } else if (transA && transB) {
            CommonOps_FDRM.multTransAB(a, b, c);
        } else if (transA) {
            CommonOps_FDRM.multTransA(a, b, c);
        } else if (transB) {
            CommonOps_FDRM.multTransB(a, b, c);
        } else {
            CommonOps_FDRM.mult(a, b, c);
        }
    }

    public static void dgemm(boolean concurrent, boolean transA, boolean transB,
                             DMatrixRMaj a, DMatrixRMaj b, DMatrixRMaj c) {
        if (concurrent) {
            if (transA && transB) {
                CommonOps_MT_DDRM.multTransAB(a, b, c);
            } else if (transA) {
                CommonOps_MT_DDRM.multTransA(a, b, c);
            } else if (transB) {
                CommonOps_MT_DDRM.multTransB(a, b, c);
            } else {
                CommonOps_MT_DDRM.mult(a, b, c);
            }
        } else if (transA && transB) {
            CommonOps_DDRM.multTransAB(a, b, c);
        } else if (transA) {
            CommonOps_DDRM.multTransA(a, b, c);
        } else if (transB) {
            CommonOps_DDRM.multTransB(a, b, c);
        } else {
            CommonOps_DDRM.mult(a, b, c);
        }
    }
}
