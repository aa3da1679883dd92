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
 * Where a {@link TrainStepBenchmark} step spends its time, robust to a busy machine: in each round it runs (1) the
 * step layer by layer (the calls {@code Sequential} makes, with an explicit zeroGrad; each part timed), (2) the
 * benchmark's step, (3) {@link TrainStepGemmsBenchmark}'s GEMMs alone, (4) its Adam pass alone, (5) the step on 1
 * thread and (6) on the given threads, 100 times each, one after another, so that load from other processes
 * slows all alike; it prints the median (and quartiles, and best round) over rounds of each, and the per-round
 * ratios step / GEMMs and 1-thread step / n-thread step. A diagnostic beside the JMH benchmarks:
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
        Parallelism par = Parallelism.threads(threads);
        Parallelism.setDefault(par);
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
            "zeroGrad (not in the step)", "loss bwd", "bwd Linear3", "bwd ReLU2", "bwd Linear2", "bwd ReLU1",
            "bwd Linear1 (params)", "Adam", "step (TrainStepBenchmark)", "GEMMs only", "Adam kernel only",
            "step, 1 thread", "step, " + threads + " threads"};
        int parts = names.length;
        double[][] t = new double[parts][rounds];
        double[] ratio = new double[rounds];
        double[] speedup = new double[rounds];
        long[] stamp = new long[15];
        int steps = 100;
        // warm-up: until C2 has compiled the kernels
        for (int i = 0; i < 3000; i++) {
            instrumentedStep(layers, model, loss, opt, ctx, x, labels, null);
            step(model, loss, opt, ctx, x, labels);
            gemms.gemms();
            gemms.adam();
        }
        System.out.printf(Locale.ROOT, "after warm-up: loss %.3g, %s%n", step(model, loss, opt, ctx, x, labels),
                subnormals(model.grads()));
        for (int r = 0; r < rounds; r++) {
            long[] acc = new long[14];
            for (int i = 0; i < steps; i++) {
                instrumentedStep(layers, model, loss, opt, ctx, x, labels, stamp);
                for (int p = 0; p < 14; p++) {
                    acc[p] += stamp[p + 1] - stamp[p];
                }
            }
            for (int p = 0; p < 14; p++) {
                t[p][r] = acc[p] / 1e3 / steps;
            }
            long s0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                step(model, loss, opt, ctx, x, labels);
            }
            long s1 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                gemms.gemms();
            }
            long s2 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                gemms.adam();
            }
            long s3 = System.nanoTime();
            Parallelism.setDefault(Parallelism.serial());
            for (int i = 0; i < steps; i++) {
                step(model, loss, opt, ctx, x, labels);
            }
            long s4 = System.nanoTime();
            Parallelism.setDefault(par);
            for (int i = 0; i < steps; i++) {
                step(model, loss, opt, ctx, x, labels);
            }
            long s5 = System.nanoTime();
            t[14][r] = (s1 - s0) / 1e3 / steps;
            t[15][r] = (s2 - s1) / 1e3 / steps;
            t[16][r] = (s3 - s2) / 1e3 / steps;
            t[17][r] = (s4 - s3) / 1e3 / steps;
            t[18][r] = (s5 - s4) / 1e3 / steps;
            ratio[r] = t[14][r] / t[15][r];
            speedup[r] = t[17][r] / t[18][r];
        }
        System.out.printf(Locale.ROOT, "default threads=%d, %d rounds of %d steps each; µs per step: median (p25–p75), min%n",
                threads, rounds, steps);
        for (int p = 0; p < parts; p++) {
            double[] v = t[p].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "  %-28s %8.1f  (%.1f–%.1f)  min %.1f%n", names[p], v[rounds / 2],
                    v[rounds / 4], v[3 * rounds / 4], v[0]);
        }
        print("step / GEMMs (per round)", ratio);
        print("1T step / " + threads + "T step (per round)", speedup);
        double[] st = t[14].clone();
        Arrays.sort(st);
        System.out.printf(Locale.ROOT, "  samples/s: median step %.0f, best round %.0f%n", batch / (st[rounds / 2] * 1e-6),
                batch / (st[0] * 1e-6));
    }

    /** How many elements of an F32 tensor are subnormal (slow in x86 arithmetic, which Java does not flush). */
    static String subnormals(Tensor t) {
        float[] a = t.floats();
        int sub = 0, zero = 0;
        for (int i = t.offset(); i < t.offset() + t.size(); i++) {
            float v = Math.abs(a[i]);
            if (v == 0) {
                zero++;
            } else if (v < Float.MIN_NORMAL) {
                sub++;
            }
        }
        return String.format(Locale.ROOT, "gradients: %d of %d subnormal, %d zero", sub, t.size(), zero);
    }

    private static void print(String what, double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        System.out.printf(Locale.ROOT, "  %-28s %8.3f  (%.3f–%.3f)%n", what, v[n / 2], v[n / 4], v[3 * n / 4]);
    }

    /** Exactly {@link TrainStepBenchmark#step}. */
    private static double step(Model model, Loss loss, Optimizer opt, Context ctx, Tensor x, int[] labels) {
        Tensor out = model.forward(x, ctx, Mode.TRAIN);
        double l = loss.forward(out, labels, 0, ctx);
        model.computeGradients(loss.backward(ctx), ctx);
        opt.step(model);
        return l;
    }

    /** The benchmark's step, layer by layer; stamps[i] = nanoTime before part i (stamps[14] after the last). */
    private static void instrumentedStep(Layer[] layers, Model model, Loss loss, Optimizer opt, Context ctx, Tensor x, int[] labels,
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
