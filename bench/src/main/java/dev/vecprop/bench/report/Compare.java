package dev.vecprop.bench.report;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code compare BASELINE.json CURRENT.json [--threshold 10%] [--normalized]}: lines up two JMH result files
 * benchmark by benchmark (name + parameters) and prints the speed ratio current/baseline of each.
 *
 * <p>A benchmark is a <b>regression</b> when it is slower than its baseline by more than the threshold
 * <em>and</em> the two runs' error bars do not overlap (current score + its error below baseline score − its
 * error). Both are needed on noisy machines: the threshold ignores small real changes, the error bars ignore
 * big but unsteady ones.
 *
 * <p>{@code --normalized} compares each score as a fraction of its own run's machine limits (GEMM: of the
 * FMA peak of its precision; anything else: relative to the copy bandwidth), so a baseline recorded on one
 * machine can judge a run on another. Both files must then contain the {@code MachineLimitsBenchmark} results.
 *
 * <p>Exit status: 0 no regression, 1 at least one regression, 2 unusable input or arguments (with a message).
 */
public final class Compare {
    private Compare() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the comparison; returns the exit status instead of exiting (for tests). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        double threshold = 0.10;
        boolean normalized = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--normalized")) {
                normalized = true;
            } else if (a.equals("--threshold") || a.startsWith("--threshold=")) {
                String v = a.contains("=") ? a.substring(a.indexOf('=') + 1) : (i + 1 < args.length ? args[++i] : null);
                threshold = parseThreshold(v);
                if (Double.isNaN(threshold)) {
                    err.println("compare: --threshold wants a percentage such as 10% (or a fraction such as 0.1), got '" + v + "'");
                    return 2;
                }
            } else if (a.equals("-h") || a.equals("--help")) {
                out.println(usage());
                return 0;
            } else if (a.startsWith("--")) {
                err.println("compare: unknown option '" + a + "'\n" + usage());
                return 2;
            } else {
                files.add(a);
            }
        }
        if (files.size() != 2) {
            err.println("compare: need exactly two result files, got " + files.size() + "\n" + usage());
            return 2;
        }
        List<Result> base;
        List<Result> cur;
        try {
            base = read(files.get(0), "baseline");
            cur = read(files.get(1), "current");
        } catch (IllegalArgumentException e) {
            err.println("compare: " + e.getMessage());
            return 2;
        }
        Limits baseLimits = Limits.of(base);
        Limits curLimits = Limits.of(cur);
        if (normalized) {
            String missing = missingLimits(baseLimits, "baseline " + files.get(0));
            if (missing == null) {
                missing = missingLimits(curLimits, "current " + files.get(1));
            }
            if (missing != null) {
                err.println("compare: --normalized needs the machine limits in both runs: " + missing
                        + " (run MachineLimitsBenchmark in the same JMH run)");
                return 2;
            }
        }
        Map<String, Result> baseByKey = index(base);
        Map<String, Result> curByKey = index(cur);

        out.printf(Locale.ROOT, "compare: baseline %s, current %s, threshold %.0f%%%s%n", files.get(0), files.get(1),
                threshold * 100, normalized ? ", normalized to each run's machine limits" : "");
        out.println();
        out.println("| benchmark | params | baseline | current | ratio | verdict |");
        out.println("|---|---|---:|---:|---:|---|");
        int regressions = 0;
        int compared = 0;
        for (Map.Entry<String, Result> e : baseByKey.entrySet()) {
            Result b = e.getValue();
            Result c = curByKey.get(e.getKey());
            if (c == null) {
                out.printf("| %s | %s | | | | only in baseline |%n", b.shortName(), b.paramsText());
                continue;
            }
            double bv;
            double be;
            double cv;
            double ce;
            if (normalized) {
                if (b.isLimit()) {
                    continue; // a limit normalized by itself is 1: nothing to compare
                }
                double[] bn = baseLimits.normalize(b);
                double[] cn = curLimits.normalize(c);
                if (bn == null || cn == null) {
                    out.printf("| %s | %s | | | | no limit to normalize by |%n", b.shortName(), b.paramsText());
                    continue;
                }
                bv = bn[0];
                be = bn[0] * bn[1];
                cv = cn[0];
                ce = cn[0] * cn[1];
            } else {
                bv = b.rate();
                be = b.rateError();
                cv = c.rate();
                ce = c.rateError();
            }
            compared++;
            double ratio = cv / bv;
            boolean slower = ratio < 1 - threshold;
            boolean beyondNoise = cv + ce < bv - be;
            String verdict;
            if (slower && beyondNoise) {
                verdict = "**REGRESSION**";
                regressions++;
            } else if (slower) {
                verdict = "slower, within error bars";
            } else if (ratio > 1 + threshold && cv - ce > bv + be) {
                verdict = "faster";
            } else {
                verdict = "ok";
            }
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %.3f | %s |%n", b.shortName(), b.paramsText(),
                    fmt(bv, be, normalized), fmt(cv, ce, normalized), ratio, verdict);
        }
        for (Map.Entry<String, Result> e : curByKey.entrySet()) {
            if (!baseByKey.containsKey(e.getKey())) {
                Result c = e.getValue();
                out.printf("| %s | %s | | | | only in current |%n", c.shortName(), c.paramsText());
            }
        }
        out.println();
        if (compared == 0) {
            err.println("compare: the two files have no benchmark in common (same names and parameters): nothing compared");
            return 2;
        }
        out.printf("compare: %d benchmark(s) compared, %d regression(s)%n", compared, regressions);
        return regressions > 0 ? 1 : 0;
    }

    static String usage() {
        return "usage: compare BASELINE.json CURRENT.json [--threshold 10%] [--normalized]\n"
                + "  exit 0: no regression; 1: a benchmark is slower than baseline by more than the threshold\n"
                + "  and beyond both runs' error bars; 2: unreadable input or bad arguments";
    }

    /** "10%" → 0.10, "0.1" → 0.10; NaN when unparsable or outside [0, 1). */
    static double parseThreshold(String v) {
        if (v == null) {
            return Double.NaN;
        }
        try {
            double t = v.endsWith("%") ? Double.parseDouble(v.substring(0, v.length() - 1)) / 100 : Double.parseDouble(v);
            return t >= 0 && t < 1 ? t : Double.NaN;
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static List<Result> read(String file, String role) {
        try {
            List<Result> r = Result.load(Path.of(file));
            if (r.isEmpty()) {
                throw new IllegalArgumentException(role + " file " + file + " holds no results");
            }
            return r;
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("cannot read " + role + " file " + file + ": no such file");
        } catch (IllegalArgumentException e) {
            // Result.load's messages start with the file name
            throw new IllegalArgumentException("cannot use " + role + " file " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            String msg = e.getMessage();
            throw new IllegalArgumentException("cannot read " + role + " file " + file + ": "
                    + (msg == null ? e.toString() : msg), e);
        }
    }

    private static String missingLimits(Limits l, String which) {
        if (l.copyBandwidth() == null && l.peakFloat() == null && l.peakDouble() == null) {
            return which + " has no MachineLimitsBenchmark results";
        }
        return null;
    }

    private static Map<String, Result> index(List<Result> results) {
        Map<String, Result> m = new LinkedHashMap<>();
        for (Result r : results) {
            m.put(r.key(), r);
        }
        return m;
    }

    private static String fmt(double v, double e, boolean normalized) {
        if (normalized) {
            return String.format(Locale.ROOT, "%.4f ± %.4f", v, e);
        }
        return Report.num(v) + " ± " + Report.num(e) + " ops/s";
    }
}
