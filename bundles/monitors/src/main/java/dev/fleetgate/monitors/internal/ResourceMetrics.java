package dev.fleetgate.monitors.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The metric series of one json monitor result, in the sync's {@code metrics} shape
 * ({@code [{"name","labels","points":[[epochMillis,value]]}]}) for {@link dev.fleetgate.api.MetricsSink}.
 *
 * <p>Every field {@code f} becomes {@code monitor_resource_<f>} labelled {@code monitor} (name) and
 * {@code monitorId}; the sink adds {@code agent} (the agent that polled). The fields {@code cpu},
 * {@code mem}/{@code memory} and {@code disk} are also stored under the names of the agent's host
 * collector — {@code host_cpu_usage_percent{cpu="total"}}, {@code host_memory_used_percent},
 * {@code host_filesystem_used_percent} (with the monitor labels) — so the seed alert rules (CPU &gt; 85%
 * on any sample, memory &gt; 90% for 30 min, disk &gt; 95% for 2 h) apply to polled machines as to agents.
 */
final class ResourceMetrics {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ResourceMetrics() {}

    static ArrayNode series(StoredMonitor m, ProbeResult r) {
        ArrayNode out = F.arrayNode();
        JsonNode fields = r.detail().path("fields");
        long at = r.checkedAt().toEpochMilli();
        Iterator<Map.Entry<String, JsonNode>> it = fields.fields();
        int n = 0;
        while (it.hasNext() && n++ < 100) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = e.getKey();
            if (!e.getValue().isNumber()
                    || !field.matches("[a-z0-9_]{1,60}")
                    || !Double.isFinite(e.getValue().asDouble())) {
                continue;
            }
            double v = e.getValue().asDouble();
            add(out, "monitor_resource_" + field, m, at, v, null);
            switch (field) {
                case "cpu" -> add(out, "host_cpu_usage_percent", m, at, v, "total");
                case "mem", "memory" -> add(out, "host_memory_used_percent", m, at, v, null);
                case "disk" -> add(out, "host_filesystem_used_percent", m, at, v, null);
                default -> {
                    // only monitor_resource_<field>
                }
            }
        }
        return out;
    }

    private static void add(ArrayNode out, String name, StoredMonitor m, long at, double v, String cpu) {
        ObjectNode s = out.addObject();
        s.put("name", name);
        ObjectNode labels = s.putObject("labels");
        labels.put("monitor", m.name());
        labels.put("monitorId", m.id().toString());
        if (cpu != null) {
            labels.put("cpu", cpu);
        }
        s.putArray("points").addArray().add(at).add(v);
    }
}
