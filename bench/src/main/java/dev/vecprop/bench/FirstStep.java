package dev.vecprop.bench;

import dev.vecprop.kernels.Vectorization;
import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Adam;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Dataset;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.WarmUp;
import dev.vecprop.nn.Trainer;
import dev.vecprop.nn.TrainingListener;
import dev.vecprop.nn.Loss;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Start-up latency, as an embedding user sees it: the time from "the data are in memory" to the first training
 * step done, for the MLP 784-256-128-10 (ReLU, Adam, batch 128, float32) on Fashion-MNIST, in wall time and in
 * process CPU time (which includes the JIT compiler threads and is less sensitive to other processes on a busy
 * machine). Also prints when steps 10, 100 and 300 are done and the JVM's uptime when the data were ready.
 *
 * <p>The data: the 60,000 training images of Fashion-MNIST when {@value #DATA_DIR} holds them (decoded from gzip
 * into bytes, as the examples CLI loads them), else 60,000 × 784 random bytes; either way kept as bytes and
 * converted a batch at a time ({@link Dataset#ofUnsignedBytes}). With {@code warm-up}, a {@link WarmUp} of the
 * same network starts as soon as the model is built, before the data are loaded, and is closed when they are.
 * The time per kind of thread (main, C1, C2, warm-up) comes from {@code /proc} (Linux). Run it in a fresh JVM
 * each time (start-up is what it measures), with default JVM flags or with those of the examples CLI
 * ({@code ./vecprop}, its {@code cli_flags}) in front of {@code -cp}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/vecprop-benchmarks.jar dev.vecprop.bench.FirstStep [STEPS] [warm-up[=ROWS]]
 * </pre>
 */
public final class FirstStep {
    /** Where the Debian package {@code dataset-fashion-mnist} puts the official files. */
    static final String DATA_DIR = "/usr/share/datasets/fashion-mnist";

    private FirstStep() {
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private static Layer network() {
        return new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128), Activation.relu(),
                new Linear(128, 10));
    }

    /** The items of an IDX file (gzipped), decoded straight into the result; no checks beyond the size. */
    private static byte[] idx(Path file, int rank) throws IOException {
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(file), 1 << 16))) {
            in.readInt(); // magic
            long n = 1;
            for (int i = 0; i < rank; i++) {
                n *= in.readInt();
            }
            byte[] data = new byte[Math.toIntExact(n)];
            in.readFully(data);
            return data;
        }
    }

    /**
     * CPU time (ms) of this process's threads by kind, from /proc (Linux; empty elsewhere): "main", "C2", "C1",
     * "warm-up", "other" (GC, JFR, ...).
     */
    private static java.util.Map<String, Double> cpuByThread() {
        java.util.Map<String, Double> m = new java.util.TreeMap<>();
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return m;
        }
        double tick = 10; // ms per clock tick (USER_HZ = 100 on Linux)
        try (var dirs = Files.list(tasks)) {
            for (Path t : (Iterable<Path>) dirs::iterator) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    double ms = (Long.parseLong(f[11]) + Long.parseLong(f[12])) * tick; // utime, stime
                    String kind = name.startsWith("C2 ") ? "C2" : name.startsWith("C1 ") ? "C1"
                            : name.equals("java") || name.equals("main") ? "main"
                            : name.startsWith("vecprop-warm") ? "warm-up" : "other";
                    m.merge(kind, ms, Double::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return m;
        }
        return m;
    }

    private static String cpuDelta(java.util.Map<String, Double> a, java.util.Map<String, Double> b) {
        StringBuilder s = new StringBuilder();
        for (var e : b.entrySet()) {
            double d = e.getValue() - a.getOrDefault(e.getKey(), 0.0);
            if (d > 0) {
                s.append(s.length() == 0 ? "" : ", ").append(e.getKey()).append(' ').append(Math.round(d));
            }
        }
        return s.toString();
    }

    public static void main(String[] args) throws IOException {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int warmBatch = 0; // "warm-up" warms up with the training batch size, "warm-up=N" with N rows per step
        for (String a : args) {
            if (a.startsWith("warm-up")) {
                warmBatch = a.startsWith("warm-up=") ? Integer.parseInt(a.substring(8)) : 128;
            }
        }
        boolean warm = warmBatch > 0;
        int batch = 128;
        int n = 60_000;
        long uptimeAtStart = ManagementFactory.getRuntimeMXBean().getUptime();
        long tStart = System.nanoTime();
        Model model = new Model(network(), DType.F32, 42);
        WarmUp warmUp = warm ? WarmUp.start(FirstStep::network, DType.F32, Loss.softmaxCrossEntropy(),
                () -> new Adam(1e-3), warmBatch, 784) : null;
        Path images = Path.of(DATA_DIR, "train-images-idx3-ubyte.gz");
        byte[] pixels;
        int[] labels = new int[n];
        String source;
        if (Files.isRegularFile(images)) {
            pixels = idx(images, 3);
            byte[] lb = idx(Path.of(DATA_DIR, "train-labels-idx1-ubyte.gz"), 1);
            for (int i = 0; i < n; i++) {
                labels[i] = lb[i];
            }
            source = "Fashion-MNIST from " + DATA_DIR;
        } else {
            pixels = new byte[n * 784];
            SplittableRandom rnd = new SplittableRandom(1);
            rnd.nextBytes(pixels);
            for (int i = 0; i < n; i++) {
                labels[i] = rnd.nextInt(10);
            }
            source = "random bytes";
        }
        long warmSteps = 0;
        if (warmUp != null) {
            warmUp.close();
            warmSteps = warmUp.steps();
        }
        long uptimeAtData = ManagementFactory.getRuntimeMXBean().getUptime();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        java.util.Map<String, Double>[] threads = new java.util.Map[] {cpuByThread(), null};
        long[] cpuFirst = new long[1];
        long t0 = System.nanoTime();
        long[] done = new long[steps];
        Dataset data = Dataset.ofUnsignedBytes(pixels, new int[] {n, 784}, 255f, labels);
        Trainer trainer = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(batch).seed(3)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepStats s) {
                        done[(int) s.step()] = System.nanoTime();
                        if (s.step() == 0) {
                            cpuFirst[0] = os.getProcessCpuTime();
                            threads[1] = cpuByThread();
                        }
                        if (s.step() == steps - 1) {
                            throw new Stop();
                        }
                    }
                });
        try {
            trainer.fit(model, data); // one epoch is 469 steps; Stop ends it after `steps`
        } catch (Stop expected) {
            // done
        }
        double first = (done[0] - t0) / 1e6;
        long uptimeAtFirst = uptimeAtData + Math.round(first);
        System.out.printf(Locale.ROOT, "%s; %s; JVM uptime at main %d ms, when the data were ready %d ms (loaded in"
                + " %.0f ms)%s%n", Vectorization.describe(), source, uptimeAtStart, uptimeAtData, (t0 - tStart) / 1e6,
                warmUp == null ? "" : "; warm-up: " + warmSteps + " steps of " + warmBatch + " while loading");
        System.out.printf(Locale.ROOT, "first step done %.0f ms after the data were ready (process CPU meanwhile %.0f ms,"
                + " JIT threads included: %s ms; JVM uptime then %d ms)", first, (cpuFirst[0] - cpu0) / 1e6,
                cpuDelta(threads[0], threads[1]), uptimeAtFirst);
        for (int s : new int[] {10, 100, 300}) {
            if (s <= steps) {
                System.out.printf(Locale.ROOT, "; step %d: %.0f ms", s, (done[s - 1] - t0) / 1e6);
            }
        }
        int tail = Math.min(50, steps / 2);
        double perStep = (done[steps - 1] - done[steps - 1 - tail]) / 1e6 / tail;
        System.out.printf(Locale.ROOT, "; last %d steps %.2f ms each%n", tail, perStep);
    }
}
