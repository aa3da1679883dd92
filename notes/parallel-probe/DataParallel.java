// notes/parallel-probe/DataParallel.java — what a data-parallel training step could gain on 2 threads, before building
// one. Each thread runs forward, loss and backward of its own 64 rows of the 128-row batch through a model of its own
// (serial kernels, so each thread's rows stay in its own core's caches through all the layers); the caller then adds
// the helper's gradient arena into its own and takes the Adam step. It takes turns, round by round in one JVM (100
// steps each), with the 1-thread step on the whole batch, today's step on 2 threads (every kernel call split by
// itself: Parallelism.threads(2)) and one 64-row forward and backward alone; ratios per round. The Adam step runs on
// one thread here while today's step splits it in two, so the last line also subtracts half of the serial Adam time
// measured in the same rounds. An upper bound of sorts: a real design would have to sum each weight gradient over the
// whole batch in a fixed order (split over M/N, not over the batch) to stay bitwise the same for every thread count,
// and would share one set of weights (here the helper's model is never given the caller's weights: the sum is for
// timing only). The MLP and the step are TrainStepBenchmark's. Seventh session: no better than
// today's step (see the README). Run from the repository root after ./vecprop mvn -q -o -DskipTests package:
//   J=$(./vecprop java)/bin; $J/javac -cp bench/target/vecprop-benchmarks.jar -d /tmp/dp notes/parallel-probe/DataParallel.java
//   $J/java --add-modules jdk.incubator.vector -cp bench/target/vecprop-benchmarks.jar:/tmp/dp DataParallel 20
import dev.vecprop.kernels.Blas1;
import dev.vecprop.kernels.Parallelism;
import dev.vecprop.nn.*;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

public class DataParallel {
    static volatile long go;
    static volatile long done;
    static volatile boolean active;
    static volatile long helperNanos;

