package dev.fleetgate.monitors.rest;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.monitors.internal.MonitorService;
import dev.fleetgate.monitors.internal.ProbeResult;
import dev.fleetgate.monitors.internal.StoredMonitor;

/** JSON shapes of the monitors API. */
public final class MonitorJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private MonitorJson() {}

    public static ObjectNode monitor(StoredMonitor m) {
        ObjectNode o = F.objectNode();
        o.put("id", m.id().toString());
        o.put("name", m.name());
        o.put("type", m.type());
        o.put("target", m.target());
        o.put("intervalSeconds", m.intervalSeconds());
        ArrayNode agents = o.putArray("agentIds");
        m.agentIds().forEach(agents::add);
        o.set("expect", m.expect().deepCopy());
        o.put("followRedirects", m.followRedirects());
        o.put("confirmations", m.confirmations());
        o.put("timeoutMs", m.timeoutMs());
        if (m.confirmAgents() == null) {
            o.putNull("confirmAgents");
        } else {
            o.put("confirmAgents", m.confirmAgents());
        }
        o.put("serviceId", m.serviceId());
        for (String option : new String[] {"recordType", "resolver", "headers"}) {
            if (m.options().has(option)) {
                o.set(option, m.options().get(option).deepCopy());
            }
        }
        o.put("state", m.state().name());
        o.put("stateSince", String.valueOf(m.stateSince()));
        o.put("createdAt", String.valueOf(m.createdAt()));
        o.put("updatedAt", String.valueOf(m.updatedAt()));
        return o;
    }

    public static ObjectNode status(MonitorService.Status s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.monitor().id().toString());
        o.put("name", s.monitor().name());
        o.put("state", s.monitor().state().name());
        o.put("stateSince", String.valueOf(s.monitor().stateSince()));
        ArrayNode agents = o.putArray("agents");
        for (MonitorService.AgentStatus a : s.agents()) {
            ObjectNode n = agents.addObject();
            n.put("agentId", a.agentId());
            n.put("agentName", a.agentName());
            n.put("online", a.online());
            ProbeResult r = a.latest();
            if (r == null) {
                n.putNull("ok");
                n.putNull("status");
                n.putNull("latencyMs");
                n.putNull("errorKind");
                n.putNull("error");
                n.putNull("checkedAt");
                n.putNull("tlsExpiresAt");
            } else {
                result(n, r);
            }
        }
        ObjectNode uptime = o.putObject("uptime");
        percent(uptime, "24h", s.uptime24h());
        percent(uptime, "7d", s.uptime7d());
        percent(uptime, "30d", s.uptime30d());
        return o;
    }

    private static void percent(ObjectNode o, String field, Double value) {
        if (value == null) {
            o.putNull(field);
        } else {
            o.put(field, Math.round(value * 1000) / 1000.0);
        }
    }

    public static ObjectNode result(ObjectNode n, ProbeResult r) {
        n.put("agentId", r.agentId());
        n.put("ok", r.ok());
        if (r.status() == null) {
            n.putNull("status");
        } else {
            n.put("status", r.status());
        }
        if (r.latencyMs() == null) {
            n.putNull("latencyMs");
        } else {
            n.put("latencyMs", r.latencyMs());
        }
        n.put("errorKind", r.errorKind());
        n.put("error", r.error());
        n.put("checkedAt", String.valueOf(r.checkedAt()));
        n.put("tlsExpiresAt", r.tlsExpiresAt() == null ? null : r.tlsExpiresAt().toString());
        if (r.detail() != null && r.detail().has("redirects")) {
            n.set("redirects", r.detail().get("redirects"));
        }
        for (String part : new String[] {"timing", "values", "fields", "units", "tls"}) {
            if (r.detail() != null && r.detail().has(part)) {
                n.set(part, r.detail().get(part));
            }
        }
        return n;
    }
}
