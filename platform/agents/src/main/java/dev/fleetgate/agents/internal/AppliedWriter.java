package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.fleetgate.persistence.GroupCommit;
import dev.fleetgate.persistence.Jdbc;

/**
 * Applied section states by group commit ({@link GroupCommit}): after a fleet-wide change every
 * agent's next sync reports the new revision, and one transaction each exhausted the pool; now the
 * reports queued while one upsert commits go out together in the next (at most {@value #MAX_ROWS}
 * rows a statement).
 */
final class AppliedWriter implements AutoCloseable {
    static final int MAX_ROWS = 1000;

    private record Pending(String agentId, Map<String, ReportStore.AppliedRow> rows) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final GroupCommit<Pending> commits;

    AppliedWriter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.commits = new GroupCommit<>("fleetgate-applied-writer", p -> p.rows.size(), MAX_ROWS, 60_000, this::store);
    }

    /** Stores these sections' states of one agent; returns once they are committed. */
    void write(String agentId, Map<String, ReportStore.AppliedRow> rows) {
        commits.write(new Pending(agentId, rows));
    }

    /** @return upserts written so far (for tests) */
    long batches() {
        return commits.groups();
    }

    /** One upsert for the batch; a section reported twice in it keeps the later state. */
    private void store(List<Pending> batch) {
        // keyed by agent and section: a section reported twice keeps the later state
        Map<List<String>, ReportStore.AppliedRow> rows = new LinkedHashMap<>();
        for (Pending p : batch) {
            p.rows.forEach((section, row) -> rows.put(List.of(p.agentId, section), row));
        }
        int n = rows.size();
        String[] agents = new String[n];
        String[] sections = new String[n];
        Long[] revisions = new Long[n];
        Long[] failed = new Long[n];
        String[] errors = new String[n];
        int i = 0;
        for (Map.Entry<List<String>, ReportStore.AppliedRow> e : rows.entrySet()) {
            agents[i] = e.getKey().get(0);
            sections[i] = e.getKey().get(1);
            revisions[i] = e.getValue().revision();
            failed[i] = e.getValue().failedRevision();
            errors[i] = e.getValue().error();
            i++;
        }
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO applied_state (agent_id, section, revision,"
                    + " failed_revision, error, updated_at) SELECT v.a::uuid, v.s, v.r, v.f, v.e, ?"
                    + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[]) AS v(a, s, r, f, e)"
                    + " ON CONFLICT (agent_id, section) DO UPDATE SET revision = EXCLUDED.revision,"
                    + " failed_revision = EXCLUDED.failed_revision, error = EXCLUDED.error,"
                    + " updated_at = EXCLUDED.updated_at")) {
                Jdbc.setInstant(ps, 1, clock.instant());
                ps.setArray(2, c.createArrayOf("text", agents));
                ps.setArray(3, c.createArrayOf("text", sections));
                ps.setArray(4, c.createArrayOf("bigint", revisions));
                ps.setArray(5, c.createArrayOf("bigint", failed));
                ps.setArray(6, c.createArrayOf("text", errors));
                ps.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void close() {
        commits.close();
    }
}
