package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.persistence.Jdbc;

/**
 * What agents report about applied sections and their bundles, written only when it differs
 * from what this core last saw (cached, loaded at start).
 *
 * <p>Applied states are written by group commit: a sync that changed some waits until they are
 * stored, as before, but every sync waiting meanwhile is written by the same statement and
 * transaction. A fleet-wide change makes every agent report a new revision on its next sync:
 * 10,000 transactions, each waiting for its own WAL flush and holding a pooled connection, became
 * a few dozen ({@link AppliedWriter}).
 */
public final class ReportStore implements AutoCloseable {

    /** Stored applied state of one section. */
    record AppliedRow(long revision, long failedRevision, String error) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final Map<String, Map<String, AppliedRow>> applied = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> bundles = new ConcurrentHashMap<>();

    private final AppliedWriter writer;

    public ReportStore(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        load();
        this.writer = new AppliedWriter(dataSource, clock);
    }

    /** Stops the writer; writes already queued fail. */
    @Override
    public void close() {
        writer.close();
    }

    private void load() {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT agent_id, section, revision, failed_revision, error FROM applied_state");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    applied.computeIfAbsent(rs.getString(1), k -> new ConcurrentHashMap<>())
                            .put(rs.getString(2), new AppliedRow(rs.getLong(3), rs.getLong(4), rs.getString(5)));
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, body FROM agent_bundle_status");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bundles.put(rs.getString(1), SqlJson.json(rs, "body"));
                }
            }
            return null;
        });
    }

    /** The row after a report: a success moves the applied revision, a failure records the error. */
    static AppliedRow next(AppliedRow old, SyncReport.Applied report) {
        AppliedRow base = old == null ? new AppliedRow(0, 0, null) : old;
        if (report.error() == null) {
            long rev = report.revision();
            boolean failureStale = base.failedRevision() <= rev;
            return new AppliedRow(rev, failureStale ? 0 : base.failedRevision(), failureStale ? null : base.error());
        }
        return new AppliedRow(base.revision(), report.revision(), report.error());
    }

    /** A section's stored state before and after a report ({@code before} null: none stored). */
    record Change(AppliedRow before, AppliedRow after) {}

    /** Writes the sections whose state changed; returns them by section. */
    public Map<String, Change> recordApplied(String agentId, Map<String, SyncReport.Applied> reports) {
        Map<String, AppliedRow> known = applied.computeIfAbsent(agentId, k -> new ConcurrentHashMap<>());
        Map<String, AppliedRow> changed = new TreeMap<>();
        Map<String, Change> changes = new TreeMap<>();
        reports.forEach((section, report) -> {
            AppliedRow next = next(known.get(section), report);
            if (!next.equals(known.get(section))) {
                changed.put(section, next);
                changes.put(section, new Change(known.get(section), next));
            }
        });
        if (changed.isEmpty()) {
            return Map.of();
        }
        writer.write(agentId, changed);
        known.putAll(changed);
        return changes;
    }

    /** Stores the agent's bundle states when they changed; returns whether it wrote. */
    public boolean recordBundles(String agentId, JsonNode states) {
        if (states == null || states.isNull() || Objects.equals(bundles.get(agentId), states)) {
            return false;
        }
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO agent_bundle_status (agent_id, body, updated_at)"
                            + " VALUES (?, ?::jsonb, ?) ON CONFLICT (agent_id) DO UPDATE SET body = EXCLUDED.body,"
                            + " updated_at = EXCLUDED.updated_at")) {
                ps.setObject(1, UUID.fromString(agentId));
                SqlJson.setJson(ps, 2, states);
                Jdbc.setInstant(ps, 3, clock.instant());
                return ps.executeUpdate();
            }
        });
        bundles.put(agentId, states.deepCopy());
        return true;
    }

    public void forget(String agentId) {
        applied.remove(agentId);
        bundles.remove(agentId);
    }
}
