package dev.vecprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The report's arithmetic on the fixture run: GFLOPS, fraction of peak, ratios to peers. */
class ReportTest {

    @Test
    void derivedFiguresFollowFromScoresAndShapes() throws Exception {
        List<Result> r = Result.load(Path.of(CompareTest.fixture("baseline.json")));
        Result vec = r.stream().filter(x -> x.className().equals("GemmBenchmark")).findFirst().orElseThrow();
        // 1000 products/s of 2·256³ flops
        assertEquals(1000 * 2.0 * 256 * 256 * 256 / 1e9, vec.gflops(), 1e-9);
        assertEquals("float", vec.dtype());
        assertEquals("vecprop", vec.implementation());
        Limits limits = Limits.of(r);
        assertEquals(100e9, limits.peakFloat()[0]);
        assertEquals(vec.gflops() * 1e9 / 100e9, limits.normalize(vec)[0], 1e-12);

        String md = Report.markdown(r, List.of(), "not run", "test", "jvm");
        // 33.55 GFLOPS is 33.6% of a 100 GFLOPS peak; vecprop at 1000/s is 10× naive (100/s), 3.33× EJML (300/s)
        assertTrue(md.contains("| 256/NN | float | 33.55 ± 0.67 |"), md);
        assertTrue(md.contains("| 33.6% | 3.33 | 10.00 |"), md);
        assertTrue(md.contains("| JVM FMA peak, float | 100.0 ± 2.0 GFLOPS |"), md);
        assertTrue(md.contains("| copy bandwidth (read + write) | 20.0 ± 1.0 GB/s |"), md);
        assertTrue(md.contains("OpenBLAS via numpy: not run"), md);
        assertTrue(!md.contains("## Warnings"), md);
        // a GEMM above the in-run peak means the peak was measured on a busier machine: say so
        Result fast = new Result("dev.vecprop.bench.GemmBenchmark.gemm",
                java.util.Map.of("shape", "1024", "trans", "NN", "precision", "f32", "threads", "1"), 100, 1,
                java.util.Map.of(), 0);
        List<Result> withFast = new java.util.ArrayList<>(r);
        withFast.add(fast);
        String md2 = Report.markdown(withFast, List.of(), "not run", "test", "jvm");
        assertTrue(md2.contains("reached 215% of the FMA peak measured in this run"), md2);
    }

    @Test
    void allocatingVecpropResultIsFlaggedButAllocatingPeerIsNot() {
        Result boxed = new Result("dev.vecprop.bench.GemmBenchmark.sgemm", java.util.Map.of("n", "256"), 2, 0.1,
                java.util.Map.of(), 165e6);
        Result peer = new Result("dev.vecprop.bench.NetlibVectorGemmBenchmark.gemm",
                java.util.Map.of("shape", "256", "trans", "NN", "precision", "f32"), 100, 1, java.util.Map.of(), 225e3);
        String md = Report.markdown(List.of(boxed, peer), List.of(), "not run", "", "jvm");
        assertTrue(md.contains("## Warnings\n\n- `GemmBenchmark.sgemm` n=256 allocated 165.0M B/op"), md);
        assertTrue(!md.contains("NetlibVectorGemmBenchmark.gemm` "), md);
        String quiet = Report.markdown(List.of(peer), List.of(), "not run", "", "jvm");
        assertTrue(!quiet.contains("## Warnings"), quiet);
    }

