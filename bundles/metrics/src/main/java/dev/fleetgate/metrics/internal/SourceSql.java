package dev.fleetgate.metrics.internal;

/**
 * The rows a query reads, as a uniform sub-select with the columns of a rollup row
 * ({@code series_id, t, cnt, sum, min, max, p95, last_ts, last_value}) whatever the
 * resolution: a raw sample is a bucket of one. Raw samples are read once per
 * (series_id, ts), so a resent batch does not count twice. Parameters: the series filter's,
 * then from, to.
 */
final class SourceSql {
    /** Series given as an array parameter. */
    static final String BY_IDS = "series_id = ANY(?)";
    /** Series given by name and a label containment. */
    static final String BY_NAME = "series_id IN (SELECT id FROM metric_series WHERE name = ? AND labels @> ?::jsonb)";

    private SourceSql() {}

    static String of(Resolution r, String seriesFilter) {
        if (r == Resolution.RAW) {
            return "SELECT DISTINCT ON (series_id, ts) series_id, ts AS t, 1 AS cnt, value AS sum, value AS min,"
                    + " value AS max, value AS p95, ts AS last_ts, value AS last_value FROM metric_sample WHERE "
                    + seriesFilter + " AND ts >= ? AND ts < ? ORDER BY series_id, ts";
        }
        return "SELECT series_id, bucket AS t, cnt, sum, min, max, p95, last_ts, last_value FROM " + r.table()
                + " WHERE " + seriesFilter + " AND bucket >= ? AND bucket < ?";
    }

    /** The aggregate of {@code agg} over source rows; null for rate (not an aggregate). */
    static String aggregate(QueryParams.Agg agg) {
        return switch (agg) {
            case AVG, SUM -> "sum(sum) / sum(cnt)";
            case MIN -> "min(min)";
            case MAX -> "max(max)";
            case P95 -> "percentile_cont(0.95) WITHIN GROUP (ORDER BY p95)";
            case RATE -> null;
        };
    }

    /** Epoch millis of a timestamptz column, as bigint. */
    static String millis(String column) {
        return "(extract(epoch FROM " + column + ") * 1000)::bigint";
    }
}
