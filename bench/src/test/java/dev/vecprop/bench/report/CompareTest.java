package dev.vecprop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** bench/compare's decisions on committed fixture files (src/test/resources/compare/). */
class CompareTest {

    record Outcome(int status, String out, String err) {
    }

    static String fixture(String name) {
        try {
            return Path.of(CompareTest.class.getResource("/compare/" + name).toURI()).toString();
        } catch (URISyntaxException | NullPointerException e) {
            throw new AssertionError("missing fixture " + name, e);
        }
    }

    static Outcome compare(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Compare.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void unchangedRunPasses() {
        Outcome o = compare(fixture("baseline.json"), fixture("unchanged.json"));
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("6 benchmark(s) compared, 0 regression(s)"), o.out());
    }

    @Test
    void baselineAgainstItselfPasses() {
        assertEquals(0, compare(fixture("baseline.json"), fixture("baseline.json")).status());
    }

    @Test
    void plantedThirtyPercentRegressionFails() {
        Outcome o = compare(fixture("baseline.json"), fixture("regressed.json"));
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("| GemmBenchmark.gemm | precision=f32 shape=256 threads=1 trans=NN |") && o.out().contains("| 0.700 | **REGRESSION** |"),
                o.out());
        assertTrue(o.out().contains("1 regression(s)"), o.out());
    }

    @Test
    void thresholdAboveTheDropLetsItPass() {
        assertEquals(0, compare(fixture("baseline.json"), fixture("regressed.json"), "--threshold", "35%").status());
        assertEquals(1, compare(fixture("baseline.json"), fixture("regressed.json"), "--threshold=25%").status());
        assertEquals(1, compare(fixture("baseline.json"), fixture("regressed.json"), "--threshold", "0.25").status());
    }

    @Test
    void slowerWithinErrorBarsIsNotARegression() {
        Outcome o = compare(fixture("baseline.json"), fixture("noisy-slower.json"));
        assertEquals(0, o.status(), o.out());
        assertTrue(o.out().contains("slower, within error bars"), o.out());
    }

    @Test
    void slowerMachineFailsAbsoluteButPassesNormalized() {
        assertEquals(1, compare(fixture("baseline.json"), fixture("other-machine.json")).status());
        Outcome o = compare(fixture("baseline.json"), fixture("other-machine.json"), "--normalized");
        assertEquals(0, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("normalized"), o.out());
    }

    @Test
    void normalizedStillCatchesARealRegressionOnAnotherMachine() {
        Outcome o = compare(fixture("baseline.json"), fixture("other-machine-regressed.json"), "--normalized");
        assertEquals(1, o.status(), o.out() + o.err());
        assertTrue(o.out().contains("| GemmBenchmark.gemm | precision=f32 shape=256 threads=1 trans=NN |"), o.out());
    }

    @Test
    void normalizedWithoutLimitsIsUnusableInput() {
        Outcome o = compare(fixture("baseline.json"), fixture("no-limits.json"), "--normalized");
        assertEquals(2, o.status());
        assertTrue(o.err().contains("machine limits"), o.err());
    }

    @Test
    void garbageAndMissingInputExitTwoWithAMessage() {
        Outcome g = compare(fixture("baseline.json"), fixture("garbage.json"));
        assertEquals(2, g.status());
        assertTrue(g.err().contains("garbage.json") && g.err().contains("not valid JSON"), g.err());

        Outcome n = compare(fixture("not-jmh.json"), fixture("baseline.json"));
        assertEquals(2, n.status());
        assertTrue(n.err().contains("not a JMH result file"), n.err());

        Outcome m = compare(fixture("baseline.json"), "/nonexistent/current.json");
        assertEquals(2, m.status());
        assertTrue(m.err().contains("/nonexistent/current.json") && m.err().contains("no such file"), m.err());
    }

    @Test
    void badArgumentsExitTwo() {
        assertEquals(2, compare(fixture("baseline.json")).status());
        assertEquals(2, compare(fixture("baseline.json"), fixture("baseline.json"), "--threshold", "lots").status());
        assertEquals(2, compare(fixture("baseline.json"), fixture("baseline.json"), "--bogus").status());
    }

    @Test
    void thresholdParsing() {
        assertEquals(0.10, Compare.parseThreshold("10%"), 1e-12);
        assertEquals(0.05, Compare.parseThreshold("0.05"), 1e-12);
        assertTrue(Double.isNaN(Compare.parseThreshold("150%")));
        assertTrue(Double.isNaN(Compare.parseThreshold("-1%")));
        assertTrue(Double.isNaN(Compare.parseThreshold(null)));
    }
}
