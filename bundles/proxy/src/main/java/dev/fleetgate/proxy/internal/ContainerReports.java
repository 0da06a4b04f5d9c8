package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.Topics;

/**
 * The managed replicas and per-service container states as agents report them in
 * {@code status.containers} of their syncs (EventAdmin {@value Topics#AGENT_REPORT}), kept
 * in memory of the core that received the sync: each report replaces that agent's last one.
 */
@Component(
        service = {EventHandler.class, ContainerReports.class},
        property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT)
public final class ContainerReports implements EventHandler {
    /** Where a replica is reached: it listens on (or is published on) the agent's loopback. */
    static final String REPLICA_HOST = "127.0.0.1";

    /** One replica of a service on one agent. */
    public record Replica(
            String agentId,
            String containerId,
            String name,
            Integer replica,
            String state,
            String health,
            String host,
            Integer port,
            boolean ready) {}

    /** What an agent says of one service's replicas ({@code status.containers.services[]}). */
    public record Summary(int desired, int running, int ready, String state, String error) {}

    /** One agent's last report. */
    record AgentReport(
            boolean engineAvailable,
            String engineError,
            Map<String, List<Replica>> replicas,
            Map<String, Summary> services,
            boolean bridge) {}

    private final Map<String, AgentReport> byAgent = new ConcurrentHashMap<>();

    @Override
    public void handleEvent(Event event) {
        if (event.getProperty("agentId") instanceof String agentId
                && event.getProperty("status") instanceof JsonNode status
                && status.path("containers").isObject()) {
            report(agentId, status.path("containers"));
        }
    }

    /** Replaces what {@code agentId} reported before. Malformed entries are skipped. */
    public void report(String agentId, JsonNode containers) {
        JsonNode engine = containers.path("engine");
        boolean available = !engine.isObject() || engine.path("available").asBoolean(true);
        Map<String, List<Replica>> replicas = new HashMap<>();
        for (JsonNode c : containers.path("containers")) {
            String serviceId = text(c.get("serviceId"));
            if (serviceId == null) {
                serviceId = text(c.path("labels").get("fleetgate.service"));
            }
            String id = text(c.get("id"));
            String owner = text(c.path("labels").get("fleetgate.agent"));
            if (serviceId == null || id == null || owner != null && !owner.equals(agentId)) {
                continue; // not a managed replica, or another agent's on a shared Docker engine
            }
            Integer port =
                    c.path("hostPort").canConvertToInt() ? c.path("hostPort").asInt() : null;
            replicas.computeIfAbsent(serviceId, k -> new ArrayList<>())
                    .add(new Replica(
                            agentId,
                            id,
                            text(c.get("name")),
                            c.path("replica").canConvertToInt()
                                    ? c.path("replica").asInt()
                                    : null,
                            text(c.get("state")),
                            text(c.get("health")),
                            port == null ? null : REPLICA_HOST,
                            port,
                            c.path("ready").asBoolean(false)));
        }
        Map<String, Summary> services = new HashMap<>();
        for (JsonNode s : containers.path("services")) {
            String serviceId = text(s.get("serviceId"));
            if (serviceId != null) {
                services.put(
                        serviceId,
                        new Summary(
                                s.path("desired").asInt(0),
                                s.path("running").asInt(0),
                                s.path("ready").asInt(0),
                                text(s.get("state")),
                                text(s.get("error"))));
            }
        }
        replicas.replaceAll((k, v) -> List.copyOf(v));
        byAgent.put(
                agentId,
                new AgentReport(
                        available,
                        text(engine.get("error")),
                        Map.copyOf(replicas),
                        Map.copyOf(services),
                        engine.path("bridge").asBoolean(false)));
    }

    /**
     * @return whether the agent last reported a Docker engine with a bridge network (replicas could then use
     *         network "bridge" instead of sharing the host's network namespace); false before any report
     */
    public boolean hasBridge(String agentId) {
        AgentReport r = byAgent.get(agentId);
        return r != null && r.bridge();
    }

    /** @return the service's replicas on the given agents, by agent (in the given order), slot and name */
    public List<Replica> replicas(String serviceId, Collection<String> agentIds) {
        List<Replica> out = new ArrayList<>();
        for (String agent : agentIds) {
            AgentReport r = byAgent.get(agent);
            if (r != null) {
                List<Replica> mine = new ArrayList<>(r.replicas().getOrDefault(serviceId, List.of()));
                mine.sort(Comparator.comparing((Replica x) -> x.replica() == null ? Integer.MAX_VALUE : x.replica())
                        .thenComparing(x -> x.name() == null ? "" : x.name()));
                out.addAll(mine);
            }
        }
        return out;
    }

    /**
     * Where the service's containers stand on one agent.
     *
     * @param desired the replica count the core wants there
     * @return PENDING before the agent reported the service (or while it reports another
     *         desired count, SCALING), FAILED when its Docker engine is unavailable, else the
     *         agent's own state (OK, SCALING, FAILED)
     */
    public Summary summary(String agentId, String serviceId, int desired) {
        AgentReport r = byAgent.get(agentId);
        if (r == null) {
            return new Summary(desired, 0, 0, "PENDING", null);
        }
        List<Replica> replicas = r.replicas().getOrDefault(serviceId, List.of());
        int running =
                (int) replicas.stream().filter(x -> "running".equals(x.state())).count();
        int ready = (int) replicas.stream().filter(Replica::ready).count();
        if (!r.engineAvailable()) {
            String why = r.engineError() == null ? "Docker engine unavailable" : r.engineError();
            return new Summary(desired, running, ready, "FAILED", why);
        }
        Summary s = r.services().get(serviceId);
        if (s == null) {
            return new Summary(desired, running, ready, desired == 0 && running == 0 ? "OK" : "PENDING", null);
        }
        String state = s.desired() != desired && !"FAILED".equals(s.state()) ? "SCALING" : s.state();
        return new Summary(desired, s.running(), s.ready(), state == null ? "PENDING" : state, s.error());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || !n.isValueNode() ? null : n.asText();
    }
}
