package dev.vecprop.bench;

import dev.vecprop.bench.peers.NaiveGemm;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/** Peer: the naive i-k-j Java loop ({@link NaiveGemm}) on the shared GEMM problems. Score: products/s. */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx2g"})
public class NaiveGemmBenchmark extends GemmProblem {

    @Benchmark
    public Object gemm() {
        GemmShape s = problem;
        if (single) {
            NaiveGemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), fa, s.lda(), fb, s.ldb(), fc, s.ldc());
        } else {
            NaiveGemm.dgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), da, s.lda(), db, s.ldb(), dc, s.ldc());
        }
        return result();
    }
}
