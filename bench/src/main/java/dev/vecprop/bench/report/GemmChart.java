package dev.vecprop.bench.report;

import dev.vecprop.bench.GemmShape;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** GFLOPS against matrix size for the square, untransposed GEMM problems: one line per implementation. */
final class GemmChart {
    private GemmChart() {
    }

    /** Distinct colours readable on white (no yellow). */
    private static final Color[] PALETTE = {
        new Color(0xD62728), new Color(0x1F77B4), new Color(0x2CA02C), new Color(0xFF7F0E), new Color(0x9467BD),
        new Color(0x8C564B), new Color(0xE377C2), new Color(0x17BECF), new Color(0x7F7F7F), new Color(0xBCBD22)
    };

    /** Writes the chart for one precision; returns false (and writes nothing) if there is nothing to plot. */
    static boolean write(List<Result> results, String dtype, Path png) throws IOException {
        Map<String, XYSeries> series = new TreeMap<>();
        for (Result r : results) {
            GemmShape s = r.gemmShape();
            if (s == null || !s.isSquare() || s.transA() || s.transB() || !r.dtype().equals(dtype)) {
                continue;
            }
            String name = Report.column(r);
            series.computeIfAbsent(name, n -> new XYSeries(n)).add(s.m(), r.gflops());
        }
        if (series.isEmpty()) {
            return false;
        }
        XYSeriesCollection data = new XYSeriesCollection();
        for (XYSeries s : series.values()) {
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart("GEMM " + dtype + ", C = A·B, n×n (higher is better)",
                "n", "GFLOPS", data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        LogAxis x = new LogAxis("n (log scale)");
        x.setBase(2);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new java.text.DecimalFormat("0"));
        plot.setDomainAxis(x);
        // GFLOPS span two orders of magnitude between the naive loop and a tuned BLAS: log scale on both axes
        LogAxis y = new LogAxis("GFLOPS (log scale)");
        y.setBase(10);
        y.setSmallestValue(0.01);
        y.setTickUnit(new NumberTickUnit(1)); // one tick per power of ten (the unit is in log space)
        // whole decades, so that the labelled ticks 0.1, 1, 10, 100 … frame the data
        double lo = Double.MAX_VALUE;
        double hi = 0;
        for (XYSeries se : series.values()) {
            lo = Math.min(lo, se.getMinY());
            hi = Math.max(hi, se.getMaxY());
        }
        if (lo > 0 && hi > 0) {
            y.setRange(Math.pow(10, Math.floor(Math.log10(lo))), Math.pow(10, Math.ceil(Math.log10(hi))));
        }
        y.setNumberFormatOverride(new java.text.DecimalFormat("0.###"));
        plot.setRangeAxis(y);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean ours = data.getSeriesKey(i).toString().startsWith("vecprop");
            renderer.setSeriesStroke(i, new BasicStroke(ours ? 3.5f : 1.5f));
            renderer.setSeriesPaint(i, ours ? Color.BLACK : PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 900, 560);
        return true;
    }
}
