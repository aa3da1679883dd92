package dev.vecprop.kernels;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The library's own threads, behind {@link Parallelism#threads(int)}: daemon workers, made when a call finds
 * none free (at most one per processor), that wait for their next task by spinning for a short while
 * ({@link #SPIN_NANOS}) before they park. A worker parked for {@link #IDLE_NANOS} ends.
 *
 * <p>Why spin: a training step makes a parallel call every few hundred microseconds with a few microseconds
 * of serial work between calls, and waking a parked thread costs tens of microseconds on a virtual machine.
 * Measured here with {@code Executors.newCachedThreadPool}: a call of two 15 µs tasks on two threads took
 * 34–38 µs, against 28–30 µs for both tasks on one thread, so the second thread gained nothing. A worker that
 * is still spinning starts a task within a microsecond. The price is up to {@link #SPIN_NANOS} of one core's
 * time per worker after each parallel call; {@code -Dvecprop.spinMicros=0} turns spinning off.
 *
 * <p>No allocation per task: each worker has a one-task mailbox that {@link #hire} fills with a
 * compare-and-set; new threads are made only when every worker is busy.
 */
final class WorkerPool {
    /** System property: how long an idle worker, or a caller waiting for its helpers, spins (µs). */
    static final String SPIN_PROPERTY = "vecprop.spinMicros";
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Math.max(0, Long.getLong(SPIN_PROPERTY, 500)));
    static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** How long a call waits for a worker that is finishing the caller's previous call. */
    private static final long HANDOFF_NANOS = TimeUnit.MICROSECONDS.toNanos(5);
    /** At most one worker per processor (more threads would not compute faster; the caller is a thread too). */
    static final int MAX_WORKERS = Math.max(2, Runtime.getRuntime().availableProcessors());

    static final WorkerPool INSTANCE = new WorkerPool();

    /** Copy-on-write, replaced under this pool's lock; retired workers stay until their slot is reused. */
    private volatile Worker[] workers = new Worker[0];
    private int created;

    private WorkerPool() {
    }

    /**
     * Gives {@code task} to up to {@code helpers} workers: idle ones first, then new ones, never more workers
     * in all than {@link #MAX_WORKERS}. Never throws, and allocates nothing unless it makes a thread.
     *
     * <p>A worker may still hold {@code task} from the same caller's previous call (a caller reuses its
     * batch): it is either finishing that call, a few instructions from idle, or has yet to start it and will
     * then help with this one. Such a worker is waited for briefly and counted as a helper either way.
     *
     * <p>A worker runs a task once more after it is done with it (see {@link Worker#run}), so a task must
     * tolerate extra runs: the pool is only given {@link Parallelism}'s batches, whose runs claim their work.
     *
     * @return how many workers will run {@code task}; the caller takes whatever they do not
     */
    int hire(Runnable task, int helpers) {
        int given = 0;
        for (Worker w : workers) {
            if (given == helpers) {
                return given;
            }
            if (w.offer(task)) {
                given++;
            } else if (w.holds(task)) { // held since the previous call: this call has not offered to it yet
                long start = System.nanoTime();
                while (!w.offer(task) && System.nanoTime() - start < HANDOFF_NANOS) {
                    Thread.onSpinWait();
                }
                // Counted even if not taken: it has then mostly yet to start the batch, and will help with this
                // call when it does. (Not counting it made a second worker on 2 processors, and three threads
                // spinning on two took a 2-task call of 15 µs tasks from 14.5 µs to 35-41 µs, slower than one
                // thread. The price: a worker stalled after its last look at the batch leaves this call without
                // that helper; the caller then runs its tasks.)
                given++;
            }
        }
        while (given < helpers && hireNew(task)) {
            given++;
        }
        return given;
    }

    /** Starts a new worker with {@code task}, unless there are {@link #MAX_WORKERS} live ones already. */
    private synchronized boolean hireNew(Runnable task) {
        Worker[] ws = workers;
        int slot = -1;
        int live = 0;
        for (int i = 0; i < ws.length; i++) {
            if (ws[i].retired()) {
                slot = slot < 0 ? i : slot;
            } else {
                live++;
            }
        }
        if (live >= MAX_WORKERS) {
            return false;
        }
        Worker w = new Worker(task, "vecprop-worker-" + ++created);
        try {
            w.start(); // before it is published: a worker that never ran must not look alive
        } catch (OutOfMemoryError e) { // no native thread to be had: the caller runs the tasks
            return false;
        }
        Worker[] grown = slot >= 0 ? ws.clone() : Arrays.copyOf(ws, ws.length + 1);
        grown[slot >= 0 ? slot : ws.length] = w;
        workers = grown;
        return true;
    }

    /** @return how many live workers hold a task now (tests: with none, a call finds every worker ready for it) */
    int busy() {
        int busy = 0;
        for (Worker w : workers) {
            busy += w.busy() ? 1 : 0;
        }
        return busy;
    }

    /** @return how many workers this pool has made so far (tests) */
    synchronized int created() {
        return created;
    }

    /**
     * Spins until {@code done} says so or {@link #SPIN_NANOS} have passed.
     *
     * @return whether {@code done} became true while spinning
     */
    static boolean spinUntil(BooleanSupplier done) {
        if (done.getAsBoolean()) {
            return true;
        }
        long start = System.nanoTime();
        while (System.nanoTime() - start < SPIN_NANOS) {
            for (int i = 0; i < 64; i++) { // read the clock less often than the flag
                if (done.getAsBoolean()) {
                    return true;
                }
                Thread.onSpinWait();
            }
        }
        return done.getAsBoolean();
    }

    private static final class Worker extends Thread {
        /** In the mailbox of a worker that has ended: no task can be offered to it any more. */
        private static final Runnable RETIRED = () -> { };
        private static final AtomicReferenceFieldUpdater<Worker, Runnable> MAILBOX =
                AtomicReferenceFieldUpdater.newUpdater(Worker.class, Runnable.class, "mailbox");

        /** Null: idle, ready for a task. */
        private volatile Runnable mailbox;
        /** Set before the worker parks and re-checks its mailbox, so an offer sees it or the worker sees the task. */
        private volatile boolean parked;
        /** Made once: the spin loop allocates nothing. */
        private final BooleanSupplier hasTask = () -> mailbox != null;

        Worker(Runnable first, String name) {
            super(name);
            setDaemon(true);
            mailbox = first;
        }

        boolean holds(Runnable task) {
            return mailbox == task;
        }

        boolean busy() {
            Runnable m = mailbox;
            return m != null && m != RETIRED;
        }

        boolean retired() {
            return mailbox == RETIRED;
        }

        boolean offer(Runnable task) {
            if (!MAILBOX.compareAndSet(this, null, task)) {
                return false;
            }
            if (parked) {
                LockSupport.unpark(this);
            }
            return true;
        }

        @Override
        public void run() {
            Runnable task;
            while ((task = awaitTask()) != null) {
                runCaught(task);
                mailbox = null;
                // A call that began while this worker was finishing the task counted it as a helper (see hire)
                // but may not have given it the task again: look once more. A batch run finds nothing left to
                // claim, or helps with the call in progress.
                runCaught(task);
            }
        }

        private void runCaught(Runnable task) {
            try {
                task.run();
            } catch (Throwable e) { // Parallelism's batches catch their tasks' failures; this is a backstop
                getUncaughtExceptionHandler().uncaughtException(this, e);
            }
        }

        /** @return the next task, or null once the worker has retired after {@link #IDLE_NANOS} parked */
        private Runnable awaitTask() {
            if (spinUntil(hasTask)) {
                return mailbox;
            }
            long idleSince = System.nanoTime();
            while (true) {
                parked = true;
                Runnable task = mailbox;
                if (task == null) {
                    LockSupport.parkNanos(this, IDLE_NANOS);
                    task = mailbox;
                }
                parked = false;
                if (task != null) {
                    return task;
                }
                if (System.nanoTime() - idleSince >= IDLE_NANOS && MAILBOX.compareAndSet(this, null, RETIRED)) {
                    return null;
                }
            }
        }
    }
}
