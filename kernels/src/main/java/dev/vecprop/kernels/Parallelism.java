package dev.vecprop.kernels;

import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;

/**
 * How many threads a kernel may use, and whose threads they are.
 *
 * <p>Kernels run on the calling thread unless asked otherwise (DESIGN.md §2: no hidden thread pools):
 * <ul>
 *   <li>{@link #serial()}: the calling thread only. The default.</li>
 *   <li>{@link #threads(int)}: up to n threads: the caller plus n − 1 daemon threads of a pool the library
 *       creates the first time it is needed.</li>
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
     * @throws IllegalArgumentException if {@code threads < 1}
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
     * @throws IllegalArgumentException if {@code threads < 1}
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
        Batch batch = new Batch(tasks, task);
        Executor ex = executor != null ? executor : Pool.EXECUTOR;
        int helpers = Math.min(threads, tasks) - 1;
        for (int h = 0; h < helpers; h++) {
            try {
                ex.execute(batch);
            } catch (RejectedExecutionException e) {
                break; // the caller takes the tasks nobody else will
            }
        }
        batch.run();
        batch.awaitAll();
        Throwable failure = batch.failure;
        if (failure instanceof RuntimeException re) {
            throw re;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
    }

    /**
     * Tasks claimed one at a time by whoever runs this: the caller and the helper threads. One small object
     * per call (counters in its own fields through static updaters, the caller parked until the last task
     * ends) rather than a latch and atomic objects. Not reused across calls: a helper submitted for one call
     * may start after that call returned, and must then find nothing left to claim, which a fresh object
     * guarantees without any generation bookkeeping.
     */
    private static final class Batch implements Runnable {
        private static final AtomicIntegerFieldUpdater<Batch> NEXT =
                AtomicIntegerFieldUpdater.newUpdater(Batch.class, "next");
        private static final AtomicIntegerFieldUpdater<Batch> REMAINING =
                AtomicIntegerFieldUpdater.newUpdater(Batch.class, "remaining");
        private static final AtomicReferenceFieldUpdater<Batch, Throwable> FAILURE =
                AtomicReferenceFieldUpdater.newUpdater(Batch.class, Throwable.class, "failure");

        private final int tasks;
        private final Task task;
        /** The calling thread, unparked by whoever finishes the last task. */
        private final Thread waiter = Thread.currentThread();
        private volatile int next;
        private volatile int remaining;
        volatile Throwable failure;

        Batch(int tasks, Task task) {
            this.tasks = tasks;
            this.task = task;
            this.remaining = tasks;
        }

        @Override
        public void run() {
            for (int t; (t = NEXT.getAndIncrement(this)) < tasks; ) {
                try {
                    task.run(t);
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

        void awaitAll() {
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

    /** The library's pool, created on first use: daemon threads, made on demand, idle ones end after 60 s. */
    private static final class Pool {
        static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(new ThreadFactory() {
            private final AtomicInteger count = new AtomicInteger();

            @Override
            public Thread newThread(Runnable r) {
                Thread t = new Thread(r, "vecprop-worker-" + count.incrementAndGet());
                t.setDaemon(true);
                return t;
            }
        });
    }

    private static void checkThreads(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, but was " + threads);
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
