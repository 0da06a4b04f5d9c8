package dev.fleetgate.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The executors of an agent bundle's background work: daemon threads named {@code name-N} (the agent keeps few
 * threads, so pools end their threads when idle). Whoever creates one shuts it down when it stops.
 */
public final class Threads {

    private Threads() {}

    /** A pool of at most {@code size} daemon threads named {@code name-N}, which end after 60 s idle. */
    public static ExecutorService pool(String name, int size) {
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(size, size, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), factory(name));
        executor.allowCoreThreadTimeOut(true);
        return executor;
    }

    /** {@code size} daemon threads named {@code name-N} running scheduled work; a cancelled task leaves the queue. */
    public static ScheduledThreadPoolExecutor scheduler(String name, int size) {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(size, factory(name));
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    /** Makes daemon threads named {@code name-1}, {@code name-2}… */
    public static ThreadFactory factory(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
