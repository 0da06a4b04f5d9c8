package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DebouncerTest {
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void burstRunsOnceAndLaterTriggersRunAgain() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        Semaphore ran = new Semaphore(0);
        Debouncer d = new Debouncer(executor, 200, () -> {
            runs.incrementAndGet();
            ran.release();
        });
        for (int i = 0; i < 20; i++) {
            d.trigger();
        }
        assertTrue(ran.tryAcquire(10, TimeUnit.SECONDS));
        assertEquals(1, runs.get(), "a burst is one rebuild");
        d.trigger();
        assertTrue(ran.tryAcquire(10, TimeUnit.SECONDS));
        assertEquals(2, runs.get());
    }
}
