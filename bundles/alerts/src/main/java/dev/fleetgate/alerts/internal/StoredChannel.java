package dev.fleetgate.alerts.internal;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A configured channel.
 *
 * @param settings the settings without the secret fields
 * @param secrets  secret field → SecretBox-sealed text
 */
public record StoredChannel(
        UUID id,
        String name,
        String type,
        ObjectNode settings,
        Map<String, String> secrets,
        int ratePerMinute,
        boolean enabled,
        Instant blockedUntil,
        Instant createdAt,
        Instant updatedAt) {

    public StoredChannel {
        secrets = Map.copyOf(secrets);
    }
}
