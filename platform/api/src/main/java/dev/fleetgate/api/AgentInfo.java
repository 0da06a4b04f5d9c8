package dev.fleetgate.api;

import java.time.Instant;

/**
 * What the core knows of one enrolled agent.
 *
 * @param id         stable id (UUID text)
 * @param name       operator-given name, unique
 * @param hostname   the host's name as the agent reported it
 * @param role       host (default) or edge
 * @param status     ONLINE or OFFLINE, from the last sync
 * @param lastSeenAt the last sync, or null if never
 * @param version    the agent's software version
 * @param address    the address the agent reported for its proxy (may be null)
 */
public record AgentInfo(
        String id,
        String name,
        String hostname,
        Role role,
        Status status,
        Instant lastSeenAt,
        String version,
        String address) {

    /** Connection state of an agent. */
    public enum Status {
        ONLINE,
        OFFLINE
    }

    /**
     * What an agent's proxy serves: a host runs services, an edge (a front proxy) also routes to the services
     * placed on other agents. Named by {@link #value()} in the agents' enrolment, the REST API and the database.
     */
    public enum Role {
        HOST("host"),
        EDGE("edge");

        private final String value;

        Role(String value) {
            this.value = value;
        }

        /** @return the lower-case name: {@code host} or {@code edge} */
        public String value() {
            return value;
        }

        /** @return the role whose {@link #value()} is exactly {@code text}, empty for anything else (null too) */
        public static java.util.Optional<Role> parse(String text) {
            for (Role r : values()) {
                if (r.value.equals(text)) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        }
    }
}
