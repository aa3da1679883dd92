package dev.vecprop.bench;

import dev.vecprop.kernels.Parallelism;
import dev.vecprop.nn.Activation;
import dev.vecprop.nn.Adam;
import dev.vecprop.nn.Context;
import dev.vecprop.nn.DType;
import dev.vecprop.nn.Layer;
import dev.vecprop.nn.Linear;
import dev.vecprop.nn.Loss;
import dev.vecprop.nn.Mode;
import dev.vecprop.nn.Model;
import dev.vecprop.nn.Optimizer;
import dev.vecprop.nn.Sequential;
import dev.vecprop.nn.Tensor;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Where a {@link TrainStepBenchmark} step spends its time: runs the step layer by layer (the same calls
 * {@code Sequential} makes) and times each part, interleaved in rounds with {@link TrainStepGemmsBenchmark}'s GEMMs
 * alone, so that a busy machine slows both alike; prints the median over rounds of each part and of the ratio
 * step / GEMMs. A diagnostic, not a JMH benchmark (the JMH figures are the ones to quote):
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp bench/target/vecprop-benchmarks.jar dev.vecprop.bench.TrainStepBreakdown [rounds] [threads]
 * </pre>
 */
public final class TrainStepBreakdown {
    private TrainStepBreakdown() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        Parallelism.setDefault(Parallelism.threads(threads));
        int batch = 128;
        Layer[] layers = {new Linear(784, 256), Activation.relu(), new Linear(256, 128), Activation.relu(),
            new Linear(128, 10)};
        Model model = new Model(new Sequential(layers), DType.F32, 42);
        Loss loss = Loss.softmaxCrossEntropy();
        Optimizer opt = new Adam(1e-3);
        Context ctx = new Context();
        SplittableRandom rnd = new SplittableRandom(7);
        double[] pixels = new double[batch * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextDouble();
        }
        Tensor x = Tensor.of(pixels, batch, 784).copy(DType.F32);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(10);
        }
        TrainStepGemmsBenchmark gemms = new TrainStepGemmsBenchmark();
        gemms.batch = batch;
        gemms.precision = "f32";
        gemms.threads = threads;
        gemms.gemm = "all";
        gemms.setUp();

        String[] names = {"fwd Linear1", "fwd ReLU1", "fwd Linear2", "fwd ReLU2", "fwd Linear3", "loss fwd",
            "zeroGrad", "loss bwd", "bwd Linear3", "bwd ReLU2", "bwd Linear2", "bwd ReLU1", "bwd Linear1 (params)",
            "Adam", "step total", "GEMMs only"};
        int parts = names.length;
        double[][] t = new double[parts][rounds];
        double[] ratio = new double[rounds];
        long[] stamp = new long[parts];
        int steps = 200;
        // warm-up: until C2 has compiled the kernels
        for (int i = 0; i < 3000; i++) {
            step(layers, model, loss, opt, ctx, x, labels, null);
            gemms.gemms();
        }
        for (int r = 0; r < rounds; r++) {
            long[] acc = new long[parts];
            long s0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(layers, model, loss, opt, ctx, x, labels, stamp);
                for (int p = 0; p < 14; p++) {
                    acc[p] += stamp[p + 1] - stamp[p];
                }
            }
            long s1 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                gemms.gemms();
            }
            long s2 = System.nanoTime();
            for (int p = 0; p < 14; p++) {
                t[p][r] = acc[p] / 1e3 / steps;
            }
            t[14][r] = (s1 - s0) / 1e3 / steps;
            t[15][r] = (s2 - s1) / 1e3 / steps;
            ratio[r] = t[14][r] / t[15][r];
        }
        System.out.printf(Locale.ROOT, "threads=%d, %d rounds of %d steps + %d GEMM sets; median µs per step (p25–p75)%n",
                threads, rounds, steps, steps);
        for (int p = 0; p < parts; p++) {
            double[] v = t[p].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "  %-22s %8.1f  (%.1f–%.1f)%n", names[p], v[rounds / 2], v[rounds / 4],
                    v[3 * rounds / 4]);
        }
        double[] v = ratio.clone();
        Arrays.sort(v);
        System.out.printf(Locale.ROOT, "  step / GEMMs           %8.3f  (%.3f–%.3f)%n", v[rounds / 2], v[rounds / 4],
                v[3 * rounds / 4]);
        double[] st = t[14].clone();
        Arrays.sort(st);
        System.out.printf(Locale.ROOT, "  samples/s (median step) %.0f%n", batch / (st[rounds / 2] * 1e-6));
    }

    /** The benchmark's step, layer by layer; stamps[i] = nanoTime before part i (stamps[14] after the last). */
    private static void step(Layer[] layers, Model model, Loss loss, Optimizer opt, Context ctx, Tensor x, int[] labels,
                             long[] stamps) {
        int p = 0;
        Tensor h = x;
        for (Layer l : layers) {
            mark(stamps, p++);
            h = l.forward(h, ctx, Mode.TRAIN);
        }
        mark(stamps, p++);
        loss.forward(h, labels, 0, ctx);
        mark(stamps, p++);
        model.zeroGrad();
        mark(stamps, p++);
        Tensor g = loss.backward(ctx);
        for (int i = layers.length - 1; i >= 1; i--) {
            mark(stamps, p++);
            g = layers[i].backward(g, ctx);
        }
        mark(stamps, p++);
        layers[0].backwardParameters(g, ctx);
        mark(stamps, p++);
        opt.step(model);
        mark(stamps, p);
    }

    private static void mark(long[] stamps, int i) {
        if (stamps != null) {
            stamps[i] = System.nanoTime();
        }
    }
}
