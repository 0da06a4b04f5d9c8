package dev.fleetgate.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.fleetgate.agent.MetricsOutbox;

/**
 * The sync's access to the {@link MetricsOutbox} (at most one, may come and go): a faulty
 * outbox is logged, never allowed to break a sync.
 *
 * <p>It also keeps the batches the core <em>accepted</em> but has not confirmed yet (docs/protocol.md: a
 * core may answer before the batch of the sync is committed and lists it in {@code metricsStored} of a later
 * answer). They stay in flight in their outbox until an answer settles them, a sync fails or they time out.
 * The sync runs on two threads (long-poll and push): the bookkeeping is guarded by this object's lock, the
 * outbox is called outside it.
 */
final class OutboxSlot {

    private static final Logger LOG = System.getLogger(OutboxSlot.class.getName());

    /** A batch the core accepted at {@code since} (the sync loop's clock, ns) and has not confirmed yet. */
    private record Accepted(MetricsOutbox box, MetricsOutbox.Batch batch, long since) {}

    /** An acknowledge ({@code stored}) or a give back, done once the lock is released. */
    private record Settle(MetricsOutbox box, MetricsOutbox.Batch batch, boolean stored) {}

    private volatile MetricsOutbox outbox;

    /** Accepted batches of {@link #outbox}, by id (guarded by this). */
    private final Map<Long, Accepted> accepted = new LinkedHashMap<>();
    /** Batches of a sync under way, by id, with their outbox (guarded by this). */
    private final Map<Long, MetricsOutbox> sending = new HashMap<>();
    /**
     * Ids among {@link #sending} that the answer to another sync already listed as stored: the core may
     * commit the batch of a held long-poll and say so in the answer to a push (guarded by this).
     */
    private final Set<Long> storedWhileSending = new HashSet<>();

    /** Sets the outbox; the accepted batches of the previous one are forgotten (it is gone). */
    synchronized void set(MetricsOutbox outbox) {
        if (this.outbox != outbox) {
            accepted.clear();
        }
        this.outbox = outbox;
    }

    /** Clears the outbox if it is this one (a replacement may have been set already). */
    synchronized void clear(MetricsOutbox old) {
        if (outbox == old) {
            outbox = null;
            accepted.clear();
        }
    }

    MetricsOutbox current() {
        return outbox;
    }

    boolean pending() {
        MetricsOutbox box = outbox;
        try {
            return box != null && box.hasPending();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
            return false;
        }
    }

    /** @return the ids of the accepted batches, oldest first (for tests and diagnostics) */
    synchronized List<Long> acceptedIds() {
        return List.copyOf(accepted.keySet());
    }

    /**
     * Takes the next batch of {@code box} for a sync. Exactly one of {@link #answered} and {@link #failed} must
     * follow, so that an answer to another sync confirming it meanwhile is not lost.
     *
     * @return the batch, or {@code null} when none waits or the outbox failed
     */
    MetricsOutbox.Batch take(MetricsOutbox box) {
        MetricsOutbox.Batch batch = poll(box);
        if (batch != null) {
            synchronized (this) {
                sending.put(batch.id(), box);
            }
        }
        return batch;
    }

