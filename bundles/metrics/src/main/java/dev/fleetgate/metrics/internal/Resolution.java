package dev.fleetgate.metrics.internal;

import java.util.Locale;

/**
 * The three stored resolutions: raw samples, 1-minute and 1-hour rollups. Each is a table
 * partitioned by time in fixed, epoch-aligned spans.
 */
public enum Resolution {
    RAW("raw", "metric_sample", "ts", 0, 1),
    MINUTE("1m", "metric_rollup_1m", "bucket", 60_000L, 1),
    HOUR("1h", "metric_rollup_1h", "bucket", 3_600_000L, 30);

    public static final long DAY_MILLIS = 86_400_000L;

    private final String label;
    private final String table;
    private final String timeColumn;
    private final long bucketMillis;
    private final int spanDays;

    Resolution(String label, String table, String timeColumn, long bucketMillis, int spanDays) {
        this.label = label;
        this.table = table;
        this.timeColumn = timeColumn;
        this.bucketMillis = bucketMillis;
        this.spanDays = spanDays;
    }

    /** @return {@code raw}, {@code 1m} or {@code 1h} */
    public String label() {
        return label;
    }

    public String table() {
        return table;
    }

    public String timeColumn() {
        return timeColumn;
    }

    /** @return the bucket width, 0 for raw samples */
    public long bucketMillis() {
        return bucketMillis;
    }

    /** @return the width of one partition */
    public long spanMillis() {
        return spanDays * DAY_MILLIS;
    }

    /** @return the start of the partition holding {@code epochMillis} */
    public long spanStart(long epochMillis) {
        return Math.floorDiv(epochMillis, spanMillis()) * spanMillis();
    }

    public Resolution coarser() {
        return this == RAW ? MINUTE : HOUR;
    }

    /** @return the resolution with this label, or null */
    public static Resolution ofLabel(String label) {
        for (Resolution r : values()) {
            if (r.label.equals(label.toLowerCase(Locale.ROOT))) {
                return r;
            }
        }
        return null;
    }
}
