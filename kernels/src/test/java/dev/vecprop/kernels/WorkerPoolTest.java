package dev.vecprop.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The library pool: workers are reused (spinning or parked), never more than one per processor. */
class WorkerPoolTest {
    private static long liveWorkers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vecprop-worker-") && t.isAlive()).count();
    }

    private static int helpedCalls(Parallelism par, int calls, long pauseNanos) {
        Thread caller = Thread.currentThread();
        AtomicInteger helped = new AtomicInteger();
        for (int c = 0; c < calls; c++) {
            CountDownLatch both = new CountDownLatch(2);
            java.util.concurrent.atomic.AtomicBoolean helper = new java.util.concurrent.atomic.AtomicBoolean();
            par.run(2, t -> {
                if (Thread.currentThread() != caller) {
                    helper.set(true); // both tasks may run on helpers: a late one from the previous call joins in
                }
                both.countDown();
                try {
                    both.await(1, TimeUnit.SECONDS); // each task waits for the other: two threads, or a 1 s timeout
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
            });
            if (helper.get()) {
                helped.incrementAndGet();
            }
            if (pauseNanos > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(pauseNanos);
            }
        }
        return helped.get();
    }

    @Test
    void backToBackCallsReuseTheSameWorkers() {
        Parallelism par = Parallelism.threads(2);
        int helped = helpedCalls(par, 500, 0);
        assertEquals(500, helped, "every call had a helper thread");
        assertTrue(liveWorkers() <= Math.max(2, Runtime.getRuntime().availableProcessors()),
                "at most one worker per processor, found " + liveWorkers());
    }

    @Test
    void aWorkerThatParkedIsWokenForTheNextCall() {
        // pauses far longer than the spin, so each call finds its helper parked
        long pause = WorkerPool.SPIN_NANOS + TimeUnit.MILLISECONDS.toNanos(5);
        assertEquals(20, helpedCalls(Parallelism.threads(2), 20, pause), "every call had a helper thread");
    }

    @Test
    void whenEveryWorkerIsBusyTheCallerTakesTheTasks() throws Exception {
        int max = Math.max(2, Runtime.getRuntime().availableProcessors());
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(max);
        Thread[] blockers = new Thread[max];
        for (int i = 0; i < max; i++) {
            // each blocker's helper task holds a worker until released; the blocker's own task waits for that
            java.util.concurrent.atomic.AtomicBoolean helperTookOne = new java.util.concurrent.atomic.AtomicBoolean();
            blockers[i] = new Thread(() -> Parallelism.threads(2).run(2, t -> {
                if (Thread.currentThread().getName().startsWith("vecprop-worker-")) {
                    helperTookOne.set(true);
                    started.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                } else {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                    while (!helperTookOne.get() && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                }
            }));
            blockers[i].start();
        }
        try {
            assertTrue(started.await(10, TimeUnit.SECONDS), "every worker is busy");
            assertThrows(RejectedExecutionException.class, () -> WorkerPool.INSTANCE.execute(() -> { }));
            AtomicInteger ran = new AtomicInteger();
            Parallelism.threads(2).run(5, t -> ran.incrementAndGet());
            assertEquals(5, ran.get(), "the caller ran all tasks itself");
        } finally {
            release.countDown();
            for (Thread b : blockers) {
                b.join();
            }
        }
    }
}
