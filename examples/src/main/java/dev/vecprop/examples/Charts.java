package dev.vecprop.examples;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The PNG charts of the CLI, drawn off-screen with JFreeChart. */
final class Charts {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 520;
    private static final Color LOSS = new Color(0xC0392B);
    private static final Color ACCURACY = new Color(0x2471A3);

    private Charts() {
    }

    /**
     * Training loss (left axis) and test accuracy in percent (right axis) per epoch.
     *
     * @param loss mean training loss of epoch {@code i + 1} at index {@code i}
     * @param accuracy test accuracy in [0, 1] after epoch {@code i + 1}
     */
    static void trainingCurve(Path png, String title, double[] loss, double[] accuracy) throws IOException {
        XYSeries lossSeries = new XYSeries("training loss (mean per epoch)");
        XYSeries accSeries = new XYSeries("test accuracy (%)");
        for (int i = 0; i < loss.length; i++) {
            lossSeries.add(i + 1, loss[i]);
            accSeries.add(i + 1, 100 * accuracy[i]);
        }
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochs.setAutoRangeIncludesZero(false);
        NumberAxis lossAxis = new NumberAxis("training loss (cross-entropy)");
        lossAxis.setAutoRangeIncludesZero(true);
        NumberAxis accAxis = new NumberAxis("test accuracy (%)");
        accAxis.setAutoRangeIncludesZero(false);

        XYPlot plot = new XYPlot(new XYSeriesCollection(lossSeries), epochs, lossAxis, renderer(LOSS));
        plot.setRangeAxis(1, accAxis);
        plot.setDataset(1, new XYSeriesCollection(accSeries));
        plot.mapDatasetToRangeAxis(1, 1);
        plot.setRenderer(1, renderer(ACCURACY));
        lossAxis.setLabelPaint(LOSS);
        accAxis.setLabelPaint(ACCURACY);
        save(png, chart(title, plot));
    }

    /**
     * Gradient norm per layer on a logarithmic axis, one line per named series (e.g. "at initialization").
     * Zero norms have no place on a log axis and are left out.
     */
    static void gradientNorms(Path png, String title, Map<String, double[]> series) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[]> e : new LinkedHashMap<>(series).entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            double[] norms = e.getValue();
            for (int i = 0; i < norms.length; i++) {
                if (norms[i] > 0 && Double.isFinite(norms[i])) {
                    s.add(i + 1, norms[i]);
                }
            }
            data.addSeries(s);
        }
        NumberAxis layers = new NumberAxis("layer (1 = next to the input)");
        layers.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        int most = 1;
        for (double[] norms : series.values()) {
            most = Math.max(most, norms.length);
        }
        layers.setRange(0.5, most + 0.5);
        LogAxis norm = new LogAxis("gradient norm of the layer's weights (log scale)");
        norm.setSmallestValue(1e-30);
        // ticks at whole powers of ten (LogAxis tick units count exponents)
        norm.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Color[] colors = {ACCURACY, LOSS, new Color(0x1E8449), new Color(0x7D3C98)};
        for (int i = 0; i < data.getSeriesCount(); i++) {
            r.setSeriesPaint(i, colors[i % colors.length]);
            r.setSeriesStroke(i, new BasicStroke(2f));
        }
        save(png, chart(title, new XYPlot(data, layers, norm, r)));
    }

    private static XYLineAndShapeRenderer renderer(Color color) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        r.setSeriesPaint(0, color);
        r.setSeriesStroke(0, new BasicStroke(2.5f));
        return r;
    }

    private static JFreeChart chart(String title, XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Writes to a temporary file beside the target, then renames: never a half-written PNG. */
    private static void save(Path png, JFreeChart chart) throws IOException {
        Path abs = png.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        // not Files.createTempFile: its 0600 mode would survive the rename; a plain new file gets the umask's
        Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            ChartUtils.saveChartAsPNG(tmp.toFile(), chart, WIDTH, HEIGHT);
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
