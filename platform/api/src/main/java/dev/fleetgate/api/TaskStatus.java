package dev.fleetgate.api;

import java.util.Optional;

/**
 * Where a task stands ({@link TaskView#status()}), by the same names in the REST API and in the agents' reports:
 * PENDING until an agent's sync picks it up, DELIVERED until its result arrives (delivered again after the
 * redelivery delay), then SUCCEEDED or FAILED as the agent reports, or EXPIRED when its time to live passes first.
 *
 * @since 2.0
 */
public enum TaskStatus {
    PENDING,
    DELIVERED,
    SUCCEEDED,
    FAILED,
    EXPIRED;

    /** @return whether a result may still come (PENDING or DELIVERED) */
    public boolean open() {
        return this == PENDING || this == DELIVERED;
    }

    /** @return whether the task is over (SUCCEEDED, FAILED or EXPIRED) */
    public boolean done() {
        return !open();
    }

    /** @return whether an agent may report this status as a task's result (SUCCEEDED or FAILED) */
    public boolean reportable() {
        return this == SUCCEEDED || this == FAILED;
    }

    /** @return the status named exactly {@code text}, empty for anything else (including null) */
    public static Optional<TaskStatus> parse(String text) {
        for (TaskStatus s : values()) {
            if (s.name().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
