package dev.fleetgate.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class ThreadsTest {

    @Test
    void everyExecutorRunsOnNamedDaemonThreads() throws Exception {
        ScheduledExecutorService scheduler = Threads.scheduler("t-scheduler");
        ExecutorService single = Threads.single("t-single");
        ExecutorService pool = Threads.pool("t-pool", 2);
        ExecutorService cached = Threads.cached("t-cached");
        try {
            assertDaemonNamed(
                    "t-scheduler",
                    scheduler
                            .schedule(Thread::currentThread, 1, TimeUnit.MILLISECONDS)
                            .get());
            assertDaemonNamed("t-single", single.submit(Thread::currentThread).get());
            assertDaemonNamed("t-pool", pool.submit(Thread::currentThread).get());
            assertDaemonNamed("t-cached", cached.submit(Thread::currentThread).get());
        } finally {
            scheduler.shutdownNow();
            single.shutdownNow();
            pool.shutdownNow();
            cached.shutdownNow();
        }
        assertTrue(scheduler.awaitTermination(5, TimeUnit.SECONDS));
    }

    @Test
    void everyRunsTheTaskAgainAfterEachPeriod() throws Exception {
        java.util.concurrent.CountDownLatch runs = new java.util.concurrent.CountDownLatch(3);
        java.util.List<Thread> on = new java.util.concurrent.CopyOnWriteArrayList<>();
        ScheduledExecutorService timer = Threads.every("t-every", java.time.Duration.ofMillis(10), () -> {
            on.add(Thread.currentThread());
            runs.countDown();
        });
        try {
            assertTrue(runs.await(30, TimeUnit.SECONDS), "three runs");
            assertDaemonNamed("t-every", on.get(0));
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void aFactoryMakesUnstartedDaemonThreads() {
        Thread t = Threads.daemon("t-factory").newThread(() -> {});
        assertDaemonNamed("t-factory", t);
        assertEquals(Thread.State.NEW, t.getState());
    }

    private static void assertDaemonNamed(String name, Thread thread) {
        assertEquals(name, thread.getName());
        assertTrue(thread.isDaemon(), name + " is a daemon thread");
    }
}