    static Model mlp() {
        return new Model(new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, 10)), DType.F32, 42);
    }

    static Tensor rows(double[] pixels, int from, int to) {
        return Tensor.of(Arrays.copyOfRange(pixels, from * 784, to * 784), to - from, 784).copy(DType.F32);
    }

    static void halfStep(Model model, Loss loss, Context ctx, Tensor x, int[] labels) {
        Tensor out = model.forward(x, ctx, Mode.TRAIN);
        loss.forward(out, labels, 0, ctx);
        model.computeGradients(loss.backward(ctx), ctx);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int batch = 128, half = 64, steps = 100;
        SplittableRandom rnd = new SplittableRandom(7);
        double[] pixels = new double[batch * 784];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = rnd.nextDouble();
        }
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) {
            labels[i] = rnd.nextInt(10);
        }
        // the whole-batch step on one thread
        Model whole = mlp();
        Loss wholeLoss = Loss.softmaxCrossEntropy();
        Context wholeCtx = new Context();
        Optimizer wholeOpt = new Adam(1e-3);
        Tensor x = rows(pixels, 0, batch);
        Model today = mlp();
        Loss todayLoss = Loss.softmaxCrossEntropy();
        Context todayCtx = new Context();
        Optimizer todayOpt = new Adam(1e-3);
        // the two halves
        Model a = mlp(), b = mlp();
        Loss lossA = Loss.softmaxCrossEntropy(), lossB = Loss.softmaxCrossEntropy();
        Context ctxA = new Context(), ctxB = new Context();
        Optimizer optA = new Adam(1e-3);
        Tensor xa = rows(pixels, 0, half), xb = rows(pixels, half, batch);
        int[] la = Arrays.copyOfRange(labels, 0, half), lb = Arrays.copyOfRange(labels, half, batch);
        Thread helper = new Thread(() -> {
            long seen = 0;
            while (true) {
                while (go == seen) {
                    if (active) {
                        Thread.onSpinWait();
                    } else {
                        LockSupport.park(); // out of the way of the library's pool in today's 2-thread rounds
                    }
                }
                seen = go;
                long h0 = System.nanoTime();
                halfStep(b, lossB, ctxB, xb, lb);
                helperNanos += System.nanoTime() - h0;
                done = seen;
            }
        });
        helper.setDaemon(true);
        helper.start();
        float[] ga = a.grads().floats(), gb = b.grads().floats();
        int ga0 = a.grads().offset(), gb0 = b.grads().offset(), n = a.parameterCount();
        double[] ratio = new double[rounds];
        double[] one = new double[rounds], two = new double[rounds], now2 = new double[rounds];
        double[] ratioToday = new double[rounds], adam = new double[rounds], ratioAdam = new double[rounds];
        double[] halfAlone = new double[rounds], halfMain = new double[rounds], halfHelper = new double[rounds];
        for (int r = -10; r < rounds; r++) { // 10 rounds of warm-up
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                halfStep(whole, wholeLoss, wholeCtx, x, labels);
                wholeOpt.step(whole);
            }
            long t1 = System.nanoTime();
            active = true;
            LockSupport.unpark(helper);
            long adamNanos = 0, mainNanos = 0;
            helperNanos = 0;
            for (int i = 0; i < steps; i++) {
                long g = go + 1;
                go = g;
                long h0 = System.nanoTime();
                halfStep(a, lossA, ctxA, xa, la);
                mainNanos += System.nanoTime() - h0;
                while (done != g) {
                    Thread.onSpinWait();
                }
                Blas1.axpy(gb, gb0, ga, ga0, n, 1f);
                long s0 = System.nanoTime();
                optA.step(a);
                adamNanos += System.nanoTime() - s0;
            }
            long t2 = System.nanoTime();
            active = false;
            Parallelism.setDefault(Parallelism.threads(2));
            for (int i = 0; i < steps; i++) {
                halfStep(today, todayLoss, todayCtx, x, labels);
                todayOpt.step(today);
            }
            Parallelism.setDefault(Parallelism.serial());
            long t3 = System.nanoTime();
            for (int i = 0; i < steps; i++) { // one half alone: what a 64-row forward and backward costs
                halfStep(a, lossA, ctxA, xa, la);
            }
            long t4 = System.nanoTime();
            if (r >= 0) {
                one[r] = (t1 - t0) / 1e3 / steps;
                two[r] = (t2 - t1) / 1e3 / steps;
                ratio[r] = one[r] / two[r];
                now2[r] = (t3 - t2) / 1e3 / steps;
                ratioToday[r] = one[r] / now2[r];
                adam[r] = adamNanos / 1e3 / steps;
                ratioAdam[r] = one[r] / (two[r] - adam[r] / 2);
                halfAlone[r] = (t4 - t3) / 1e3 / steps;
                halfMain[r] = mainNanos / 1e3 / steps;
                halfHelper[r] = helperNanos / 1e3 / steps;
            }
        }
        for (double[] v : new double[][] {one, two, now2, adam, ratio, ratioToday, ratioAdam, halfAlone, halfMain, halfHelper}) {
            Arrays.sort(v);
        }
        System.out.printf("median us/step: 1 thread, whole batch %.0f; 2 threads, 64 rows each + gradient sum + serial Adam %.0f"
                + " (Adam %.0f); today's 2-thread step %.0f; one 64-row forward and backward alone, no Adam %.0f%n",
                one[rounds / 2], two[rounds / 2], adam[rounds / 2], now2[rounds / 2], halfAlone[rounds / 2]);
        System.out.printf("median us of a 64-row forward and backward: alone %.0f; side by side, the caller's %.0f and the"
                + " helper's %.0f%n", halfAlone[rounds / 2], halfMain[rounds / 2], halfHelper[rounds / 2]);
        print("1T / data-parallel 2T", ratio);
        print("1T / today's 2T", ratioToday);
        print("1T / data-parallel 2T with Adam halved", ratioAdam);
    }

    static void print(String what, double[] v) {
        int n = v.length;
        System.out.printf("%-40s median %.2f (quartiles %.2f-%.2f, range %.2f-%.2f)%n", what, v[n / 2], v[n / 4],
                v[3 * n / 4], v[0], v[n - 1]);
    }
}
