package dev.vecprop.nn;

import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Gets the JIT going before the real work: trains a throwaway copy of a network on random data on a daemon
 * thread, so that the kernels a training step uses are compiled while the caller does something else, typically
 * loading the data.
 *
 * <p>Why: the kernels are Vector API code, which runs interpreted, and boxed, about a thousand times slower than
 * compiled, until HotSpot's C2 has compiled it; that takes a second or more of CPU after the kernels first run.
 * A warm-up started when the network is known overlaps that time with the loading of the data.
 *
 * <pre>{@code
 * try (WarmUp w = WarmUp.start(() -> buildNetwork(), DType.F32, Loss.softmaxCrossEntropy(),
 *         () -> new Adam(1e-3), 128, 784)) {
 *     data = load(); // meanwhile the kernels get compiled
 * }
 * trainer.fit(model, data);
 * }</pre>
 *
 * <p>Whether it pays depends on a free core: it costs CPU time while the data load. Measured on a 2-core
 * machine shared with other work (load average 5–9, {@code dev.vecprop.bench.FirstStep}): with a warm-up the
 * first step needed about half the main-thread CPU time after the data were ready, but the loading took 1.5–3×
 * longer, so the first step was not done sooner after the launch. Measure on your machine before relying on it.
 *
 * <p>It changes no result: the warm-up has its own layers, parameter arenas, optimizer, context and random
 * data, and the kernels keep no state between calls but per-thread scratch space, so a run with a warm-up gives
 * bitwise the weights of a run without. It only costs CPU time: on a machine with one free core it competes
 * with the caller's loading, which is why {@link #close} stops it.
 *
 * <p>Thread-safe.
 */
public final class WarmUp implements AutoCloseable {
    private final Thread thread;
    private final AtomicLong steps = new AtomicLong();
    private volatile boolean stop;
    private volatile Throwable failure;

    /** Thrown from the warm-up's listener to end its training loop. */
    private static final class Stop extends RuntimeException {
        Stop() {
            super(null, null, false, false);
        }
    }

    private WarmUp(Runnable body) {
        thread = new Thread(body, "vecprop-warm-up");
        thread.setDaemon(true);
        // below the caller: where cores are short, the loading thread goes first
        thread.setPriority(Thread.NORM_PRIORITY - 1);
    }

    /**
     * Starts training a throwaway copy of the network, on random inputs of the given shape, in batches of
     * {@code batchSize}, on a new daemon thread, until {@link #close}.
     *
     * @param network      makes a new layer tree of the network that will be trained (called once, on the
     *                     warm-up thread; it must not return layers of another model)
     * @param dtype        the dtype the model will be trained in
     * @param loss         the loss training will use (losses keep no state, so the same instance may be given)
     * @param optimizer    makes a new optimizer of the kind training will use (called once, on the warm-up thread)
     * @param batchSize    the batch size training will use (the kernels' code paths depend on the shapes, so
     *                     the same size compiles the code the training steps run)
     * @param exampleShape the shape of one input example, e.g. {@code 784}
     * @return the running warm-up; close it when the real work starts
     * @throws IllegalArgumentException if {@code batchSize < 1} or the example shape is empty or has a
     *                                  dimension &lt; 1 (what the network makes of the shape is found on the
     *                                  warm-up thread and ends it; see {@link #failure})
     */
    public static WarmUp start(Supplier<? extends Layer> network, DType dtype, Loss loss,
                               Supplier<? extends Optimizer> optimizer, int batchSize, int... exampleShape) {
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(loss, "loss");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(exampleShape, "exampleShape");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
        }
        if (exampleShape.length == 0) {
            throw new IllegalArgumentException("exampleShape must have at least one dimension");
        }
        int[] shape = new int[exampleShape.length + 1];
        for (int i = 0; i < exampleShape.length; i++) {
            if (exampleShape[i] < 1) {
                throw new IllegalArgumentException("exampleShape must have dimensions >= 1, but was "
                        + Tensor.shapeString(exampleShape));
            }
            shape[i + 1] = exampleShape[i];
        }
        // two full batches per pass: the steps are the full-batch steps training starts with
        shape[0] = 2 * batchSize;
        WarmUp[] self = new WarmUp[1];
        self[0] = new WarmUp(() -> self[0].run(network, dtype, loss, optimizer, batchSize, shape));
        self[0].thread.start();
        return self[0];
    }

    private void run(Supplier<? extends Layer> network, DType dtype, Loss loss, Supplier<? extends Optimizer> optimizer,
                     int batchSize, int[] shape) {
        try {
            Model model = new Model(network.get(), dtype, 0);
            Tensor x = Tensor.zeros(dtype, shape);
            SplittableRandom rnd = new SplittableRandom(0);
            for (int i = 0; i < x.size(); i++) {
                x.set(i, rnd.nextDouble()); // like pixels in [0, 1): no all-zero shortcuts in the layers
            }
            Dataset data;
            if (loss.takesLabels()) {
                data = Dataset.of(x, new int[shape[0]]); // class 0 exists whatever the number of classes
            } else {
                int[] out = model.forward(x.rowSlice(0, 1), new Context(), Mode.INFERENCE).shape();
                out[0] = shape[0];
                data = Dataset.of(x, Tensor.zeros(dtype, out));
            }
            Trainer trainer = new Trainer(loss, optimizer.get()).batchSize(batchSize).seed(0)
                    .listener(new TrainingListener() {
                        @Override
                        public void onStep(StepStats s) {
                            steps.incrementAndGet();
                            if (stop) {
                                throw new Stop();
                            }
                        }
                    });
            while (!stop) {
                trainer.fit(model, data);
            }
        } catch (Stop expected) {
            // closed
        } catch (RuntimeException | Error e) {
            failure = e; // a warm-up that fails must not take the application down; the real run will report it
        }
    }

    /** @return warm-up training steps done so far */
    public long steps() {
        return steps.get();
    }

    /** @return what ended the warm-up early (e.g. a network that does not take the example shape), or null */
    public Throwable failure() {
        return failure;
    }

    /**
     * Asks the warm-up to stop after its current step and returns at once: waiting for that step would only
     * delay the caller (the step may still be running slow, not yet compiled code).
     */
    @Override
    public void close() {
        stop = true;
    }

    /**
     * Waits until the warm-up thread has ended (after {@link #close}), or the timeout has passed.
     *
     * @return true if it has ended
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean await(long millis) throws InterruptedException {
        thread.join(Math.max(1, millis));
        return !thread.isAlive();
    }
}
