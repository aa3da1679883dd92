package dev.vecprop.bench;

import dev.vecprop.kernels.Vectorization;
import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Adam;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Dataset;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Tensor;
import dev.vecprop.nn.Trainer;
import dev.vecprop.nn.TrainingListener;
import dev.vecprop.nn.Loss;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Start-up latency, as an embedding user sees it: the time from "the data are in memory" to the first training
 * step done, for the MLP 784-256-128-10 (ReLU, Adam, batch 128, float32) on a Fashion-MNIST-sized data set
 * (60,000 × 784 floats, synthetic), in wall time and in process CPU time (which includes the JIT compiler
 * threads and is less sensitive to other processes on a busy machine). Also prints when steps 10, 100 and 300 are done and the JVM's uptime when the
 * data were ready. Run it in a fresh JVM each time (start-up is what it measures):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/vecprop-benchmarks.jar dev.vecprop.bench.FirstStep
 * </pre>
 */
public final class FirstStep {
    private FirstStep() {
    }

    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    public static void main(String[] args) {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int batch = 128;
        int n = 60_000;
        float[] pixels = new float[n * 784];
        SplittableRandom rnd = new SplittableRandom(1);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) rnd.nextDouble();
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = rnd.nextInt(10);
        }
        long uptimeAtData = ManagementFactory.getRuntimeMXBean().getUptime();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long[] cpuFirst = new long[1];
        long t0 = System.nanoTime();
        long[] done = new long[steps];
        Model model = new Model(new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, 10)), DType.F32, 42);
        long built = System.nanoTime();
        Dataset data = Dataset.of(Tensor.of(pixels, n, 784), labels);
        Trainer trainer = new Trainer(Loss.softmaxCrossEntropy(), new Adam(1e-3)).batchSize(batch).seed(3)
                .listener(new TrainingListener() {
                    @Override
                    public void onStep(StepStats s) {
                        done[(int) s.step()] = System.nanoTime();
                        if (s.step() == 0) {
                            cpuFirst[0] = os.getProcessCpuTime();
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
        System.out.printf(Locale.ROOT, "%s; JVM uptime when the data were ready: %d ms%n", Vectorization.describe(),
                uptimeAtData);
        System.out.printf(Locale.ROOT, "first step done %.0f ms after the data were ready (process CPU meanwhile %.0f ms,"
                + " JIT threads included; model built after %.0f ms)", first, (cpuFirst[0] - cpu0) / 1e6, (built - t0) / 1e6);
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
