package dev.fleetgate.api;

import java.time.Instant;

/**
 * What the core knows of one enrolled agent.
 *
 * @param id         stable id (UUID text)
 * @param name       operator-given name, unique
 * @param hostname   the host's name as the agent reported it
 * @param role       {@code host} (default) or {@code edge}
 * @param status     ONLINE or OFFLINE, from the last sync
 * @param lastSeenAt the last sync, or null if never
 * @param version    the agent's software version
 * @param address    the address the agent reported for its proxy (may be null)
 */
public record AgentInfo(
        String id,
        String name,
        String hostname,
        String role,
        Status status,
        Instant lastSeenAt,
        String version,
        String address) {

    /** Connection state of an agent. */
    public enum Status {
        ONLINE,
        OFFLINE
    }

    public static final String ROLE_HOST = "host";
    public static final String ROLE_EDGE = "edge";
}
