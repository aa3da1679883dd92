// notes/startup-probe/FirstStepParts.java — where the first training steps go: the MLP 784-256-128-10 (ReLU, Adam,
// batch 128, float32, random data) stepped layer by layer from a fresh JVM, each part timed, for steps 1-4, plus the
// pass of per-parameter gradient norms that the Trainer makes. Run it with the examples CLI's JVM flags (./vecprop,
// cli_flags), which is what it was measured with:
//   J=$(./vecprop java)/bin; $J/javac --add-modules jdk.incubator.vector -cp examples/target/vecprop-examples.jar -d /tmp/fsp notes/startup-probe/FirstStepParts.java
//   $J/java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Xmn8m -XX:+UnlockDiagnosticVMOptions \
//     -XX:CompilerDirectivesFile=examples/jvm/c2-directives.json -XX:CompileCommand=quiet \
//     "-XX:CompileCommand=CompileThresholdScaling,dev.vecprop.kernels.*::*,0.01" -XX:-UseOnStackReplacement \
//     -cp examples/target/vecprop-examples.jar:/tmp/fsp dev.vecprop.bench.FirstStepParts
package dev.vecprop.bench;

import dev.vecprop.nn.*;
import java.util.*;

public final class FirstStepParts {
    public static void main(String[] args) {
        Layer[] layers = {new Linear(784, 256), Activation.relu(), new Linear(256, 128), Activation.relu(),
            new Linear(128, 10)};
        Model model = new Model(new Sequential(layers), DType.F32, 42);
        Loss loss = Loss.softmaxCrossEntropy();
        Optimizer opt = new Adam(1e-3);
        Context ctx = new Context();
        int batch = 128;
        SplittableRandom rnd = new SplittableRandom(7);
        double[] pixels = new double[batch * 784];
        for (int i = 0; i < pixels.length; i++) pixels[i] = rnd.nextDouble();
        Tensor x = Tensor.of(pixels, batch, 784).copy(DType.F32);
        int[] labels = new int[batch];
        for (int i = 0; i < batch; i++) labels[i] = rnd.nextInt(10);
        String[] names = {"fwdL1", "relu1", "fwdL2", "relu2", "fwdL3", "lossF", "zero", "lossB", "bwdL3", "bwdR2", "bwdL2", "bwdR1", "bwdL1p", "norms", "adam"};
        for (int s = 0; s < 4; s++) {
            long[] st = new long[16];
            int p = 0;
            Tensor h = x;
            for (Layer l : layers) { st[p++] = System.nanoTime(); h = l.forward(h, ctx, Mode.TRAIN); }
            st[p++] = System.nanoTime();
            loss.forward(h, labels, 0, ctx);
            st[p++] = System.nanoTime();
            model.zeroGrad();
            st[p++] = System.nanoTime();
            Tensor g = loss.backward(ctx);
            for (int i = layers.length - 1; i >= 1; i--) { st[p++] = System.nanoTime(); g = layers[i].backward(g, ctx); }
            st[p++] = System.nanoTime();
            layers[0].backwardParameters(g, ctx);
            st[p++] = System.nanoTime();
            Tensor gr = model.grads();
            double tot = 0;
            float[] ga = gr.floats();
            // the Trainer's per-parameter norms: 6 regions
            int[] sizes = {784 * 256, 256, 256 * 128, 128, 128 * 10, 10};
            int off = gr.offset();
            for (int sz : sizes) { tot += dev.vecprop.kernels.Reductions.squaredNorm(ga, off, sz); off += sz; }
            st[p++] = System.nanoTime();
            opt.step(model);
            st[p] = System.nanoTime();
            StringBuilder sb = new StringBuilder("step " + (s + 1) + String.format(" total %.0f ms:", (st[p] - st[0]) / 1e6));
            for (int i = 0; i < p; i++) sb.append(String.format(" %s %.0f", names[i], (st[i + 1] - st[i]) / 1e6));
            System.out.println(sb);
        }
    }
}
