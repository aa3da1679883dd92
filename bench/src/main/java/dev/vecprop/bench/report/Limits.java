package dev.vecprop.bench.report;

import java.util.List;

/**
 * The machine limits measured in one run by {@code MachineLimitsBenchmark}: single-thread FMA peak
 * (flop/s, float and double) and single-thread copy bandwidth (bytes read + written per second). Each is
 * {@code {value, error}}, or null when the run did not measure it.
 */
public record Limits(double[] peakFloat, double[] peakDouble, double[] copyBandwidth) {

    public static Limits of(List<Result> results) {
        double[] pf = null;
        double[] pd = null;
        double[] bw = null;
        for (Result r : results) {
            if (!r.isLimit()) {
                continue;
            }
            switch (r.method()) {
                case "fmaPeakFloat" -> pf = r.secondary().get("flops");
                case "fmaPeakDouble" -> pd = r.secondary().get("flops");
                case "copyBandwidth" -> bw = r.secondary().get("bytes");
                default -> { }
            }
        }
        return new Limits(pf, pd, bw);
    }

    /** Single-thread FMA peak for the precision ("float"/"double"), or null. */
    public double[] peak(String dtype) {
        return switch (dtype) {
            case "float" -> peakFloat;
            case "double" -> peakDouble;
            default -> null;
        };
    }

    /**
     * A result as a fraction of its limit, {@code {fraction, relative error}}, or null when there is no limit
     * for it: GEMM as GFLOPS over (threads × single-thread peak); anything else as its rate over the copy
     * bandwidth (a unitless but machine-independent-ish figure, only used to compare runs with each other).
     * The relative error adds the result's and the limit's relative errors (wider bars, fewer false alarms).
     */
    public double[] normalize(Result r) {
        if (r.isLimit() || r.rate() <= 0) {
            return null;
        }
        if (r.gemmShape() != null) {
            double[] p = peak(r.dtype());
            if (p == null || p[0] <= 0) {
                return null;
            }
            double flops = r.gflops() * 1e9;
            return new double[] {flops / (r.threads() * p[0]), r.rateError() / r.rate() + p[1] / p[0]};
        }
        if (copyBandwidth == null || copyBandwidth[0] <= 0) {
            return null;
        }
        return new double[] {r.rate() / copyBandwidth[0], r.rateError() / r.rate() + copyBandwidth[1] / copyBandwidth[0]};
    }
}
