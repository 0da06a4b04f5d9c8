package dev.fleetgate.api;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A task and where it stands.
 *
 * @param status PENDING, DELIVERED, SUCCEEDED, FAILED or EXPIRED
 */
public record TaskView(
        String id,
        String agentId,
        String type,
        JsonNode payload,
        String status,
        JsonNode result,
        String error,
        int attempts,
        Instant createdAt,
        Instant deliveredAt,
        Instant completedAt,
        Instant expiresAt) {

    public boolean isDone() {
        return "SUCCEEDED".equals(status) || "FAILED".equals(status) || "EXPIRED".equals(status);
    }
}
