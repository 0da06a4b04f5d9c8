package dev.fleetgate.api;

/**
 * EventAdmin topics modules use to talk to each other without importing each other.
 * Event properties are documented per topic.
 */
public final class Topics {
    /** An agent came online or went offline. Properties: {@code agentId}, {@code status}. */
    public static final String AGENT_STATUS = "fleetgate/agents/STATUS";
    /** An agent reported a sync. Properties: {@code agentId}, {@code status} (JsonNode). */
    public static final String AGENT_REPORT = "fleetgate/agents/REPORT";
    /**
     * Prefix of the metrics module's events: {@code fleetgate/metrics/<kind>}. The module posts
     * {@link #METRICS_BATCH} after it stored a batch (see {@link MetricsSink}).
     */
    public static final String METRICS_PREFIX = "fleetgate/metrics/";
    /**
     * A metric batch from an agent was stored (posted by the metrics module, not by the sync
     * handler). Properties: {@code agentId}, {@code series} (a {@code List} of the metrics
     * module's {@code dev.fleetgate.metrics.MetricSeries}, labelled with {@code agent}),
     * {@code points} (Integer).
     *
     * @since 1.2
     */
    public static final String METRICS_BATCH = METRICS_PREFIX + "batch";

    private Topics() {}
}
