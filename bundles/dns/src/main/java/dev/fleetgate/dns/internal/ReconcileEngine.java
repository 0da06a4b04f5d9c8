package dev.fleetgate.dns.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;

/**
 * One reconcile pass over every zone: plan the records the services need, write the
 * difference to the tracked records (before anything is sent), then send each zone's
 * pending records. Runs under a PostgreSQL advisory lock, so cores sharing the database
 * never send the same change twice at once. Not thread-safe: one caller at a time.
 */
public final class ReconcileEngine {
    /** Advisory lock key: "fg-dns" as a number. */
    static final long LOCK_KEY = 0x66672d646e73L;

    private final ZoneStore zones;
    private final RecordStore records;
    private final Supplier<List<ServiceInfo>> services;
    private final Supplier<List<AgentInfo>> agents;
    private final ZoneSync sync;
    private final RecordPlanner.Options options;
    private final Clock clock;
    private volatile List<RecordPlanner.Unresolved> unresolved = List.of();

    public ReconcileEngine(
            ZoneStore zones,
            RecordStore records,
            Supplier<List<ServiceInfo>> services,
            Supplier<List<AgentInfo>> agents,
            Providers providers,
            ZoneAccess access,
            Backoff backoff,
            RecordPlanner.Options options,
            Clock clock) {
        this.zones = zones;
        this.records = records;
        this.services = services;
        this.agents = agents;
        this.sync = new ZoneSync(zones, records, providers, access, backoff);
        this.options = options;
        this.clock = clock;
    }

    /** The domains in a zone that got no record at the last pass, and why. */
    public List<RecordPlanner.Unresolved> unresolved() {
        return unresolved;
    }

    /**
     * @param force ignore backoff and send every record again (full resync)
     */
    public SyncResult run(boolean force) {
        long start = System.nanoTime();
        DataSource ds = zones.dataSource();
        try (Connection lock = ds.getConnection()) {
            if (!tryLock(lock)) {
                return SyncResult.busy(millis(start));
            }
            try {
                return pass(force, start);
            } finally {
                unlock(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    private SyncResult pass(boolean force, long start) {
        List<StoredZone> all = zones.list();
        List<RecordPlanner.Zone> planned = all.stream()
                .map(z -> new RecordPlanner.Zone(z.id(), z.zone(), z.ttl()))
                .toList();
        RecordPlanner.Plan plan = all.isEmpty()
                ? new RecordPlanner.Plan(List.of(), List.of())
                : RecordPlanner.desired(services.get(), agents.get(), planned, options);
        unresolved = plan.unresolved();
        records.write(RecordPlanner.diff(plan.desired(), records.list(), force));
        Map<UUID, List<TrackedRecord>> byZone = new HashMap<>();
        for (TrackedRecord r : records.list()) {
            byZone.computeIfAbsent(r.zoneId(), k -> new ArrayList<>()).add(r);
        }
        Instant now = clock.instant();
        List<SyncResult.Zone> out = new ArrayList<>();
        Instant next = null;
        for (StoredZone z : all) {
            SyncResult.Zone r = sync.sync(z, byZone.getOrDefault(z.id(), List.of()), force, now);
            if (r == null) {
                continue;
            }
            out.add(r);
            if (r.nextAttempt() != null && (next == null || r.nextAttempt().isBefore(next))) {
                next = r.nextAttempt();
            }
        }
        return new SyncResult(false, out, next, millis(start));
    }

    /**
     * Removes a zone: first deletes the records Fleetgate created in it from its server
     * (adopted records stay), then the zone, within the same lock so that no pass re-adds
     * them in between.
     *
     * @param force remove the zone even when its server could not be cleaned
     * @return the zone's clean-up result; {@code deleted} tells whether the zone is gone
     */
    public Removal remove(UUID zoneId, boolean force) {
        try (Connection lock = zones.dataSource().getConnection()) {
            if (!tryLock(lock)) {
                return new Removal(false, false, "Another core is reconciling DNS records; try again");
            }
            try {
                StoredZone z = zones.get(zoneId).orElse(null);
                if (z == null) {
                    return new Removal(false, false, null);
                }
                List<TrackedRecord> rows = records.list(zoneId);
                records.write(new RecordPlanner.Diff(
                        List.of(),
                        List.of(),
                        rows.stream()
                                .filter(r -> r.state() != TrackedRecord.State.DELETING)
                                .map(TrackedRecord::key)
                                .toList()));
                SyncResult.Zone r = sync.sync(z, records.list(zoneId), true, clock.instant());
                String error = r == null ? null : r.error();
                if (error != null && !force) {
                    return new Removal(true, false, error);
                }
                return new Removal(true, zones.delete(zoneId), error);
            } finally {
                unlock(lock);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    /**
     * @param found   the zone existed
     * @param deleted the zone is gone
     * @param error   why its records could not be deleted from the server, or null
     */
    public record Removal(boolean found, boolean deleted, String error) {}

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            ps.setLong(1, LOCK_KEY);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            ps.setLong(1, LOCK_KEY);
            ps.execute();
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
