package dev.vecprop.bench;

import dev.ludovic.netlib.blas.BLAS;
import dev.vecprop.bench.peers.NetlibGemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/** Peer: netlib's plain-Java BLAS (Java11BLAS, no Vector API) on the shared GEMM problems. Score: products/s. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class NetlibJavaGemmBenchmark extends GemmProblem {

    private BLAS blas;

    @Override
    protected void prepare() {
        blas = NetlibGemm.scalar();
    }

    @Benchmark
    public Object gemm() {
        GemmShape s = problem;
        if (single) {
            NetlibGemm.sgemm(blas, s.transA(), s.transB(), s.m(), s.n(), s.k(), fa, s.lda(), fb, s.ldb(), fc, s.ldc());
        } else {
            NetlibGemm.dgemm(blas, s.transA(), s.transB(), s.m(), s.n(), s.k(), da, s.lda(), db, s.ldb(), dc, s.ldc());
        }
        return result();
    }
}
