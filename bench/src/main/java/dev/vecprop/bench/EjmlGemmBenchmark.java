package dev.vecprop.bench;

import dev.vecprop.bench.peers.EjmlGemm;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.FMatrixRMaj;
import org.openjdk.jmh.annotations.Param;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Peer: EJML's dense row-major multiply on the shared GEMM problems, on 1 thread ({@code CommonOps_*}) or 2
 * ({@code CommonOps_MT_*}). Score: products/s.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class EjmlGemmBenchmark extends GemmProblem {

    @Param({"1", "2"})
    public int threads;

    private FMatrixRMaj ma32;
    private FMatrixRMaj mb32;
    private FMatrixRMaj mc32;
    private DMatrixRMaj ma64;
    private DMatrixRMaj mb64;
    private DMatrixRMaj mc64;

    @Override
    protected void prepare() {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        EjmlConcurrency.setMaxThreads(threads);
        GemmShape s = problem;
        int ar = s.transA() ? s.k() : s.m();
        int ac = s.transA() ? s.m() : s.k();
        int br = s.transB() ? s.n() : s.k();
        int bc = s.transB() ? s.k() : s.n();
        if (single) {
            ma32 = FMatrixRMaj.wrap(ar, ac, fa);
            mb32 = FMatrixRMaj.wrap(br, bc, fb);
            mc32 = FMatrixRMaj.wrap(s.m(), s.n(), fc);
        } else {
            ma64 = DMatrixRMaj.wrap(ar, ac, da);
            mb64 = DMatrixRMaj.wrap(br, bc, db);
            mc64 = DMatrixRMaj.wrap(s.m(), s.n(), dc);
        }
    }

    @Benchmark
    public Object gemm() {
        GemmShape s = problem;
        if (single) {
            EjmlGemm.sgemm(threads > 1, s.transA(), s.transB(), ma32, mb32, mc32);
        } else {
            EjmlGemm.dgemm(threads > 1, s.transA(), s.transB(), ma64, mb64, mc64);
        }
        return result();
    }
}
