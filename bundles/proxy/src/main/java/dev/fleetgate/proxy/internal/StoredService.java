package dev.fleetgate.proxy.internal;

import java.time.Instant;
import java.util.UUID;

/**
 * A service as stored.
 *
 * @param revision 1 on creation, +1 on every update
 */
public record StoredService(UUID id, long revision, ServiceConfig config, Instant createdAt, Instant updatedAt) {

    public String name() {
        return config.name();
    }
}
