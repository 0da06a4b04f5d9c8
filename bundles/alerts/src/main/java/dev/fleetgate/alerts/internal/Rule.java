package dev.fleetgate.alerts.internal;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A stored alert rule.
 *
 * @param kind           {@code metric} or {@code event}
 * @param clearThreshold while firing, the condition holds as long as the value passes this one
 *                       (hysteresis); null = {@code threshold}
 */
public record Rule(
        UUID id,
        String name,
        String kind,
        boolean enabled,
        String severity,
        String metric,
        Map<String, String> labels,
        String aggregate,
        int windowSeconds,
        String op,
        Double threshold,
        Double clearThreshold,
        int forSeconds,
        int clearForSeconds,
        String eventKind,
        int repeatIntervalSeconds,
        List<UUID> channelIds,
        boolean builtin,
        Instant createdAt,
        Instant updatedAt) {

    public static final String METRIC = "metric";
    public static final String EVENT = "event";

    public Rule {
        labels = Map.copyOf(labels);
        channelIds = List.copyOf(channelIds);
    }

    public boolean isMetric() {
        return METRIC.equals(kind);
    }

    /**
     * @param value  the aggregated value
     * @param firing whether the rule fires for this series now (then the clear threshold applies)
     * @return whether the condition holds
     */
    public boolean breaches(double value, boolean firing) {
        double t = firing && clearThreshold != null ? clearThreshold : threshold;
        return compare(op, value, t);
    }

    static boolean compare(String op, double value, double threshold) {
        return switch (op) {
            case ">" -> value > threshold;
            case ">=" -> value >= threshold;
            case "<" -> value < threshold;
            case "<=" -> value <= threshold;
            default -> throw new IllegalArgumentException("operator " + op);
        };
    }

    /** @return the incident kind of this rule: {@code metric} or the event kind */
    public String incidentKind() {
        return isMetric() ? METRIC : eventKind;
    }
}
