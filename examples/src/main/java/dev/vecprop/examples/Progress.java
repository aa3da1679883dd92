package dev.vecprop.examples;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Training progress for people: on an interactive terminal a bar redrawn in place (samples/s, running loss,
 * ETA), otherwise one plain line per epoch, so logs and pipes stay readable.
 */
final class Progress {
    private static final int BAR = 28;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter out;
    private final boolean interactive;
    private final int epochs;
    private final int samplesPerEpoch;
    private int epoch;
    private long epochStart;
    private long lastDraw;
    private int lastWidth;

    Progress(PrintWriter out, boolean interactive, int epochs, int samplesPerEpoch) {
        this.out = out;
        this.interactive = interactive;
        this.epochs = epochs;
        this.samplesPerEpoch = samplesPerEpoch;
    }

    void startEpoch(int epoch) {
        this.epoch = epoch;
        epochStart = System.nanoTime();
        lastDraw = 0;
    }

    /** After each step: {@code done} samples of this epoch seen so far, the mean loss over them. */
    void step(int done, double runningLoss) {
        if (!interactive) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDraw < REDRAW_NANOS && done < samplesPerEpoch) {
            return;
        }
        lastDraw = now;
        double seconds = (now - epochStart) / 1e9;
        double rate = seconds > 0 ? done / seconds : 0;
        double eta = rate > 0 ? (samplesPerEpoch - done) / rate : 0;
        int filled = (int) ((long) BAR * done / Math.max(1, samplesPerEpoch));
        String line = String.format(Locale.ROOT, "epoch %d/%d [%s%s] %3d%% %,d/%,d  %,.0f samples/s  loss %.4f  ETA %s",
                epoch, epochs, "#".repeat(filled), ".".repeat(BAR - filled),
                (int) (100L * done / Math.max(1, samplesPerEpoch)), done, samplesPerEpoch, rate, runningLoss,
                duration(eta));
        draw(line);
    }

    /** At the end of an epoch: replaces the bar with the epoch's summary line. */
    void endEpoch(double trainLoss, double testAccuracy, double seconds) {
        String line = String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  test accuracy %.2f%%  %.1f s  %,.0f samples/s",
                epoch, epochs, trainLoss, 100 * testAccuracy, seconds, samplesPerEpoch / Math.max(seconds, 1e-9));
        if (interactive) {
            draw(line);
            out.println();
            lastWidth = 0;
        } else {
            out.println(line);
        }
        out.flush();
    }

    private void draw(String line) {
        // pad with spaces so a shorter line fully covers the previous one
        int pad = Math.max(0, lastWidth - line.length());
        out.print("\r" + line + " ".repeat(pad));
        out.flush();
        lastWidth = line.length();
    }

    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
}