    /**
     * The sync carrying {@code batch} (may be {@code null}) was answered with a 200.
     *
     * @param stored the answer's {@code metricsStored}, or {@code null} when the answer has none (a core that
     *               stores the batch before it answers: the batch is stored, and accepted batches will not be
     *               confirmed by it, so they are given back)
     * @param failed the answer's {@code metricsFailed} (accepted earlier, not stored: given back), or
     *               {@code null}
     * @param now    the sync loop's clock (ns), the time an unconfirmed batch is accepted
     */
    void answered(MetricsOutbox box, MetricsOutbox.Batch batch, List<Long> stored, List<Long> failed, long now) {
        List<Settle> settles = new ArrayList<>();
        synchronized (this) {
            // a negative id went without metricsBatch: the core stored it before its 200
            boolean storedBefore = sent(box, batch) || batch != null && batch.id() < 0;
            List<Long> lost = failed == null ? List.of() : failed;
            if (stored == null) {
                giveBackAccepted(settles);
                if (batch != null) {
                    settles.add(new Settle(box, batch, true));
                }
            } else {
                for (Long id : stored) {
                    Accepted entry = accepted.remove(id);
                    if (entry != null) {
                        settles.add(new Settle(entry.box(), entry.batch(), true));
                    } else if (sending.containsKey(id)) {
                        storedWhileSending.add(id);
                    }
                }
                for (Long id : lost) {
                    Accepted entry = accepted.remove(id);
                    if (entry != null) {
                        settles.add(new Settle(entry.box(), entry.batch(), false));
                    }
                }
                if (batch != null) {
                    if (storedBefore || stored.contains(batch.id())) {
                        settles.add(new Settle(box, batch, true));
                    } else if (lost.contains(batch.id()) || box != outbox) {
                        // a batch of a replaced outbox is not kept: nothing would settle it
                        settles.add(new Settle(box, batch, false));
                    } else {
                        accepted.put(batch.id(), new Accepted(box, batch, now));
                    }
                }
            }
        }
        settle(settles);
    }

    /**
     * The sync carrying {@code batch} (may be {@code null}) failed: it and the accepted batches are given back
     * (the core may have lost what it accepted, e.g. when it restarted).
     */
    void failed(MetricsOutbox box, MetricsOutbox.Batch batch) {
        List<Settle> settles = new ArrayList<>();
        synchronized (this) {
            boolean storedBefore = sent(box, batch);
            giveBackAccepted(settles);
            if (batch != null) {
                settles.add(new Settle(box, batch, storedBefore));
            }
        }
        settle(settles);
    }

    /**
     * Gives back the batches accepted more than {@code timeoutNanos} before {@code now}: the core that accepted
     * them has not confirmed them (its answers went elsewhere, it lost them without knowing), and a resent
     * batch costs only duplicate samples, which the core removes at read time.
     */
    void expire(long now, long timeoutNanos) {
        List<Settle> settles = new ArrayList<>();
        synchronized (this) {
            for (Iterator<Accepted> it = accepted.values().iterator(); it.hasNext(); ) {
                Accepted entry = it.next();
                if (now - entry.since() > timeoutNanos) {
                    it.remove();
                    settles.add(new Settle(entry.box(), entry.batch(), false));
                }
            }
        }
        settle(settles);
    }

    /** @return whether the batch of the finished sync was listed as stored by another sync's answer */
    private boolean sent(MetricsOutbox box, MetricsOutbox.Batch batch) {
        if (batch == null || !sending.remove(batch.id(), box)) {
            return false;
        }
        return storedWhileSending.remove(batch.id());
    }

    private void giveBackAccepted(List<Settle> settles) {
        accepted.values().forEach(entry -> settles.add(new Settle(entry.box(), entry.batch(), false)));
        accepted.clear();
    }

    /** Settles newest first: an outbox that puts each batch given back before the others keeps their order. */
    private static void settle(List<Settle> settles) {
        settles.sort(Comparator.comparingLong((Settle s) -> s.batch().id()).reversed());
        settles.forEach(s -> settle(s.box(), s.batch(), s.stored()));
    }

    static MetricsOutbox.Batch poll(MetricsOutbox box) {
        if (box == null) {
            return null;
        }
        try {
            return box.poll();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
            return null;
        }
    }

    /** Acknowledges the batch (the core stored it) or gives it back (to be sent again). */
    static void settle(MetricsOutbox box, MetricsOutbox.Batch batch, boolean stored) {
        if (batch == null) {
            return;
        }
        try {
            if (stored) {
                box.acknowledge(batch);
            } else {
                box.giveBack(batch);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "metrics outbox failed", e);
        }
    }
}
