package dev.fleetgate.alerts.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** The JSON form of an incident, shared by the REST API and the webhook channel. */
public final class IncidentJson {
    private IncidentJson() {}

    public static ObjectNode of(Incident i) {
        ObjectNode n = Json.object();
        n.put("id", i.id().toString());
        n.put("ruleId", i.ruleId().toString());
        n.put("rule", i.ruleName());
        n.put("kind", i.kind());
        n.put("subject", i.subject());
        n.put("state", i.state());
        n.put("severity", i.severity());
        Json.put(n, "value", i.value());
        Json.put(n, "threshold", i.threshold());
        if (i.op() != null && i.threshold() != null) {
            n.put("op", i.op());
        }
        if (i.metric() != null) {
            n.put("metric", i.metric());
        }
        if (i.message() == null) {
            n.putNull("message");
        } else {
            n.put("message", i.message());
        }
        ObjectNode labels = n.putObject("labels");
        new java.util.TreeMap<>(i.labels()).forEach(labels::put);
        Json.put(n, "openedAt", i.openedAt());
        Json.put(n, "lastSeenAt", i.lastSeenAt());
        Json.put(n, "resolvedAt", i.resolvedAt());
        Json.put(n, "ackedAt", i.ackedAt());
        if (i.ackedBy() == null) {
            n.putNull("ackedBy");
        } else {
            n.put("ackedBy", i.ackedBy());
        }
        n.put("flapping", i.flapping());
        return n;
    }
}
