package dev.fleetgate.api;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The executors of a module's background work: daemon threads with a name of the module's (so a stopping
 * framework never waits for them and a thread dump says whose they are). Whoever creates one shuts it down in
 * its {@code @Deactivate}.
 */
public final class Threads {

    private Threads() {}

    /** Makes daemon threads named {@code name}. */
    public static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One daemon thread named {@code name} running scheduled (and immediate) work in order. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(daemon(name));
    }

    /**
     * One daemon thread named {@code name} running {@code task} every {@code period} (with a fixed delay between
     * the end of a run and the next), the first time after one period: a module's periodic maintenance.
     */
    public static ScheduledExecutorService every(String name, Duration period, Runnable task) {
        ScheduledExecutorService timer = scheduler(name);
        timer.scheduleWithFixedDelay(task, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
        return timer;
    }

    /** One daemon thread named {@code name} running work in order. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(daemon(name));
    }

    /** {@code size} daemon threads named {@code name}. */
    public static ExecutorService pool(String name, int size) {
        return Executors.newFixedThreadPool(size, daemon(name));
    }

    /** Daemon threads named {@code name}, as many as the work needs, ending after 60 s idle. */
    public static ExecutorService cached(String name) {
        return Executors.newCachedThreadPool(daemon(name));
    }
}
