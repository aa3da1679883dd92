// notes/train-vs-numpy/SideBySide.java — the Java half of side-by-side.sh: TrainStepBenchmark's step (MLP
// 784-256-128-10, ReLU, batch 128, softmax cross-entropy, Adam, float32, the default serial parallelism) run
// for a given number of wall seconds, printing "<epoch second> <steps counted in it>" for every whole second,
// so that side-by-side.py's seconds can be paired with these. Arguments: seconds to run, seconds of warm-up, and
// optionally a period P > 0: then it works only in the seconds s with (s / P) even and sleeps in the others (so the
// numpy side can show what running beside the JVM costs it). Every RESET steps both sides put their weights and Adam
// back to the start (see side-by-side.sh for why).
import dev.vecprop.nn.*;
import java.util.SplittableRandom;

public class SideBySide {
    static final int RESET = 300;
    static Model model;
    static Model initial;
    static Optimizer opt;
    static int done;

    public static void main(String[] args) throws InterruptedException {
        int seconds = Integer.parseInt(args[0]);
        int warmUp = Integer.parseInt(args[1]);
        int period = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        int batch = 128;
        model = mlp();
        initial = mlp();
        opt = new Adam(1e-3);
        Loss loss = Loss.softmaxCrossEntropy();
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
        long warmEnd = System.currentTimeMillis() + warmUp * 1000L;
        while (System.currentTimeMillis() < warmEnd) {
            step(loss, ctx, x, labels);
        }
        long second = System.currentTimeMillis() / 1000 + 1; // the first whole second
        while (System.currentTimeMillis() / 1000 < second) {
            step(loss, ctx, x, labels);
        }
        long last = second + seconds;
        int steps = 0;
        StringBuilder out = new StringBuilder();
        while (second < last) {
            if (period > 0 && (second / period) % 2 == 1) {
                Thread.sleep(Math.max(0, (second + 1) * 1000 - System.currentTimeMillis()));
                second = System.currentTimeMillis() / 1000;
                continue;
            }
            step(loss, ctx, x, labels);
            steps++;
            long now = System.currentTimeMillis() / 1000;
            if (now != second) { // a step that straddles two seconds counts in the first: the same rule as Python's
                out.append(second).append(' ').append(steps).append('\n');
                steps = 0;
                second = now;
            }
        }
        System.out.print(out);
    }

    private static Model mlp() {
        return new Model(new Sequential(new Linear(784, 256), Activation.relu(), new Linear(256, 128),
                Activation.relu(), new Linear(128, 10)), DType.F32, 42);
    }

    private static void step(Loss loss, Context ctx, Tensor x, int[] labels) {
        Tensor o = model.forward(x, ctx, Mode.TRAIN);
        loss.forward(o, labels, 0, ctx);
        model.computeGradients(loss.backward(ctx), ctx);
        opt.step(model);
        if (++done % RESET == 0) {
            model.copyValuesFrom(initial);
            opt = new Adam(1e-3); // fresh moments (allocated at its first step: 1.9 MB every RESET steps)
        }
    }
}
