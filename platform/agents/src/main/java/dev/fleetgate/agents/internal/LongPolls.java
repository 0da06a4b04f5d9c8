package dev.fleetgate.agents.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Threads;

/**
 * Held sync requests, at most one per agent. A held request is answered once: by a wake-up
 * whose re-check finds something to send, by its timeout, or empty when a newer request of
 * the same agent replaces it. A per-agent ticket closes the gap between computing an empty
 * answer and holding the request: a wake-up in between makes the hold re-check at once.
 *
 * <p>Woken requests are re-checked in batches of up to {@value #BATCH} on two threads: a
 * {@link Batch} loads what a whole batch will read in one go (one database round trip for
 * hundreds of agents instead of one each), which is what lets one change reach 10,000 held
 * requests in seconds.
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

    /** Prepares the re-checks of a batch of held requests, e.g. by loading their data at once. */
    public interface Batch {
        /** Called before the waiters' {@link Waiter#recheck()}s, on their thread; closed after them. */
        AutoCloseable prepare(List<Waiter> waiters);
    }

    static final int BATCH = 256;
    private static final int DRAINERS = 2;

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
    private final ConcurrentLinkedQueue<String> woken = new ConcurrentLinkedQueue<>();
    private final AtomicInteger drainers = new AtomicInteger();
    private volatile Batch batch = waiters -> () -> {};

    public LongPolls() {
        timer = Threads.scheduler("fleetgate-longpoll-timer");
        checks = Threads.pool("fleetgate-longpoll-check", DRAINERS);
    }

    /** Sets how batches of re-checks are prepared. */
    public void batch(Batch b) {
        this.batch = b;
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
        if (held.containsKey(agentId)) {
            woken.add(agentId);
            drain();
        }
    }

    private void drain() {
        while (true) {
            int n = drainers.get();
            if (n >= DRAINERS || woken.isEmpty()) {
                return;
            }
            if (drainers.compareAndSet(n, n + 1)) {
                try {
                    checks.execute(this::drainLoop);
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    drainers.decrementAndGet(); // closed
                }
                return;
            }
        }
    }

    private void drainLoop() {
        try {
            while (true) {
                Set<String> ids = new LinkedHashSet<>();
                for (String id; ids.size() < BATCH && (id = woken.poll()) != null; ) {
                    ids.add(id);
                }
                if (ids.isEmpty()) {
                    return;
                }
                recheckBatch(ids);
            }
        } finally {
            drainers.decrementAndGet();
            drain(); // an id queued while this drainer was leaving
        }
    }

    private void recheckBatch(Set<String> ids) {
        List<String> agents = new ArrayList<>(ids.size());
        List<Held> helds = new ArrayList<>(ids.size());
        List<Waiter> waiters = new ArrayList<>(ids.size());
        for (String id : ids) {
            Held h = held.get(id);
            if (h != null) {
                agents.add(id);
                helds.add(h);
                waiters.add(h.waiter);
            }
        }
        if (helds.isEmpty()) {
            return;
        }
        AutoCloseable prepared;
        try {
            prepared = batch.prepare(waiters);
        } catch (RuntimeException e) {
            LOG.warn("Preparing the re-check of {} held syncs failed; each reads its own", helds.size(), e);
            prepared = () -> {};
        }
        try {
            for (int i = 0; i < helds.size(); i++) {
                recheck(agents.get(i), helds.get(i));
            }
        } finally {
            try {
                prepared.close();
            } catch (Exception e) {
                LOG.debug("Closing a prepared re-check batch failed", e);
            }
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
        woken.addAll(held.keySet());
        drain();
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
