package dev.fleetgate.metrics.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.Jdbc;

/**
 * Range queries, top-N and metric names, computed in PostgreSQL (one statement for the
 * series, one for the data); latest values come from memory ({@link LatestCache}).
 */
public final class QueryEngine {

    /** One answered series. */
    public record Series(String name, Map<String, String> labels, List<double[]> points) {}

    /** One answered group (top-N, latest). */
    public record Item(Map<String, String> labels, double value, Long timestamp, int series) {}

    /** A metric name, the label names its series use, and how many series it has. */
    public record NameInfo(String name, List<String> labels, long series) {}

    private final MetricsStorage storage;

    public QueryEngine(MetricsStorage storage) {
        this.storage = storage;
    }

    public List<Series> query(QueryParams.Range q) {
        Settings s = storage.settings();
        return Jdbc.auto(storage.dataSource(), c -> {
            Map<Long, Map<String, String>> series = series(c, q.name(), q.matchers(), s.maxSeriesPerQuery());
            if (series.size() > s.maxSeriesPerQuery()) {
                throw ApiException.invalid(
                        "name",
                        q.name() + " has more than " + s.maxSeriesPerQuery()
                                + " series matching the labels given: add label filters");
            }
            if (series.size() * q.buckets() > s.maxPointsPerQuery()) {
                throw ApiException.invalid(
                        "step",
                        series.size() + " series × " + q.buckets() + " steps exceed " + s.maxPointsPerQuery()
                                + " points: raise the step, shorten the range or add label filters");
            }
            if (series.isEmpty()) {
                return List.of();
            }
            Map<Long, List<double[]>> points =
                    q.agg() == QueryParams.Agg.RATE ? rate(c, q, series) : aggregate(c, q, series);
            if (q.agg() == QueryParams.Agg.SUM) {
                return List.of(sum(q.name(), series, points));
            }
            List<Series> out = new ArrayList<>();
            series.forEach((id, labels) -> out.add(new Series(q.name(), labels, points.getOrDefault(id, List.of()))));
            return out;
        });
    }

    /** @return labels by series id (ordered by id), at most {@code max + 1} */
    static Map<Long, Map<String, String>> series(Connection c, String name, Map<String, String> matchers, int max)
            throws SQLException {
        Map<Long, Map<String, String>> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, labels::text FROM metric_series"
                + " WHERE name = ? AND labels @> ?::jsonb ORDER BY id LIMIT ?")) {
            ps.setString(1, name);
            ps.setString(2, Json.write(matchers));
            ps.setInt(3, max + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getLong(1), Labels.map(rs.getString(2)));
                }
            }
        }
        return out;
    }

    private static Map<Long, List<double[]>> aggregate(
            Connection c, QueryParams.Range q, Map<Long, Map<String, String>> series) throws SQLException {
        String sql = "SELECT series_id, " + SourceSql.millis("t") + " / ? AS b, " + SourceSql.aggregate(q.agg())
                + " FROM (" + SourceSql.of(q.resolution(), SourceSql.BY_IDS) + ") s GROUP BY 1, 2 ORDER BY 1, 2";
        Map<Long, List<double[]>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, q.step());
            bindIds(c, ps, 2, series);
            Jdbc.setInstant(ps, 3, Instant.ofEpochMilli(sourceFrom(q, q.from())));
            Jdbc.setInstant(ps, 4, Instant.ofEpochMilli(q.to()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getLong(1), k -> new ArrayList<>())
                            .add(new double[] {rs.getLong(2) * q.step(), rs.getDouble(3)});
                }
            }
        }
        return out;
    }

    /**
     * Per-second increase of a counter between the last points of consecutive buckets; a
     * drop is a counter reset (the increase is then the new value). Reads one step before
     * {@code from} so that the first bucket has a predecessor.
     */
    private static Map<Long, List<double[]>> rate(
            Connection c, QueryParams.Range q, Map<Long, Map<String, String>> series) throws SQLException {
        String sql = "SELECT DISTINCT ON (series_id, b) series_id, " + SourceSql.millis("t") + " / ? AS b, "
                + SourceSql.millis("last_ts") + ", last_value FROM (" + SourceSql.of(q.resolution(), SourceSql.BY_IDS)
                + ") s ORDER BY series_id, b, last_ts DESC";
        long firstBucket = Math.floorDiv(q.from(), q.step());
        Map<Long, List<double[]>> out = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, q.step());
            bindIds(c, ps, 2, series);
            Jdbc.setInstant(ps, 3, Instant.ofEpochMilli(sourceFrom(q, q.from() - q.step())));
            Jdbc.setInstant(ps, 4, Instant.ofEpochMilli(q.to()));
            long prevSeries = Long.MIN_VALUE;
            long prevTs = 0;
            double prevValue = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long id = rs.getLong(1);
                    long b = rs.getLong(2);
                    long ts = rs.getLong(3);
                    double v = rs.getDouble(4);
                    if (id == prevSeries && b >= firstBucket && ts > prevTs) {
                        double increase = v >= prevValue ? v - prevValue : v;
                        out.computeIfAbsent(id, k -> new ArrayList<>())
                                .add(new double[] {b * q.step(), increase * 1000.0 / (ts - prevTs)});
                    }
                    prevSeries = id;
                    prevTs = ts;
                    prevValue = v;
                }
            }
        }
        return out;
    }

    /** Rollup buckets are read whole: the one {@code from} falls in is included. */
    private static long sourceFrom(QueryParams.Range q, long from) {
        long bucket = q.resolution().bucketMillis();
        return bucket == 0 ? from : Math.floorDiv(from, bucket) * bucket;
    }

    /** One series: per step, the sum of the series' values; labels common to all of them. */
    private static Series sum(String name, Map<Long, Map<String, String>> series, Map<Long, List<double[]>> points) {
        TreeMap<Long, Double> total = new TreeMap<>();
        for (List<double[]> ps : points.values()) {
            for (double[] p : ps) {
                total.merge((long) p[0], p[1], Double::sum);
            }
        }
        Map<String, String> common = null;
        for (Map<String, String> l : series.values()) {
            if (common == null) {
                common = new TreeMap<>(l);
            } else {
                common.entrySet().removeIf(e -> !e.getValue().equals(l.get(e.getKey())));
            }
        }
        List<double[]> out = new ArrayList<>(total.size());
        total.forEach((t, v) -> out.add(new double[] {t, v}));
        return new Series(name, common == null ? Map.of() : common, out);
    }

    private static void bindIds(Connection c, PreparedStatement ps, int index, Map<Long, Map<String, String>> series)
            throws SQLException {
        Array ids = c.createArrayOf("bigint", series.keySet().toArray(new Long[0]));
        ps.setArray(index, ids);
    }
}
