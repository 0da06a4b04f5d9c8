package dev.fleetgate.agent;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Metric batches waiting to be sent to the core (a service; the runtime uses the one with
 * the highest ranking). The runtime attaches at most one batch to each sync as the request's
 * {@code metrics} array and, when the core answered 200, {@linkplain #acknowledge
 * acknowledges} it; when the sync failed (connection error, 503 because the core could not
 * store it, any other status) it {@linkplain #giveBack gives it back}, and the batch is sent
 * again later, in order.
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

    /** The core stored the batch: forget it. */
    void acknowledge(Batch batch);

    /** The sync carrying the batch failed: send it again later (before newer batches). */
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
