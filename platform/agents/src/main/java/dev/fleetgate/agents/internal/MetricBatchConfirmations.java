package dev.fleetgate.agents.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The metric batches of each agent that were accepted and not yet confirmed to it (docs/protocol.md, "metricsBatch"):
 * an answer lists those committed since the previous answer in {@code metricsStored}, those that could not be stored
 * in {@code metricsFailed}. In memory: a core that restarts forgets them, and their agents send them again when no
 * confirmation comes.
 */
final class MetricBatchConfirmations {
    /**
     * Batches of one agent that may wait for their commit: beyond, the sync stores its batch before it answers,
     * which paces an agent that sends faster than the database stores.
     */
    static final int MAX_OPEN_PER_AGENT = 32;

    /** Batches kept per agent; older ones are forgotten (their agent sends them again after its timeout). */
    static final int MAX_PER_AGENT = 256;

    /** What one answer confirms. */
    record Confirmed(List<Long> stored, List<Long> failed) {}

    private record Batch(long id, CompletableFuture<Void> done) {}

    private final Map<String, Deque<Batch>> byAgent = new ConcurrentHashMap<>();

    /** Remembers batch {@code id} of {@code agentId}, confirmed once {@code done} completes. */
    void add(String agentId, long id, CompletionStage<Void> done) {
        while (true) {
            Deque<Batch> batches = byAgent.computeIfAbsent(agentId, a -> new ArrayDeque<>());
            synchronized (batches) {
                if (byAgent.get(agentId) != batches) {
                    continue; // emptied and removed by take() meanwhile
                }
                batches.addLast(new Batch(id, done.toCompletableFuture()));
                while (batches.size() > MAX_PER_AGENT) {
                    batches.removeFirst();
                }
                return;
            }
        }
    }

    /** @return whether another batch of the agent may be answered before its commit */
    boolean mayWait(String agentId) {
        Deque<Batch> batches = byAgent.get(agentId);
        if (batches == null) {
            return true;
        }
        synchronized (batches) {
            int open = 0;
            for (Batch b : batches) {
                open += b.done().isDone() ? 0 : 1;
            }
            return open < MAX_OPEN_PER_AGENT;
        }
    }

    /** @return whether the agent has batches not yet confirmed */
    boolean tracks(String agentId) {
        return byAgent.containsKey(agentId);
    }

    /**
     * Takes the agent's batches whose commit is over.
     *
     * @return the confirmations of this answer (empty lists when none is over yet)
     */
    Confirmed take(String agentId) {
        List<Long> stored = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        Deque<Batch> batches = byAgent.get(agentId);
        if (batches == null) {
            return new Confirmed(stored, failed);
        }
        synchronized (batches) {
            for (Iterator<Batch> it = batches.iterator(); it.hasNext(); ) {
                Batch b = it.next();
                if (!b.done().isDone()) {
                    continue;
                }
                (b.done().isCompletedExceptionally() ? failed : stored).add(b.id());
                it.remove();
            }
            if (batches.isEmpty()) {
                byAgent.remove(agentId, batches);
            }
        }
        return new Confirmed(stored, failed);
    }

    /** Forgets an agent (removed). */
    void forget(String agentId) {
        byAgent.remove(agentId);
    }
}
