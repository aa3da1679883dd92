package dev.vecprop.kernels;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How many threads a kernel may use, and whose threads they are.
 *
 * <p>Kernels run on the calling thread unless asked otherwise (no hidden thread pools):
 * <ul>
 *   <li>{@link #serial()}: the calling thread only. The default.</li>
 *   <li>{@link #threads(int)}: up to n threads: the caller plus up to n − 1 daemon threads of a pool the
 *       library creates when first needed, with at most one thread per processor. Between calls its threads
 *       spin for up to 500 µs before they sleep, so that back-to-back calls (a training step) do not pay a
 *       thread wake-up each ({@code -Dvecprop.spinMicros=N} sets the time, 0 turns spinning off); idle
 *       threads end after 60 s.</li>
 *   <li>{@link #of(Executor, int)}: up to n threads: the caller plus tasks handed to the application's own
 *       executor. The caller also takes tasks that no executor thread has started, so a busy or even
 *       inline executor cannot deadlock a call.</li>
 * </ul>
 * The default for calls without a parallelism argument is {@link #getDefault()}: from
 * {@code -Dvecprop.threads=N} (N ≥ 1, or {@code auto} for one per available processor), else serial;
 * {@link #setDefault(Parallelism)} changes it at run time.
 *
 * <p>Kernels split work over output blocks by problem size and never over a reduction, so <b>results are
 * bitwise identical for every thread count</b>. Small problems stay on the calling thread.
 *
 * <p>Immutable and thread-safe; the default is a volatile reference.
 */
public final class Parallelism {
    /** System property with the default thread count: a number ≥ 1, or {@code auto}. */
    public static final String THREADS_PROPERTY = "vecprop.threads";

    private static final Parallelism SERIAL = new Parallelism(1, null);
    private static final AtomicReference<Parallelism> DEFAULT = new AtomicReference<>(fromProperty());

    private final int threads;
    /** Null: the library's pool. */
    private final Executor executor;

    private Parallelism(int threads, Executor executor) {
        this.threads = threads;
        this.executor = executor;
    }

    /** @return the calling thread only. */
    public static Parallelism serial() {
        return SERIAL;
    }

    /**
     * @param threads the most threads a call may use, counting the caller; 1 means serial
     * @return a parallelism that uses the library's lazily created pool of daemon threads
     * @throws IllegalArgumentException if {@code threads < 1} or {@code threads > 65535}
     */
    public static Parallelism threads(int threads) {
        checkThreads(threads);
        return threads == 1 ? SERIAL : new Parallelism(threads, null);
    }

    /**
     * @param executor where tasks beyond the caller's run (the application's pool)
     * @param threads the most threads a call may use, counting the caller
     * @return a parallelism that runs extra tasks on {@code executor}
     * @throws NullPointerException if {@code executor} is null
     * @throws IllegalArgumentException if {@code threads < 1} or {@code threads > 65535}
     */
    public static Parallelism of(Executor executor, int threads) {
        Objects.requireNonNull(executor, "executor");
        checkThreads(threads);
        return new Parallelism(threads, executor);
    }

    /** @return the parallelism of calls that do not pass one (see the class comment). */
    public static Parallelism getDefault() {
        return DEFAULT.get();
    }

    /**
     * Sets the parallelism of calls that do not pass one, e.g. from a {@code --threads N} option.
     *
     * @throws NullPointerException if {@code parallelism} is null
     */
    public static void setDefault(Parallelism parallelism) {
        DEFAULT.set(Objects.requireNonNull(parallelism, "parallelism"));
    }

    /** @return the most threads a call may use, counting the caller. */
    public int threads() {
        return threads;
    }

    @Override
    public String toString() {
        return threads == 1 ? "Parallelism[serial]"
                : "Parallelism[" + threads + " threads, " + (executor == null ? "library pool" : executor) + "]";
    }

    /** One unit of a parallel call; index in [0, tasks). */
    @FunctionalInterface
    interface Task {
        void run(int index);
    }

    /**
     * Runs tasks 0..tasks-1, on up to {@link #threads()} threads including the caller, and returns when
     * all have finished. The first exception a task throws is rethrown here.
     */
    void run(int tasks, Task task) {
        if (tasks <= 1 || threads == 1) {
            for (int t = 0; t < tasks; t++) {
                task.run(t);
            }
            return;
        }
        if (tasks > Batch.MAX_TASKS) {
            throw new IllegalArgumentException("tasks must be <= " + Batch.MAX_TASKS + ", but was " + tasks);
        }
        Batch batch = BATCH.get();
        if (batch.busy) {
            batch = new Batch(); // a task that itself runs a parallel call on this thread: a batch of its own
        }
        batch.busy = true;
        try {
            batch.begin(tasks, task);
            int helpers = Math.min(threads, tasks) - 1;
            if (executor == null) {
                WorkerPool.INSTANCE.hire(batch, helpers);
            } else {
                for (int h = 0; h < helpers; h++) {
                    try {
                        executor.execute(batch);
                    } catch (RejectedExecutionException e) {
                        break; // the caller takes the tasks nobody else will
                    }
                }
            }
            batch.run();
            batch.awaitAll();
            Throwable failure = batch.end();
            if (failure instanceof RuntimeException re) {
                throw re;
            }
            if (failure instanceof Error err) {
                throw err;
            }
            if (failure != null) {
                throw new IllegalStateException(failure);
            }
        } finally {
            batch.busy = false;
        }
    }

    /** Each calling thread's batch, reused by its calls: a parallel call allocates nothing of its own. */
    private static final ThreadLocal<Batch> BATCH = ThreadLocal.withInitial(Batch::new);

    /**
     * The tasks of one parallel call, claimed one at a time by whoever runs this: the caller and the helper
     * threads. A calling thread reuses its batch for call after call, so one call's helper may start late,
     * during a later call or between calls. That is safe because a claim is a compare-and-set of one word
     * holding (generation, task count, next task): a late helper either finds nothing left to claim, or
     * claims a task of the call in progress and helps with it. A claim succeeds only while its generation is
     * current, and a call does not end before its claimed tasks have finished, so the task a helper read
     * before its claim is the one of the generation it claimed in.
     */
    private static final class Batch implements Runnable {
        static final int MAX_TASKS = 0xFFFF;
        private static final AtomicLongFieldUpdater<Batch> STATE =
                AtomicLongFieldUpdater.newUpdater(Batch.class, "state");
        private static final AtomicIntegerFieldUpdater<Batch> REMAINING =
                AtomicIntegerFieldUpdater.newUpdater(Batch.class, "remaining");
        private static final AtomicReferenceFieldUpdater<Batch, Throwable> FAILURE =
                AtomicReferenceFieldUpdater.newUpdater(Batch.class, Throwable.class, "failure");

        /** The calling thread, unparked by whoever finishes the last task. */
        private final Thread waiter = Thread.currentThread();
        /** Only the calling thread reads or writes this: a nested parallel call must not reuse the batch. */
        boolean busy;
        /** generation (bits 32..63) | task count (bits 16..31) | next task to claim (bits 0..15). */
        private volatile long state;
        private volatile Task task;
        private volatile int remaining;
        private volatile Throwable failure;

        /** Publishes a new call: its fields first, then the state that lets helpers claim its tasks. */
        void begin(int tasks, Task task) {
            this.task = task;
            this.failure = null;
            this.remaining = tasks;
            long generation = (state >>> 32) + 1;
            state = generation << 32 | (long) tasks << 16;
        }

        /** After awaitAll: the first failure of the call; no reference to the task is kept. */
        Throwable end() {
            task = null;
            return failure;
        }

        @Override
        public void run() {
            while (true) {
                long s = state;
                int next = (int) (s & 0xFFFF);
                int tasks = (int) (s >>> 16 & 0xFFFF);
                if (next >= tasks) {
                    return;
                }
                Task current = task; // read before the claim: see the class comment
                if (!STATE.compareAndSet(this, s, s + 1)) {
                    continue;
                }
                try {
                    current.run(next);
                } catch (Throwable e) {
                    FAILURE.compareAndSet(this, null, e);
                } finally {
                    // each task's writes precede its decrement; reading 0 in awaitAll sees all of them
                    if (REMAINING.decrementAndGet(this) == 0) {
                        LockSupport.unpark(waiter);
                    }
                }
            }
        }

        /** Made once per batch: waiting allocates nothing. */
        private final BooleanSupplier allDone = () -> remaining == 0;

        /** Spins first (a helper usually finishes within microseconds of the caller), then parks. */
        void awaitAll() {
            if (WorkerPool.spinUntil(allDone)) {
                return;
            }
            boolean interrupted = false;
            while (remaining != 0) {
                LockSupport.park(this); // may return spuriously or on interrupt: the loop re-checks
                if (Thread.interrupted()) {
                    interrupted = true; // the tasks write the caller's arrays: wait for them regardless
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void checkThreads(int threads) {
        if (threads < 1 || threads > Batch.MAX_TASKS) {
            throw new IllegalArgumentException("threads must be in [1, " + Batch.MAX_TASKS + "], but was " + threads);
        }
    }

    private static Parallelism fromProperty() {
        String value = System.getProperty(THREADS_PROPERTY, "").trim().toLowerCase(Locale.ROOT);
        if (value.isEmpty()) {
            return SERIAL;
        }
        if (value.equals("auto")) {
            return threads(Runtime.getRuntime().availableProcessors());
        }
        try {
            return threads(Integer.parseInt(value));
        } catch (IllegalArgumentException e) {
            System.err.println("vecprop: WARNING: ignoring -D" + THREADS_PROPERTY + "=" + value
                    + " (expected a number >= 1 or 'auto'); kernels run serially");
            return SERIAL;
        }
    }
}
