package dev.fleetgate.metrics.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.fleetgate.persistence.Jdbc;

/**
 * Computes the 1-minute rollups from raw samples and the 1-hour rollups from the 1-minute
 * ones, in PostgreSQL ({@code INSERT … SELECT … ON CONFLICT DO UPDATE}), chunked by hour.
 *
 * <p>Each run recomputes from {@code done_until − lateTolerance} up to and including the
 * current, partial minute (and the hours those touch); samples older than the tolerance
 * when they arrived are recorded in {@code metric_rollup_pending} by the ingestion and
 * recomputed once here. Duplicate samples (a resent batch) count once. The caller runs
 * {@link #run} in one transaction, so taken pending ranges come back if it fails.
 */
public final class Rollups {
    static final long MINUTE = 60_000L;
    static final long HOUR = 3_600_000L;

    private static final String SET = " ON CONFLICT (series_id, bucket) DO UPDATE SET cnt = EXCLUDED.cnt,"
            + " sum = EXCLUDED.sum, min = EXCLUDED.min, max = EXCLUDED.max, p95 = EXCLUDED.p95,"
            + " last_ts = EXCLUDED.last_ts, last_value = EXCLUDED.last_value";
    static final String MINUTES = "INSERT INTO metric_rollup_1m (series_id, bucket, cnt, sum, min, max, p95, last_ts,"
            + " last_value) SELECT series_id, date_trunc('minute', ts), count(*), sum(value), min(value), max(value),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY value), max(ts), (array_agg(value ORDER BY ts DESC))[1]"
            + " FROM (SELECT DISTINCT ON (series_id, ts) series_id, ts, value FROM metric_sample"
            + " WHERE ts >= ? AND ts < ? ORDER BY series_id, ts) d GROUP BY 1, 2" + SET;
    static final String HOURS = "INSERT INTO metric_rollup_1h (series_id, bucket, cnt, sum, min, max, p95, last_ts,"
            + " last_value) SELECT series_id, date_trunc('hour', bucket), sum(cnt), sum(sum), min(min), max(max),"
            + " percentile_cont(0.95) WITHIN GROUP (ORDER BY p95), max(last_ts),"
            + " (array_agg(last_value ORDER BY last_ts DESC))[1]"
            + " FROM metric_rollup_1m WHERE bucket >= ? AND bucket < ? GROUP BY 1, 2" + SET;

    private final Settings settings;
    private final PartitionManager partitions;

    public Rollups(Settings settings, PartitionManager partitions) {
        this.settings = settings;
        this.partitions = partitions;
    }

    /** What a run covered: the minute range of the regular pass, and the pending ranges done. */
    public record Run(long from, long to, int pending, long rows) {}

    /** Runs the regular pass and the pending ranges (call it inside a transaction). */
    public Run run(Connection c, Instant now) throws SQLException {
        long t = now.toEpochMilli();
        long doneUntil = doneUntil(c);
        long[] raw = partitions.range(Resolution.RAW);
        long from = floor(Math.max(doneUntil - settings.lateToleranceSeconds() * 1000L, raw[0]), MINUTE);
        long to = floor(t, MINUTE) + MINUTE;
        long rows = compute(c, from, to);
        List<long[]> pending = takePending(c);
        for (long[] range : merge(pending)) {
            rows += compute(c, floor(range[0], MINUTE), floor(range[1], MINUTE) + MINUTE);
        }
        setDoneUntil(c, floor(t, MINUTE));
        return new Run(from, to, pending.size(), rows);
    }

    /** Recomputes {@code [from, to)} (minute-aligned) at 1 m, then the hours it touches at 1 h. */
    long compute(Connection c, long from, long to) throws SQLException {
        long[] minuteRange = partitions.range(Resolution.MINUTE);
        long[] hourRange = partitions.range(Resolution.HOUR);
        long rows = 0;
        long start = Math.max(from, minuteRange[0]);
        long end = Math.min(to, minuteRange[1]);
        for (long a = start; a < end; a = floor(a, HOUR) + HOUR) {
            long b = Math.min(end, floor(a, HOUR) + HOUR);
            rows += update(c, MINUTES, a, b);
        }
        long hStart = Math.max(floor(start, HOUR), hourRange[0]);
        long hEnd = Math.min(floor(end - 1, HOUR) + HOUR, hourRange[1]);
        for (long a = hStart; a < hEnd; a += 24 * HOUR) {
            rows += update(c, HOURS, a, Math.min(hEnd, a + 24 * HOUR));
        }
        return rows;
    }

    private static long update(Connection c, String sql, long from, long to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            Jdbc.setInstant(ps, 1, Instant.ofEpochMilli(from));
            Jdbc.setInstant(ps, 2, Instant.ofEpochMilli(to));
            return ps.executeUpdate();
        }
    }

    private long doneUntil(Connection c) throws SQLException {
        try (PreparedStatement ps =
                        c.prepareStatement("SELECT done_until FROM metric_rollup_state WHERE resolution = '1m'");
                ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Jdbc.instant(rs, "done_until").toEpochMilli() : 0L;
        }
    }

    private static void setDoneUntil(Connection c, long t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric_rollup_state (resolution, done_until)"
                + " VALUES ('1m', ?) ON CONFLICT (resolution) DO UPDATE SET done_until = EXCLUDED.done_until")) {
            Jdbc.setInstant(ps, 1, Instant.ofEpochMilli(t));
            ps.executeUpdate();
        }
    }

    private static List<long[]> takePending(Connection c) throws SQLException {
        List<long[]> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM metric_rollup_pending RETURNING from_ts, to_ts");
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new long[] {
                    Jdbc.instant(rs, "from_ts").toEpochMilli(),
                    Jdbc.instant(rs, "to_ts").toEpochMilli()
                });
            }
        }
        return out;
    }

    /** Overlapping or adjacent (same minute) ranges become one. */
    static List<long[]> merge(List<long[]> ranges) {
        List<long[]> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Long.compare(x[0], y[0]));
        List<long[]> out = new ArrayList<>();
        for (long[] r : sorted) {
            long[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0] <= last[1] + MINUTE) {
                last[1] = Math.max(last[1], r[1]);
            } else {
                out.add(new long[] {r[0], r[1]});
            }
        }
        return out;
    }

    static long floor(long t, long unit) {
        return Math.floorDiv(t, unit) * unit;
    }
}
