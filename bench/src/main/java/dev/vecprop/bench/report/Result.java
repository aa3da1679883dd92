package dev.vecprop.bench.report;

import dev.vecprop.bench.GemmShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One benchmark result, read from a JMH {@code -rf json} file (or numpy_reference.py's file of the same
 * form), with its score turned into a rate: operations per second, whatever mode and unit JMH used.
 *
 * @param benchmark  the full benchmark name, {@code package.Class.method}
 * @param params     JMH parameters, sorted by name
 * @param rate       operations per second
 * @param rateError  the 99.9% half-width JMH reports, as a rate (0 when JMH gave none)
 * @param secondary  secondary metrics (aux counters, profilers) as rates or raw values, by name
 * @param bytesPerOp allocation per operation from {@code -prof gc}, NaN when not profiled
 */
public record Result(String benchmark, Map<String, String> params, double rate, double rateError,
                     Map<String, double[]> secondary, double bytesPerOp) {

    /** Reads a JMH JSON result file. Throws {@link IOException} if unreadable, IllegalArgumentException if malformed. */
    public static List<Result> load(Path file) throws IOException {
        String text = Files.readString(file);
        Object root;
        try {
            root = Json.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (!(root instanceof List<?> list)) {
            throw new IllegalArgumentException(file + ": not a JMH result file (expected a JSON array of results)");
        }
        List<Result> out = new ArrayList<>();
        for (Object o : list) {
            out.add(parse(file, o));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Result parse(Path file, Object o) {
        if (!(o instanceof Map<?, ?> m) || !(m.get("benchmark") instanceof String name)
                || !(m.get("primaryMetric") instanceof Map<?, ?> pm)) {
            throw new IllegalArgumentException(file + ": not a JMH result file (an entry lacks benchmark/primaryMetric)");
        }
        String mode = m.get("mode") instanceof String s ? s : "thrpt";
        Map<String, String> params = new TreeMap<>();
        if (m.get("params") instanceof Map<?, ?> pmap) {
            for (Map.Entry<?, ?> e : pmap.entrySet()) {
                params.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        double[] primary = metric(file, name, (Map<String, Object>) pm, mode);
        Map<String, double[]> secondary = new TreeMap<>();
        double bytesPerOp = Double.NaN;
        if (m.get("secondaryMetrics") instanceof Map<?, ?> sm) {
            for (Map.Entry<?, ?> e : sm.entrySet()) {
                if (e.getValue() instanceof Map<?, ?> metricMap) {
                    Map<String, Object> mm = (Map<String, Object>) metricMap;
                    String key = String.valueOf(e.getKey());
                    double score = Json.number(mm.get("score"));
                    double err = Json.number(mm.get("scoreError"));
                    secondary.put(key, new double[] {score, Double.isNaN(err) ? 0 : err});
                    if (key.equals("gc.alloc.rate.norm")) {
                        bytesPerOp = score;
                    }
                }
            }
        }
        return new Result(name, params, primary[0], primary[1], secondary, bytesPerOp);
    }

    /** Score and error as operations per second. */
    private static double[] metric(Path file, String name, Map<String, Object> pm, String mode) {
        double score = Json.number(pm.get("score"));
        double err = Json.number(pm.get("scoreError"));
        if (Double.isNaN(err)) {
            err = 0;
        }
        String unit = pm.get("scoreUnit") instanceof String u ? u : "ops/s";
        if (Double.isNaN(score)) {
            throw new IllegalArgumentException(file + ": " + name + " has no numeric score");
        }
        if (unit.startsWith("ops/")) {
            double per = seconds(unit.substring(4));
            if (!Double.isNaN(per)) {
                return new double[] {score / per, err / per};
            }
        } else if (unit.endsWith("/op")) {
            double per = seconds(unit.substring(0, unit.length() - 3));
            if (!Double.isNaN(per)) {
                double rate = 1.0 / (score * per);
                return new double[] {rate, rate * (err / score)};
            }
        }
        throw new IllegalArgumentException(file + ": " + name + " has an unknown score unit '" + unit
                + "' (mode " + mode + ")");
    }

    private static double seconds(String unit) {
        return switch (unit) {
            case "s" -> 1;
            case "ms" -> 1e-3;
            case "us" -> 1e-6;
            case "ns" -> 1e-9;
            case "min" -> 60;
            default -> Double.NaN;
        };
    }

    /** {@code Class.method}, without the package. */
    public String shortName() {
        int dot = benchmark.lastIndexOf('.');
        int prev = dot > 0 ? benchmark.lastIndexOf('.', dot - 1) : -1;
        return benchmark.substring(prev + 1);
    }

    public String className() {
        String s = shortName();
        int dot = s.indexOf('.');
        return dot < 0 ? s : s.substring(0, dot);
    }

    public String method() {
        String s = shortName();
        return s.substring(s.indexOf('.') + 1);
    }

    /** Benchmark name plus its parameters: the identity used to line up two runs. */
    public String key() {
        return params.isEmpty() ? benchmark : benchmark + " " + params;
    }

    public String paramsText() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    // ---- what one operation is worth ----

    /** True for the machine-limit benchmarks (FMA peak, copy bandwidth). */
    public boolean isLimit() {
        return className().equals("MachineLimitsBenchmark");
    }

    /** The GEMM problem this result measured, or null if it is not a GEMM benchmark. */
    public GemmShape gemmShape() {
        try {
            String shape = params.get("shape");
            if (shape != null && isGemm()) {
                return GemmShape.of(shape, params.getOrDefault("trans", "NN"));
            }
            // GemmBenchmark's first form: a square size n and the precision in the method name.
            String n = params.get("n");
            String meth = method();
            if (n != null && (meth.equals("sgemm") || meth.equals("dgemm"))) {
                return GemmShape.of(n, "NN");
            }
        } catch (IllegalArgumentException e) {
            return null;
        }
        return null;
    }

    private boolean isGemm() {
        return className().contains("Gemm") || benchmark.startsWith("numpy.OpenBLAS.gemm");
    }

    /** "float" or "double" (from the precision or dtype parameter, else the method name), or "" when unknown. */
    public String dtype() {
        String d = params.containsKey("precision") ? params.get("precision") : params.get("dtype");
        if (d != null) {
            return switch (d) {
                case "f32", "float", "F32" -> "float";
                case "f64", "double", "F64" -> "double";
                default -> d;
            };
        }
        String meth = method().toLowerCase();
        if (meth.startsWith("sgemm") || meth.contains("float") || meth.contains("f32")) {
            return "float";
        }
        if (meth.startsWith("dgemm") || meth.contains("double") || meth.contains("f64")) {
            return "double";
        }
        return "";
    }

    public int threads() {
        String t = params.get("threads");
        if (t != null && t.matches("\\d+")) {
            return Integer.parseInt(t);
        }
        return 1;
    }

    /** GFLOPS of a GEMM result (NaN if not GEMM). */
    public double gflops() {
        GemmShape s = gemmShape();
        return s == null ? Double.NaN : rate * s.flops() / 1e9;
    }

    public double gflopsError() {
        GemmShape s = gemmShape();
        return s == null ? Double.NaN : rateError * s.flops() / 1e9;
    }

    /** The peer or library this result measured: "vecprop" for vecprop's own GEMM benchmark. */
    public String implementation() {
        String cls = className();
        if (benchmark.startsWith("numpy.")) {
            return benchmark.startsWith("numpy.MLP") ? "numpy" : "OpenBLAS (numpy)";
        }
        return switch (cls) {
            case "GemmBenchmark", "TrainStepBenchmark", "LayerBenchmark" -> "vecprop";
            case "NaiveGemmBenchmark" -> "naive i-k-j";
            case "EjmlGemmBenchmark" -> "EJML";
            case "NetlibVectorGemmBenchmark" -> "netlib VectorBLAS";
            case "NetlibJavaGemmBenchmark" -> "netlib JavaBLAS";
            default -> cls.endsWith("Benchmark") ? cls.substring(0, cls.length() - "Benchmark".length()) : cls;
        };
    }
}
