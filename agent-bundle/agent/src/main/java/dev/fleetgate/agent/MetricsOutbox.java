package dev.fleetgate.agent;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Metric batches waiting to be sent to the core (a service; the runtime uses the one with
 * the highest ranking). The runtime attaches at most one batch to each sync as the request's
 * {@code metrics} array, with its {@link Batch#id() id} as {@code metricsBatch}. A batch is in
 * flight from {@link #poll()} until the runtime either {@linkplain #acknowledge acknowledges}
 * it (the core stored it) or {@linkplain #giveBack gives it back} (it is sent again later, in
 * order); each batch polled is settled once, except when the outbox is replaced or goes away
 * meanwhile (it is then forgotten: the outbox is gone).
 *
 * <p>A core may answer a sync before the batch it carries is committed. It then confirms the
 * batch in the {@code metricsStored} of that or a later answer, so a batch may stay in flight
 * across several syncs, while newer batches are polled and sent. The runtime gives a batch back
 * when the core reports it in {@code metricsFailed}, when a sync fails (connection error, 503,
 * any other status: the core may have lost what it accepted), when it is not confirmed within
 * a few minutes, or when a core that does not confirm batches later answers. A core that does
 * not confirm later (no {@code metricsStored} in its answer) stored the batch when it answers
 * 200: the batch is acknowledged at once. A batch may therefore reach the core more than once;
 * the core removes the duplicate samples.
 *
 * <p>A provider calls {@link AgentContext#requestSync()} when a batch becomes ready: the
 * runtime then pushes syncs with {@code wait=0} while {@link #hasPending()} is true, so
 * batches do not wait for the end of a long-poll.
 */
@ConsumerType
public interface MetricsOutbox {

    /**
     * Takes the oldest batch that is neither acknowledged nor in flight. It is in flight until
     * it is acknowledged or given back.
     *
     * @return the batch, or {@code null} when none waits
     */
    Batch poll();

    /** The core stored the batch (possibly several syncs after it was sent): forget it. */
    void acknowledge(Batch batch);

    /**
     * The core did not store the batch, or may have lost it: send it again later (before newer
     * batches).
     */
    void giveBack(Batch batch);

    /** @return whether a batch waits to be sent (not counting those in flight) */
    boolean hasPending();

    /**
     * A batch of series, sent as the sync request's {@code metrics} array.
     *
     * @param id     the provider's id of the batch (grows with age)
     * @param series {@code [{"name", "labels": {}, "points": [[epochMillis, value], ...]}, ...]}
     */
    record Batch(long id, JsonNode series) {}
}
