package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.Topics;

/**
 * Health of upstream targets as agents report it in their sync status
 * ({@code status.proxy.targets = [{serviceId, host, port, healthy}]}), kept in memory:
 * each report replaces that agent's previous one.
 */
@Component(
        service = {EventHandler.class, TargetHealth.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT)
public final class TargetHealth implements EventHandler {

    /** One target as one agent sees it. */
    public record Reported(String serviceId, String host, int port, boolean healthy) {}

    /**
     * How an agent applied its last proxy change ({@code status.proxy.nginx.applyMode}: {@code dynamic} without
     * a reload of nginx, {@code reload}, or {@code start} of a stopped nginx) and when.
     */
    public record Applied(String mode, String at) {}

    private static final java.util.Set<String> MODES = java.util.Set.of("dynamic", "reload", "start");

    private final Map<String, List<Reported>> byAgent = new ConcurrentHashMap<>();
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();

    @Override
    public void handleEvent(Event event) {
        if (!(event.getProperty("agentId") instanceof String agentId)) {
            return;
        }
        JsonNode status = status(event.getProperty("status"));
        if (status == null) {
            return;
        }
        JsonNode targets = status.path("proxy").path("targets");
        if (targets.isArray()) {
            report(agentId, targets);
        }
        applied(agentId, status.path("proxy").path("nginx"));
    }

    /** Keeps {@code applyMode} and {@code appliedAt} of an agent's nginx status when both are well-formed. */
    void applied(String agentId, JsonNode nginx) {
        String mode = nginx.path("applyMode").asText("");
        String at = nginx.path("appliedAt").asText("");
        if (MODES.contains(mode)) {
            try {
                applied.put(
                        agentId, new Applied(mode, java.time.Instant.parse(at).toString()));
            } catch (java.time.format.DateTimeParseException e) {
                // a malformed report keeps the last good one
            }
        }
    }

    /** @return how the agent applied its last proxy change, if it reported it */
    public Applied applied(String agentId) {
        return applied.get(agentId);
    }

    /** Replaces what {@code agentId} reported before. Malformed entries are skipped. */
    public void report(String agentId, JsonNode targets) {
        List<Reported> list = new ArrayList<>();
        for (JsonNode t : targets) {
            JsonNode healthy = t.path("healthy");
            if (t.path("serviceId").isTextual()
                    && t.path("host").isTextual()
                    && t.path("port").canConvertToInt()
                    && healthy.isBoolean()) {
                list.add(new Reported(
                        t.path("serviceId").asText(),
                        t.path("host").asText().toLowerCase(Locale.ROOT),
                        t.path("port").asInt(),
                        healthy.asBoolean()));
            }
        }
        byAgent.put(agentId, List.copyOf(list));
    }

    /**
     * @return per (host, port) of the service, as the given agents report it: healthy when
     *         every reporting agent says so, unhealthy when one says not; absent when none
     *         reported
     */
    public Map<HostPort, Boolean> health(String serviceId, Collection<String> agentIds) {
        Map<HostPort, Boolean> out = new HashMap<>();
        for (String agent : agentIds) {
            for (Reported r : byAgent.getOrDefault(agent, List.of())) {
                if (r.serviceId().equals(serviceId)) {
                    out.merge(new HostPort(r.host(), r.port()), r.healthy(), Boolean::logicalAnd);
                }
            }
        }
        return out;
    }

    /** A target address. */
    public record HostPort(String host, int port) {}

    private static JsonNode status(Object property) {
        if (property instanceof JsonNode n) {
            return n;
        }
        if (property instanceof String s) {
            try {
                return Json.MAPPER.readTree(s);
            } catch (JsonProcessingException e) {
                return null;
            }
        }
        return null;
    }
}
