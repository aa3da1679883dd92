package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** Parallelism.run's contract: every task runs exactly once, a failure is rethrown after all ended, interrupts wait. */
class ParallelismRunTest {
    @Test
    void everyTaskRunsExactlyOnceOnEveryKindOfParallelism() {
        Parallelism[] kinds = {Parallelism.threads(2), Parallelism.threads(4), Parallelism.of(Runnable::run, 3),
                Parallelism.of(r -> new Thread(r).start(), 3), Parallelism.of(r -> {
                    throw new java.util.concurrent.RejectedExecutionException();
                }, 3)};
        for (Parallelism par : kinds) {
            for (int rep = 0; rep < 200; rep++) {
                int tasks = 1 + rep % 9;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                par.run(tasks, runs::incrementAndGet);
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, runs.get(t), par + ": task " + t + " of " + tasks);
                }
            }
        }
    }

    @Test
    void aFailureIsRethrownOnlyAfterTheOtherTasksEnded() {
        int tasks = 8;
        AtomicIntegerArray ended = new AtomicIntegerArray(tasks);
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Parallelism.threads(3).run(tasks, t -> {
            try {
                Thread.sleep(5);
                if (t == 2) {
                    throw boom;
                }
            } catch (InterruptedException ie) {
                throw new AssertionError(ie);
            } finally {
                ended.incrementAndGet(t);
            }
        }));
        assertSame(boom, e);
        for (int t = 0; t < tasks; t++) {
            assertEquals(1, ended.get(t), "task " + t + " ended before run returned");
        }
    }

    @Test
    void anInterruptedCallerStillWaitsForAllTasksAndKeepsTheFlag() throws Exception {
        Thread caller = Thread.currentThread();
        int tasks = 2;
        AtomicIntegerArray ended = new AtomicIntegerArray(tasks);
        java.util.concurrent.atomic.AtomicBoolean helperStarted = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            Parallelism.threads(2).run(tasks, t -> {
                if (Thread.currentThread() == caller) {
                    // hold the caller's task until the helper took the other one, so the caller must wait for it
                    long deadline = System.nanoTime() + 10_000_000_000L;
                    while (!helperStarted.get() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                } else {
                    helperStarted.set(true);
                    caller.interrupt(); // the caller is about to wait for this task
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException ie) {
                        throw new AssertionError(ie);
                    }
                }
                ended.incrementAndGet(t);
            });
            assertTrue(helperStarted.get(), "a helper thread ran a task");
            assertTrue(Thread.currentThread().isInterrupted(), "the interrupt is kept for the caller");
        } finally {
            Thread.interrupted();
        }
        for (int t = 0; t < tasks; t++) {
            assertEquals(1, ended.get(t), "task " + t + " ended before run returned");
        }
    }

    /**
     * A calling thread reuses one batch for all its calls, so a helper submitted for one call can start
     * during a later call (or between calls). Here every submitted helper is held back and started late, in
     * bursts, by another thread: each call's tasks must still run exactly once, each on that call's data.
     */
    @Test
    void lateHelpersFromEarlierCallsOnlyHelpWithTheCallInProgress() throws Exception {
        java.util.concurrent.LinkedBlockingQueue<Runnable> held = new java.util.concurrent.LinkedBlockingQueue<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicInteger helped = new java.util.concurrent.atomic.AtomicInteger();
        Thread releaser = new Thread(() -> {
            java.util.Random random = new java.util.Random(7);
            while (!stop.get()) {
                try {
                    Thread.sleep(random.nextInt(3));
                } catch (InterruptedException e) {
                    return;
                }
                for (Runnable r; (r = held.poll()) != null; ) {
                    new Thread(r).start();
                }
            }
        });
        releaser.start();
        Parallelism par = Parallelism.of(held::add, 3);
        try {
            for (int call = 0; call < 400; call++) {
                int tasks = 2 + call % 5;
                AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
                Thread caller = Thread.currentThread();
                par.run(tasks, t -> {
                    if (Thread.currentThread() != caller) {
                        helped.incrementAndGet();
                    }
                    runs.incrementAndGet(t);
                    if (t % 2 == 0) {
                        Thread.onSpinWait(); // a little uneven work
                        java.util.concurrent.locks.LockSupport.parkNanos(20_000);
                    }
                });
                for (int t = 0; t < tasks; t++) {
                    assertEquals(1, runs.get(t), "call " + call + ": task " + t + " of " + tasks);
                }
            }
        } finally {
            stop.set(true);
            releaser.join();
        }
        // control: the late helpers did take part (else this test would not exercise them)
        assertTrue(helped.get() > 0, "no late helper ran a task");
    }

    @Test
    void aTaskMayRunAParallelCallOfItsOwnOnTheSameThread() {
        Parallelism par = Parallelism.threads(2);
        AtomicIntegerArray inner = new AtomicIntegerArray(4 * 3);
        AtomicIntegerArray outer = new AtomicIntegerArray(4);
        par.run(4, t -> {
            par.run(3, u -> inner.incrementAndGet(t * 3 + u));
            outer.incrementAndGet(t);
        });
        for (int i = 0; i < outer.length(); i++) {
            assertEquals(1, outer.get(i), "outer task " + i);
        }
        for (int i = 0; i < inner.length(); i++) {
            assertEquals(1, inner.get(i), "inner task " + i);
        }
    }
}
