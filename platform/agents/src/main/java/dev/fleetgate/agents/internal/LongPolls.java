package dev.fleetgate.agents.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Held sync requests, at most one per agent. A held request is answered once: by a wake-up
 * whose re-check finds something to send, by its timeout, or empty when a newer request of
 * the same agent replaces it. A per-agent ticket closes the gap between computing an empty
 * answer and holding the request: a wake-up in between makes the hold re-check at once.
 */
public final class LongPolls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LongPolls.class);

    /** A held request. */
    public interface Waiter {
        /** Looks again for something to send; answers and returns true if there is. */
        boolean recheck();

        /** Answers with nothing (timeout, replacement, shutdown). */
        void answerEmpty();
    }

    private static final class Held {
        final Waiter waiter;
        ScheduledFuture<?> timeout;
        boolean done;

        Held(Waiter waiter) {
            this.waiter = waiter;
        }
    }

    private final Map<String, Held> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> tickets = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer;
    private final ExecutorService checks;

    public LongPolls() {
        timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "fleetgate-longpoll-timer"));
        checks = Executors.newFixedThreadPool(2, r -> daemon(r, "fleetgate-longpoll-check"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Take before computing an answer; pass to {@link #hold}. */
    public long ticket(String agentId) {
        return tickets.computeIfAbsent(agentId, k -> new AtomicLong()).get();
    }

    /** Holds a request for up to {@code max}, replacing (and answering empty) a held one. */
    public void hold(String agentId, long ticket, Duration max, Waiter waiter) {
        Held h = new Held(waiter);
        synchronized (h) {
            h.timeout = timer.schedule(() -> expire(agentId, h), max.toMillis(), TimeUnit.MILLISECONDS);
        }
        Held old = held.put(agentId, h);
        if (old != null) {
            finishEmpty(old);
        }
        if (ticket(agentId) != ticket) {
            wake(agentId);
        }
    }

    /** Something for this agent changed: the held request re-checks (off the caller's thread). */
    public void wake(String agentId) {
        tickets.computeIfAbsent(agentId, k -> new AtomicLong()).incrementAndGet();
        Held h = held.get(agentId);
        if (h != null) {
            checks.execute(() -> recheck(agentId, h));
        }
    }

    /** Answers the agent's held request empty, if any (its process is gone). */
    public void release(String agentId) {
        Held h = held.remove(agentId);
        if (h != null) {
            finishEmpty(h);
        }
    }

    /** Something for every agent changed. */
    public void wakeAll() {
        tickets.values().forEach(AtomicLong::incrementAndGet);
        List.copyOf(held.keySet()).forEach(this::wake);
    }

    public int heldCount() {
        return held.size();
    }

    private void recheck(String agentId, Held h) {
        synchronized (h) {
            if (h.done) {
                return;
            }
            try {
                if (h.waiter.recheck()) {
                    h.done = true;
                    h.timeout.cancel(false);
                }
            } catch (RuntimeException e) {
                LOG.warn("Re-check of the held sync of agent {} failed", agentId, e);
                return;
            }
        }
        if (h.done) {
            held.remove(agentId, h);
        }
    }

    private void expire(String agentId, Held h) {
        held.remove(agentId, h);
        finishEmpty(h);
    }

    private static void finishEmpty(Held h) {
        synchronized (h) {
            if (h.done) {
                return;
            }
            h.done = true;
            if (h.timeout != null) {
                h.timeout.cancel(false);
            }
        }
        try {
            h.waiter.answerEmpty();
        } catch (RuntimeException e) {
            LOG.debug("Answering a held sync failed", e);
        }
    }

    /** Answers every held request empty and stops the threads. */
    @Override
    public void close() {
        List.copyOf(held.values()).forEach(LongPolls::finishEmpty);
        held.clear();
        timer.shutdownNow();
        checks.shutdownNow();
    }
}
