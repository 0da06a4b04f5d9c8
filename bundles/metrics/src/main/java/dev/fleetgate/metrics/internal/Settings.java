package dev.fleetgate.metrics.internal;

import java.time.Duration;

/** {@link MetricsConfig} as a plain value, so tests can build one. */
public record Settings(
        int rawRetentionDays,
        int minuteRetentionDays,
        int hourRetentionDays,
        int partitionsAhead,
        int maintenanceIntervalSeconds,
        int lateToleranceSeconds,
        int maxSeriesPerQuery,
        int maxPointsPerSeries,
        int maxPointsPerQuery,
        int latestMaxAgeSeconds,
        int maxPointsPerBatch,
        int intervalSeconds,
        String prometheusToken) {

    public static Settings of(MetricsConfig c) {
        return new Settings(
                c.rawRetentionDays(),
                c.minuteRetentionDays(),
                c.hourRetentionDays(),
                c.partitionsAhead(),
                c.maintenanceIntervalSeconds(),
                c.lateToleranceSeconds(),
                c.maxSeriesPerQuery(),
                c.maxPointsPerSeries(),
                c.maxPointsPerQuery(),
                c.latestMaxAgeSeconds(),
                c.maxPointsPerBatch(),
                c.intervalSeconds(),
                c._prometheusToken() == null ? "" : c._prometheusToken().strip());
    }

    /** The defaults of {@link MetricsConfig}. */
    public static Settings defaults() {
        return new Settings(2, 30, 365, 2, 30, 180, 500, 11000, 500000, 900, 1000000, 10, "");
    }

    public Duration retention(Resolution r) {
        return Duration.ofDays(
                switch (r) {
                    case RAW -> rawRetentionDays;
                    case MINUTE -> minuteRetentionDays;
                    case HOUR -> hourRetentionDays;
                });
    }

    public Settings withPrometheusToken(String token) {
        return new Settings(
                rawRetentionDays,
                minuteRetentionDays,
                hourRetentionDays,
                partitionsAhead,
                maintenanceIntervalSeconds,
                lateToleranceSeconds,
                maxSeriesPerQuery,
                maxPointsPerSeries,
                maxPointsPerQuery,
                latestMaxAgeSeconds,
                maxPointsPerBatch,
                intervalSeconds,
                token);
    }

    public Settings withLimits(int maxSeries, int maxPerSeries, int maxPoints) {
        return new Settings(
                rawRetentionDays,
                minuteRetentionDays,
                hourRetentionDays,
                partitionsAhead,
                maintenanceIntervalSeconds,
                lateToleranceSeconds,
                maxSeries,
                maxPerSeries,
                maxPoints,
                latestMaxAgeSeconds,
                maxPointsPerBatch,
                intervalSeconds,
                prometheusToken);
    }
}
