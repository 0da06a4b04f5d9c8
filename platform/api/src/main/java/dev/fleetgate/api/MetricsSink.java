package dev.fleetgate.api;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Whiteboard service: stores the metric batches agents send with their syncs.
 *
 * <p>The sync handler calls {@link #accept} synchronously, before it answers the sync, with
 * the request's {@code metrics} array (each element
 * {@code {"name", "labels": {}, "points": [[epochMillis, value], ...]}}; see
 * docs/protocol.md). At most one sink is used (the highest ranked). When it throws, the
 * sync answers 503 with {@code Retry-After} and records nothing else of the request, so the
 * agent keeps the batch and sends it again; with no sink registered, batches are accepted
 * and dropped (and counted).
 *
 * <p>For an agent that takes confirmations in later answers ({@code metricsBatch}), the sync handler calls
 * {@link #acceptJsonLater} instead and confirms the batch once the returned stage completes.
 *
 * <p>A sink must return quickly (it holds the agent's sync) and must not throw for
 * malformed series: it skips and counts them, because a batch that can never be stored
 * would otherwise be retried for ever. It throws only when storing failed and a retry may
 * succeed (e.g. the database is unreachable).
 *
 * @since 1.2
 */
@ConsumerType
public interface MetricsSink {

    /**
     * @param agentId the agent that sent the batch; sinks label every series {@code agent=<agentId>}
     * @param series  the {@code metrics} array of the sync request (never null, may be empty)
     * @throws Exception when the batch was not stored and the agent should send it again
     */
    void accept(String agentId, JsonNode series) throws Exception;

    /**
     * The same batch as JSON text: the sync handler hands over the request's {@code metrics}
     * array as it came (UTF-8, syntactically valid JSON), so that a sink can read it token by
     * token instead of building a tree. The default parses it and calls {@link #accept}.
     *
     * @param json   the request body; the array is {@code json[offset, offset + length)}
     * @throws Exception when the batch was not stored and the agent should send it again
     * @since 1.5
     */
    default void acceptJson(String agentId, byte[] json, int offset, int length) throws Exception {
        accept(
                agentId,
                new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(new java.io.ByteArrayInputStream(json, offset, length)));
    }

    /**
     * The same batch, for an agent that takes confirmations in later answers ({@code metricsBatch} in its sync,
     * docs/protocol.md): the sink reads and checks the batch now, and may commit it after the sync is answered, so
     * that the agent does not wait for the database's commit. Everything the sink needs from {@code json} is read
     * before this returns. The default stores the batch at once ({@link #acceptJson}).
     *
     * @return completes when the batch is committed; completes exceptionally when it was not stored (the agent
     *         sends it again)
     * @throws Exception when the batch was not accepted and the agent should send it again (as {@link #acceptJson})
     * @since 2.3
     */
    default CompletionStage<Void> acceptJsonLater(String agentId, byte[] json, int offset, int length)
            throws Exception {
        acceptJson(agentId, json, offset, length);
        return CompletableFuture.completedFuture(null);
    }
}
