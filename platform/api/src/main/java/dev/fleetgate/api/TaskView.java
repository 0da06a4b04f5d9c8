package dev.fleetgate.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task and where it stands.
 *
 * @param status where it stands (its name on the wire: PENDING, DELIVERED, SUCCEEDED, FAILED or EXPIRED)
 */
public record TaskView(
        String id,
        String agentId,
        String type,
        JsonNode payload,
        TaskStatus status,
        JsonNode result,
        String error,
        int attempts,
        Instant createdAt,
        Instant deliveredAt,
        Instant completedAt,
        Instant expiresAt) {

    public boolean isDone() {
        return status.done();
    }
}
