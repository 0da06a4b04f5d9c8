package dev.fleetgate.rest.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Runs a task once after a burst of triggers: the first trigger schedules it, later ones join. */
final class Debouncer {
    private final ScheduledExecutorService executor;
    private final long delayMillis;
    private final Runnable task;
    private final AtomicBoolean pending = new AtomicBoolean();

    Debouncer(ScheduledExecutorService executor, long delayMillis, Runnable task) {
        this.executor = executor;
        this.delayMillis = delayMillis;
        this.task = task;
    }

    void trigger() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.schedule(
                        () -> {
                            pending.set(false); // triggers from now on schedule another run
                            task.run();
                        },
                        delayMillis,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending.set(false); // shutting down
            }
        }
    }
}
