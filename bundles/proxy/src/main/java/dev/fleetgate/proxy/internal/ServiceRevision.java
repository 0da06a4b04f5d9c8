package dev.fleetgate.proxy.internal;

import java.time.Instant;

/**
 * One stored revision of a service's configuration.
 *
 * @param changedBy      the user who made it ({@code shell} from the Karaf shell), null when unknown
 * @param action         {@link #CREATED}, {@link #UPDATED}, {@link #SCALED}, {@link #ROLLED_BACK} or
 *                       {@code MIGRATED} (the revision a service had when history began)
 * @param sourceRevision for a rollback, the revision whose configuration it restored; else null
 * @param config         null in listings
 */
public record ServiceRevision(
        long revision, Instant changedAt, String changedBy, String action, Long sourceRevision, ServiceConfig config) {
    public static final String CREATED = "CREATED";
    public static final String UPDATED = "UPDATED";
    public static final String SCALED = "SCALED";
    public static final String ROLLED_BACK = "ROLLED_BACK";
}
