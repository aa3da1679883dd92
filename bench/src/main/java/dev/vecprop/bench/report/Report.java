package dev.vecprop.bench.report;

import dev.vecprop.bench.GemmShape;
import dev.vecprop.kernels.Vectorization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a JMH JSON result file (plus, when present, numpy_reference.py's file of the same form) into
 * {@code report.md} — machine limits, a GEMM table of GFLOPS per implementation with vecprop's fraction of
 * peak and its ratio to each peer, and every result with its derived rate, fraction of the machine limit and
 * B/op — and {@code gemm.png}, GFLOPS against size for the square problems.
 *
 * <p>{@code Report --jmh FILE --out DIR [--numpy FILE] [--command TEXT]}
 */
public final class Report {
    private Report() {
    }

    public static void main(String[] args) throws IOException {
        Path jmh = null;
        Path numpy = null;
        Path outDir = null;
        String command = "";
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--jmh" -> { jmh = Path.of(need(a, v)); i++; }
                case "--numpy" -> { numpy = Path.of(need(a, v)); i++; }
                case "--out" -> { outDir = Path.of(need(a, v)); i++; }
                case "--command" -> { command = need(a, v); i++; }
                default -> fail("unknown argument '" + a + "'");
            }
        }
        if (jmh == null || outDir == null) {
            fail("usage: Report --jmh FILE --out DIR [--numpy FILE] [--command TEXT]");
        }
        List<Result> results;
        try {
            results = Result.load(jmh);
        } catch (IOException | IllegalArgumentException e) {
            fail("cannot read " + jmh + ": " + e.getMessage());
            return;
        }
        String numpyNote = null;
        List<Result> numpyResults = List.of();
        if (numpy == null) {
            numpyNote = "not run";
        } else if (!Files.exists(numpy)) {
            numpyNote = "not measured (" + numpy.getFileName() + " missing: python3 not found?)";
        } else {
            try {
                numpyResults = Result.load(numpy);
                if (numpyResults.isEmpty()) {
                    numpyNote = "not measured (numpy.json is empty: bench/run --no-numpy, or python3 without numpy; see numpy.log)";
                }
            } catch (IOException | IllegalArgumentException e) {
                numpyNote = "unreadable (" + e.getMessage() + ")";
            }
        }
        Files.createDirectories(outDir);
        String md = markdown(results, numpyResults, numpyNote, command, jmhJvm(jmh));
        Files.writeString(outDir.resolve("report.md"), md);
        List<Result> all = new ArrayList<>(results);
        all.addAll(numpyResults);
        boolean drew = GemmChart.write(all, "float", outDir.resolve("gemm.png"));
        GemmChart.write(all, "double", outDir.resolve("gemm-double.png"));
        System.out.println("report: wrote " + outDir.resolve("report.md") + (drew ? " and gemm.png" : " (no square GEMM results: no chart)"));
    }

    private static String need(String opt, String v) {
        if (v == null) {
            fail(opt + " needs a value");
        }
        return v;
    }

    private static void fail(String msg) {
        System.err.println("report: " + msg);
        System.exit(2);
    }

    /** The JVM JMH ran, as recorded in its result file. */
    private static String jmhJvm(Path jmh) {
        try {
            Object root = Json.parse(Files.readString(jmh));
            if (root instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map<?, ?> m) {
                return m.get("vmName") + " " + m.get("vmVersion") + " (JDK " + m.get("jdkVersion") + "), JMH "
                        + m.get("jmhVersion") + ", forks " + dbl(m.get("forks")) + ", warmup "
                        + dbl(m.get("warmupIterations")) + "×" + m.get("warmupTime") + ", measurement "
                        + dbl(m.get("measurementIterations")) + "×" + m.get("measurementTime");
            }
        } catch (IOException | RuntimeException e) {
            // the file was read once already; this is only decoration
        }
        return "unknown";
    }

    private static String dbl(Object o) {
        return o instanceof Double d ? String.valueOf(d.intValue()) : String.valueOf(o);
    }

    /** The whole report as markdown. */
    public static String markdown(List<Result> results, List<Result> numpy, String numpyNote, String command,
                                  String jvm) {
        Limits limits = Limits.of(results);
        StringBuilder b = new StringBuilder();
        b.append("# vecprop benchmark report\n\n");
        b.append("- date: ").append(java.time.ZonedDateTime.now().withNano(0)).append('\n');
        b.append("- machine: ").append(cpuModel()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores visible\n");
        b.append("- JVM: ").append(jvm).append('\n');
        b.append("- vecprop: ").append(describeVecprop()).append('\n');
        if (!command.isEmpty()) {
            b.append("- command: `").append(command).append("`\n");
        }
        b.append("- OpenBLAS via numpy: ").append(numpyNote == null ? numpyConfig(numpy) : numpyNote).append('\n');
        b.append("\nScores are JMH means ± the 99.9% half-width. Absolute figures from a shared or busy machine are "
                + "noisy: read the ratios inside this run (to a peer, to the machine's limits measured in the same "
                + "run) rather than the absolute numbers.\n");

        b.append("\n## Machine limits (single thread, this run)\n\n");
        b.append("| limit | value |\n|---|---:|\n");
        b.append("| JVM FMA peak, float | ").append(limit(limits.peakFloat(), 1e9, "GFLOPS")).append(" |\n");
        b.append("| JVM FMA peak, double | ").append(limit(limits.peakDouble(), 1e9, "GFLOPS")).append(" |\n");
        b.append("| copy bandwidth (read + write) | ").append(limit(limits.copyBandwidth(), 1e9, "GB/s")).append(" |\n");

        warnings(b, results);
        gemmTable(b, results, numpy, limits);
        trainingTable(b, results, numpy);
        elementwiseTable(b, results, limits);
        allTable(b, results, numpy, limits);
        return b.toString();
    }

    /**
     * vecprop promises no allocation in steady state, and a Vector API loop that allocates is one C2 has not
     * compiled yet (vectors boxed in the interpreter): either way the figure is not a steady-state one. The
     * bar is 64 KiB/op, well above what JMH's own bookkeeping adds to slow benchmarks (a few KiB/op).
     */
    private static void warnings(StringBuilder b, List<Result> results) {
        List<String> w = new ArrayList<>();
        for (Result r : results) {
            boolean ours = r.implementation().equals("vecprop") || r.isLimit()
                    || (!r.benchmark().startsWith("numpy.") && !r.className().matches(".*(Naive|Ejml|Netlib).*"));
            if (ours && r.bytesPerOp() > 65536) {
                w.add("- `" + r.shortName() + "` " + r.paramsText() + " allocated " + num(r.bytesPerOp())
                        + " B/op: not steady state (allocation in a hot path, or C2 had not compiled the vector code "
                        + "yet: lengthen the warm-up)");
            }
        }
        Limits limits = Limits.of(results);
        for (Result r : results) {
            double[] f = r.gemmShape() == null ? null : limits.normalize(r);
            if (f != null && f[0] > 1) {
                w.add("- `" + r.shortName() + "` " + r.paramsText() + " reached " + String.format(Locale.ROOT, "%.0f%%",
                        100 * f[0]) + " of the FMA peak measured in this run: the peak was measured while the machine "
                        + "was busier, so fractions of peak in this run are unreliable");
                break;
            }
        }
        if (!w.isEmpty()) {
            b.append("\n## Warnings\n\n");
            for (String s : w) {
                b.append(s).append('\n');
            }
        }
    }

    private static String limit(double[] v, double scale, String unit) {
        if (v == null) {
            return "not measured";
        }
        return String.format(Locale.ROOT, "%.1f ± %.1f %s", v[0] / scale, v[1] / scale, unit);
    }

    /** One row per (problem, precision); one GFLOPS column per implementation and thread count. */
    private static void gemmTable(StringBuilder b, List<Result> results, List<Result> numpy, Limits limits) {
        List<Result> gemm = new ArrayList<>();
        for (Result r : results) {
            if (r.gemmShape() != null) {
                gemm.add(r);
            }
        }
        for (Result r : numpy) {
            if (r.gemmShape() != null) {
                gemm.add(r);
            }
        }
        b.append("\n## GEMM (GFLOPS, higher is better)\n\n");
        if (gemm.isEmpty()) {
            b.append("No GEMM results in this run.\n");
            return;
        }
        b.append("Problem `shape/trans`: shape `n` is n×n×n, `MxKxN` is C(M×N) = op(A)(M×K)·op(B)(K×N); trans "
                + "gives the transpose flags of A and B. "
                + "`% peak` is vecprop's GFLOPS over threads × the single-thread FMA peak of the same precision. "
                + "`vecprop / X` > 1 means vecprop is faster than X.\n\n");
        Set<String> columns = new LinkedHashSet<>();
        Map<String, Map<String, Result>> rows = new TreeMap<>(ROW_ORDER);
        gemm.sort(Comparator.comparing(Report::column, IMPL_ORDER));
        for (Result r : gemm) {
            String col = column(r);
            columns.add(col);
            rows.computeIfAbsent(r.gemmShape() + " " + r.dtype(), k -> new LinkedHashMap<>()).put(col, r);
        }
        List<String> peers = new ArrayList<>();
        for (String c : columns) {
            if (!c.startsWith("vecprop")) {
                peers.add(c);
            }
        }
        boolean hasVecprop = columns.contains("vecprop");
        b.append("| problem | dtype |");
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
        }
        if (hasVecprop) {
            b.append(" vecprop % peak |");
            for (String p : peers) {
                b.append(" vecprop / ").append(p).append(" |");
            }
        }
        b.append("\n|---|---|");
        b.append("---:|".repeat(columns.size() + (hasVecprop ? 1 + peers.size() : 0)));
        b.append('\n');
        for (Map.Entry<String, Map<String, Result>> row : rows.entrySet()) {
            String[] kd = row.getKey().split(" ");
            b.append("| ").append(kd[0]).append(" | ").append(kd[1]).append(" |");
            Map<String, Result> cells = row.getValue();
            for (String c : columns) {
                Result r = cells.get(c);
                b.append(' ').append(r == null ? "–" : String.format(Locale.ROOT, "%.2f ± %.2f", r.gflops(), r.gflopsError()))
                        .append(" |");
            }
            if (hasVecprop) {
                Result v = cells.get("vecprop");
                double[] frac = v == null ? null : limits.normalize(v);
                b.append(' ').append(frac == null ? "–" : String.format(Locale.ROOT, "%.1f%%", 100 * frac[0])).append(" |");
                for (String p : peers) {
                    Result pr = cells.get(p);
                    b.append(' ').append(v == null || pr == null ? "–" : String.format(Locale.ROOT, "%.2f", v.rate() / pr.rate()))
                            .append(" |");
                }
            }
            b.append('\n');
        }
        if (!hasVecprop) {
            b.append("\n(vecprop's own GemmBenchmark was not in this run: no ratios.)\n");
        }
    }

    private static final java.util.regex.Pattern PEER_METHOD = java.util.regex.Pattern.compile("(\\w+?)(Vecprop|Scalar|Lanewise)");

    /**
     * Elementwise kernels with peers in the same class (methods {@code <op>Vecprop}, {@code <op>Scalar},
     * {@code <op>Lanewise}, as the elementwise benchmarks name them): one row per op and parameters.
     */
    private static void elementwiseTable(StringBuilder b, List<Result> results, Limits limits) {
        Map<String, Map<String, Result>> rows = new TreeMap<>();
        for (Result r : results) {
            java.util.regex.Matcher m = PEER_METHOD.matcher(r.method());
            if (r.gemmShape() == null && m.matches()) {
                String key = r.className().replace("Benchmark", "") + " | " + m.group(1) + " | " + r.paramsText();
                rows.computeIfAbsent(key, k -> new TreeMap<>()).put(m.group(2), r);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        b.append("\n## Elementwise kernels against their peers (calls/s; higher is better)\n\n");
        b.append("`Scalar`: the plain Java loop (`Math.exp`, `Math.tanh`, …); `Lanewise`: a straightforward Vector API "
                + "loop (`lanewise(EXP/TANH)`). Gelem/s and bandwidth are in the full table below.\n\n");
        b.append("| benchmark | op | params | vecprop | lanewise | scalar | vecprop / lanewise | vecprop / scalar |\n");
        b.append("|---|---|---|---:|---:|---:|---:|---:|\n");
        for (Map.Entry<String, Map<String, Result>> e : rows.entrySet()) {
            Map<String, Result> m = e.getValue();
            b.append("| ").append(e.getKey()).append(" |");
            for (String meth : new String[] {"Vecprop", "Lanewise", "Scalar"}) {
                Result r = m.get(meth);
                b.append(' ').append(r == null ? "–" : num(r.rate())).append(" |");
            }
            Result v = m.get("Vecprop");
            for (String meth : new String[] {"Lanewise", "Scalar"}) {
                Result p = m.get(meth);
                b.append(' ').append(v == null || p == null ? "–" : String.format(Locale.ROOT, "%.2f", v.rate() / p.rate()))
                        .append(" |");
            }
            b.append('\n');
        }
    }

    /** vecprop's MLP training step against numpy's, in samples/s. */
    private static void trainingTable(StringBuilder b, List<Result> results, List<Result> numpy) {
        List<Result> rows = new ArrayList<>();
        for (Result r : results) {
            if (r.className().equals("TrainStepBenchmark")) {
                rows.add(r);
            }
        }
        for (Result r : numpy) {
            if (r.benchmark().equals("numpy.MLP.trainStep")) {
                rows.add(r);
            }
        }
        if (rows.isEmpty()) {
            return;
        }
        b.append("\n## Training step: MLP 784-256-128-10, ReLU, softmax + cross-entropy, Adam (samples/s, higher is better)\n\n");
        b.append("| implementation | precision | batch | samples/s | vs numpy 1T |\n|---|---|---:|---:|---:|\n");
        double numpy1 = Double.NaN;
        for (Result r : rows) {
            if (r.benchmark().startsWith("numpy.") && r.threads() == 1 && r.dtype().equals("float")) {
                numpy1 = r.rate() * batch(r);
            }
        }
        for (Result r : rows) {
            double sps = r.rate() * batch(r);
            b.append("| ").append(column(r)).append(" | ").append(r.dtype()).append(" | ").append(batch(r)).append(" | ")
                    .append(String.format(Locale.ROOT, "%.0f ± %.0f", sps, r.rateError() * batch(r))).append(" | ")
                    .append(Double.isNaN(numpy1) ? "–" : String.format(Locale.ROOT, "%.3f", sps / numpy1)).append(" |\n");
        }
    }

    private static int batch(Result r) {
        String v = r.params().get("batch");
        return v != null && v.matches("\\d+") ? Integer.parseInt(v) : 1;
    }

    /** Column name: implementation, plus the thread count when it is not 1. */
    static String column(Result r) {
        int t = r.threads();
        return t == 1 ? r.implementation() : r.implementation() + " " + t + "T";
    }

    private static final List<String> ORDER = List.of("vecprop", "OpenBLAS (numpy)", "netlib VectorBLAS", "EJML",
            "netlib JavaBLAS", "naive i-k-j");

    private static final Comparator<String> IMPL_ORDER = Comparator.comparingInt((String c) -> {
        for (int i = 0; i < ORDER.size(); i++) {
            if (c.startsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }).thenComparing(Comparator.naturalOrder());

    /** Rows: square problems by size first, then the rest by name; float before double. */
    private static final Comparator<String> ROW_ORDER = Comparator.comparing((String k) -> {
        GemmShape s = GemmShape.parse(k.substring(0, k.indexOf(' ')));
        return s.isSquare() ? 0 : 1;
    }).thenComparingDouble(k -> {
        GemmShape s = GemmShape.parse(k.substring(0, k.indexOf(' ')));
        return s.isSquare() ? s.m() : 0;
    }).thenComparing(Comparator.naturalOrder());

    private static void allTable(StringBuilder b, List<Result> results, List<Result> numpy, Limits limits) {
        b.append("\n## Every result\n\n");
        b.append("Derived rate: GFLOPS for GEMM and the FMA peak, GB/s for copy bandwidth, Gelem/s for kernels with a "
                + "`size` parameter, samples/s for benchmarks with a `batch` parameter. `of limit`: GEMM over "
                + "threads × FMA peak; Gelem/s kernels as bytes moved (as documented by the benchmark, else one read + "
                + "one write per element) over the copy bandwidth. B/op: bytes allocated per operation (`-prof gc`), – when not profiled.\n\n");
        b.append("| benchmark | params | score (ops/s) | derived | of limit | B/op |\n|---|---|---:|---:|---:|---:|\n");
        List<Result> all = new ArrayList<>(results);
        all.addAll(numpy);
        all.sort(Comparator.comparing(Result::shortName));
        for (Result r : all) {
            b.append("| ").append(r.shortName()).append(" | ").append(r.paramsText()).append(" | ")
                    .append(num(r.rate())).append(" ± ").append(num(r.rateError())).append(" | ")
                    .append(derived(r)).append(" | ").append(ofLimit(r, limits)).append(" | ")
                    .append(Double.isNaN(r.bytesPerOp()) ? "–" : num(r.bytesPerOp())).append(" |\n");
        }
    }

    private static String derived(Result r) {
        if (r.isLimit()) {
            double[] f = r.secondary().get("flops");
            double[] by = r.secondary().get("bytes");
            if (r.method().startsWith("fma") && f != null) {
                return String.format(Locale.ROOT, "%.1f GFLOPS", f[0] / 1e9);
            }
            if (by != null) {
                return String.format(Locale.ROOT, "%.1f GB/s", by[0] / 1e9);
            }
        }
        if (r.gemmShape() != null) {
            return String.format(Locale.ROOT, "%.2f GFLOPS", r.gflops());
        }
        long elems = elements(r);
        if (elems > 0) {
            String s = String.format(Locale.ROOT, "%.3f Gelem/s", r.rate() * elems / 1e9);
            int bpe = bytesPerElement(r);
            return bpe > 0 ? s + String.format(Locale.ROOT, ", %.1f GB/s", r.rate() * elems * bpe / 1e9) : s;
        }
        String batch = r.params().get("batch");
        if (batch != null && batch.matches("\\d+")) {
            return String.format(Locale.ROOT, "%.0f samples/s", r.rate() * Long.parseLong(batch));
        }
        return "";
    }

    private static String ofLimit(Result r, Limits limits) {
        if (r.gemmShape() != null) {
            double[] f = limits.normalize(r);
            return f == null ? "–" : String.format(Locale.ROOT, "%.1f%% peak", 100 * f[0]);
        }
        long elems = elements(r);
        double[] bw = limits.copyBandwidth();
        if (elems > 0 && bw != null) {
            int bpe = bytesPerElement(r);
            if (bpe <= 0) {
                bpe = 2 * (r.dtype().equals("double") ? 8 : 4);
            }
            return String.format(Locale.ROOT, "%.0f%% bw", 100 * r.rate() * elems * bpe / bw[0]);
        }
        return "–";
    }

    /** Elements per call: the {@code size} parameter, or {@code n} for a benchmark that is not GEMM; else 0. */
    static long elements(Result r) {
        String v = r.params().get("size");
        if (v == null && r.gemmShape() == null) {
            v = r.params().get("n");
        }
        return v != null && v.matches("\\d+") ? Long.parseLong(v) : 0;
    }

    /**
     * Bytes moved per element (read + written) where the benchmark documents it: ActivationBandwidthBenchmark
     * (float: copy, vectorLoopCopy, relu, biasRelu 8; axpy 12; adam, adamW 28), ReductionBenchmark (sum and
     * squaredNorm 4, dot 8). 0 when unknown (the report then assumes one read and one write).
     */
    static int bytesPerElement(Result r) {
        if (r.className().equals("ReductionBenchmark")) {
            return r.method().startsWith("dot") ? 8 : 4; // read only: sum and squaredNorm one array, dot two
        }
        if (!r.className().equals("ActivationBandwidthBenchmark")) {
            return 0;
        }
        return switch (r.method()) {
            case "copy", "vectorLoopCopy", "relu", "biasRelu" -> 8;
            case "axpy" -> 12;
            case "adam", "adamW" -> 28;
            default -> 0;
        };
    }

    /** A number in 4 significant digits with a k/M/G suffix. */
    public static String num(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        double a = Math.abs(v);
        if (a >= 1e9) {
            return String.format(Locale.ROOT, "%.4gG", v / 1e9);
        }
        if (a >= 1e6) {
            return String.format(Locale.ROOT, "%.4gM", v / 1e6);
        }
        if (a >= 1e4) {
            return String.format(Locale.ROOT, "%.4gk", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.4g", v);
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    private static String describeVecprop() {
        try {
            return Vectorization.describe();
        } catch (Throwable t) {
            return "unknown (" + t + ")";
        }
    }

    private static String numpyConfig(List<Result> numpy) {
        Set<String> cores = new LinkedHashSet<>();
        for (Result r : numpy) {
            String c = r.params().get("openblas");
            if (c != null) {
                cores.add(c);
            }
        }
        return numpy.size() + " results" + (cores.isEmpty() ? "" : ", " + String.join("; ", cores));
    }
}
