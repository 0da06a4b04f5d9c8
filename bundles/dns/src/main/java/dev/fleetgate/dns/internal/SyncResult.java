package dev.fleetgate.dns.internal;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What one reconcile did.
 *
 * @param busy        another core held the lock: nothing was done
 * @param zones       per zone with pending work
 * @param nextAttempt the earliest time a zone waits for (retry), or null
 */
public record SyncResult(boolean busy, List<Zone> zones, Instant nextAttempt, long millis) {

    /**
     * One zone's outcome.
     *
     * @param added   records sent as adds (and adopted ones confirmed)
     * @param deleted records deleted (or forgotten when adopted)
     * @param error   the failure, or null
     * @param waiting the zone is backing off until {@code nextAttempt}; nothing was sent
     */
    public record Zone(
            UUID zoneId, String zone, int added, int deleted, String error, boolean waiting, Instant nextAttempt) {}

    public static SyncResult busy(long millis) {
        return new SyncResult(true, List.of(), null, millis);
    }

    public boolean ok() {
        return !busy && zones.stream().allMatch(z -> z.error() == null && !z.waiting());
    }
}
