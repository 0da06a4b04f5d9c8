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
    /** Prefix of metric batches from agents: {@code fleetgate/metrics/<kind>}. Properties: {@code agentId}, {@code samples} (JsonNode array). */
    public static final String METRICS_PREFIX = "fleetgate/metrics/";
    /** Prefix of health transitions: {@code fleetgate/health/...}. */
    public static final String HEALTH_PREFIX = "fleetgate/health/";
    /** Prefix of traffic-analysis events: {@code fleetgate/firewall/...}. */
    public static final String FIREWALL_PREFIX = "fleetgate/firewall/";

    private Topics() {
    }
}
