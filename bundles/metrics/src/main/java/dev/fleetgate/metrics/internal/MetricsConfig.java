package dev.fleetgate.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.metrics} ({@code etc/dev.fleetgate.metrics.cfg}). */
@ObjectClassDefinition(
        id = MetricsConfig.PID,
        name = "Fleetgate metrics",
        description = "Metric storage, rollups, retention, query limits, Prometheus exposition and scrapes")
public @interface MetricsConfig {
    // The Prometheus token is a private property (key ".prometheusToken"; DS maps a leading
    // "_" to "."), so that DS does not copy it into service properties.
    String PID = "dev.fleetgate.metrics";

    @AttributeDefinition(min = "1", description = "Days raw samples are kept (whole daily partitions are dropped)")
    int rawRetentionDays() default 2;

    @AttributeDefinition(min = "1", description = "Days 1-minute rollups are kept")
    int minuteRetentionDays() default 30;

    @AttributeDefinition(min = "1", description = "Days 1-hour rollups are kept (30-day partitions)")
    int hourRetentionDays() default 365;

    @AttributeDefinition(min = "1", max = "30", description = "Partitions created ahead of time, per table")
    int partitionsAhead() default 2;

    @AttributeDefinition(min = "5", description = "Seconds between maintenance runs (rollups, partitions, retention)")
    int maintenanceIntervalSeconds() default 30;

    @AttributeDefinition(
            min = "0",
            description = "Seconds of lateness the regular rollup covers; "
                    + "older samples mark their range for a one-off recomputation")
    int lateToleranceSeconds() default 180;

    @AttributeDefinition(min = "1", description = "Most series one query may return")
    int maxSeriesPerQuery() default 500;

    @AttributeDefinition(min = "10", description = "Most points per series one query may return")
    int maxPointsPerSeries() default 11000;

    @AttributeDefinition(min = "10", description = "Most points (all series) one query may return")
    int maxPointsPerQuery() default 500000;

    @AttributeDefinition(min = "1", description = "Latest values older than this are left out of /latest and /metrics")
    int latestMaxAgeSeconds() default 900;

    @AttributeDefinition(min = "1", description = "Points accepted from one sync; the rest is dropped and counted")
    int maxPointsPerBatch() default 1000000;

    @AttributeDefinition(
            min = "5",
            max = "3600",
            description = "Default collection interval sent to agents in the metrics section")
    int intervalSeconds() default 10;

    @AttributeDefinition(
            type = AttributeType.PASSWORD,
            required = false,
            description =
                    "Bearer token Prometheus sends to GET /metrics. Empty: a user access token (any role) is required")
    String _prometheusToken() default "";
}
