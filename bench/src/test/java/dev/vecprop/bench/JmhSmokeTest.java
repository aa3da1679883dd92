package dev.vecprop.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vecprop.bench.report.Compare;
import dev.vecprop.bench.report.Result;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The benchmark code cannot rot unnoticed: tiny forked JMH runs (1 fork, no warmup, 1 iteration of 50 ms) of
 * vecprop's GEMM benchmark and a peer on a 64³ problem, and of the MLP training step, the way bench/run launches
 * them (forked JVM with --add-modules); their JSON goes through the same reader, report and comparer.
 */
class JmhSmokeTest {

    static {
        // JMH refuses to start while another JMH run holds /tmp/jmh.lock (someone benchmarking on the same
        // machine). The lock protects measurements; a smoke test measures nothing, so it need not wait.
        System.setProperty("jmh.ignoreLock", "true");
    }

    @Test
    void tinyJmhRunProducesResultsTheComparerReads(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("jmh.json");
        Options opt = new OptionsBuilder()
                .include("dev\\.vecprop\\.bench\\.(GemmBenchmark|NaiveGemmBenchmark)\\.")
                .param("n", "64") // GemmBenchmark's first form; JMH ignores parameters a benchmark lacks
                .param("shape", "64")
                .param("trans", "NN")
                .param("precision", "f32")
                .param("threads", "1")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Xmx256m")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> runs = new Runner(opt).run();
        assertEquals(2, runs.size(), "one GemmBenchmark and one NaiveGemmBenchmark result expected");
        for (RunResult r : runs) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark() + " scored nothing");
        }

        List<Result> results = Result.load(json);
        assertEquals(2, results.size());
        for (Result r : results) {
            assertEquals(GemmShape.parse("64/NN"), r.gemmShape(), r.key());
            assertTrue(r.gflops() > 0, r.key());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Compare.run(new String[] {json.toString(), json.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(0, status, out.toString(StandardCharsets.UTF_8));
        assertFalse(Files.readString(json).isBlank());
    }

    /** The MLP training-step benchmark runs (a small batch keeps one unwarmed step short). */
    @Test
    void tinyTrainingStepRun(@TempDir Path dir) throws Exception {
        Path json = dir.resolve("train.json");
        Options opt = new OptionsBuilder()
                .include("dev\\.vecprop\\.bench\\.TrainStepBenchmark\\.")
                .param("batch", "8")
                .param("precision", "f32")
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(50))
                .jvmArgsAppend("--add-modules=jdk.incubator.vector", "-Xmx256m")
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> runs = new Runner(opt).run();
        assertEquals(1, runs.size());
        Result r = Result.load(json).get(0);
        assertTrue(r.rate() > 0, r.key());
        assertEquals("vecprop", r.implementation());
        String md = dev.vecprop.bench.report.Report.markdown(List.of(r), List.of(), "not run", "", "jvm");
        assertTrue(md.contains("## Training step"), md);
    }
}