    @Test
    void gemmParametersInEveryFormTheBenchmarksUse() {
        Result legacy = new Result("dev.vecprop.bench.GemmBenchmark.dgemm", java.util.Map.of("n", "64"), 1, 0,
                java.util.Map.of(), Double.NaN);
        assertEquals(dev.vecprop.bench.GemmShape.parse("64x64x64/NN"), legacy.gemmShape());
        assertEquals("double", legacy.dtype());
        Result current = new Result("dev.vecprop.bench.GemmBenchmark.gemm",
                java.util.Map.of("shape", "128x784x256", "trans", "NT", "precision", "f64", "threads", "2"), 1, 0,
                java.util.Map.of(), Double.NaN);
        assertEquals(new dev.vecprop.bench.GemmShape(128, 784, 256, false, true), current.gemmShape());
        assertEquals("double", current.dtype());
        assertEquals(2, current.threads());
        assertEquals("vecprop 2T", Report.column(current));
        Result numpy = new Result("numpy.OpenBLAS.gemm",
                java.util.Map.of("shape", "512", "trans", "TN", "precision", "f32", "threads", "1"), 1, 0,
                java.util.Map.of(), Double.NaN);
        assertEquals("OpenBLAS (numpy)", numpy.implementation());
        assertEquals(dev.vecprop.bench.GemmShape.parse("512/TN"), numpy.gemmShape());
        Result notGemm = new Result("dev.vecprop.bench.LayerBenchmark.forward", java.util.Map.of("shape", "512"), 1, 0,
                java.util.Map.of(), Double.NaN);
        assertEquals(null, notGemm.gemmShape());
    }

    @Test
    void elementwisePeersAndBandwidth() {
        Result vec = new Result("dev.vecprop.bench.ActivationComputeBenchmark.tanhVecprop",
                java.util.Map.of("size", "16384"), 1000, 10, java.util.Map.of(), 0.5);
        Result scalar = new Result("dev.vecprop.bench.ActivationComputeBenchmark.tanhScalar",
                java.util.Map.of("size", "16384"), 500, 5, java.util.Map.of(), 0.5);
        Result axpy = new Result("dev.vecprop.bench.ActivationBandwidthBenchmark.axpy",
                java.util.Map.of("n", "16777216"), 10, 1, java.util.Map.of(), 0.5);
        String md = Report.markdown(List.of(vec, scalar, axpy), List.of(), "not run", "", "jvm");
        assertTrue(md.contains("| ActivationCompute | tanh | size=16384 | 1000 | – | 500.0 | – | 2.00 |"), md);
        // 10 calls/s × 2^24 elements × 12 bytes (axpy reads x and y, writes y)
        assertTrue(md.contains("| 0.168 Gelem/s, 2.0 GB/s |"), md);
        assertEquals(12, Report.bytesPerElement(axpy));
        assertEquals(16777216, Report.elements(axpy));
    }

    @Test
    void reductionsReadFourOrEightBytesPerElement() {
        Result dot = new Result("dev.vecprop.bench.ReductionBenchmark.dotVecprop",
                java.util.Map.of("n", "235146"), 1000, 10, java.util.Map.of(), 0.5);
        Result norm = new Result("dev.vecprop.bench.ReductionBenchmark.squaredNormScalar",
                java.util.Map.of("n", "235146"), 100, 1, java.util.Map.of(), 0.5);
        assertEquals(8, Report.bytesPerElement(dot));
        assertEquals(4, Report.bytesPerElement(norm));
        String md = Report.markdown(List.of(dot, norm), List.of(), "not run", "", "jvm");
        // 1000 calls/s × 235,146 elements × 8 bytes (dot reads a and b)
        assertTrue(md.contains("| 0.235 Gelem/s, 1.9 GB/s |"), md);
    }

    @Test
    void averageTimeScoresBecomeRates() throws Exception {
        Path f = java.nio.file.Files.createTempFile("avgt", ".json");
        java.nio.file.Files.writeString(f, """
                [{"benchmark":"dev.vecprop.bench.X.y","mode":"avgt","params":{"size":"1000"},
                  "primaryMetric":{"score":2.0,"scoreError":0.5,"scoreUnit":"ms/op"}}]""");
        Result x = Result.load(f).get(0);
        assertEquals(500.0, x.rate(), 1e-9);
        assertEquals(125.0, x.rateError(), 1e-9);
    }
}
