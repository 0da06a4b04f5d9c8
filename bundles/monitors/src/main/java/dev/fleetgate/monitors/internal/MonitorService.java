package dev.fleetgate.monitors.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

/** Monitor CRUD with validation (agents must exist) and the status view. */
@Component(service = MonitorService.class)
public final class MonitorService {
    private final MonitorStore store;
    private final AgentDirectory agents;
    private final MonitorRunner runner;

    /** Checks that an attached monitor's service exists, while the proxy module runs. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceLookup services;

    @Activate
    public MonitorService(
            @Reference MonitorStore store, @Reference AgentDirectory agents, @Reference MonitorRunner runner) {
        this.store = store;
        this.agents = agents;
        this.runner = runner;
    }

    /**
     * The status of a monitor: its state, each agent's latest result, uptime over 24 h (raw results)
     * and over 7 and 30 days (hourly aggregates, as fresh as the last rollup); null: no checks.
     */
    public record Status(
            StoredMonitor monitor, List<AgentStatus> agents, Double uptime24h, Double uptime7d, Double uptime30d) {}

    /** One agent of a monitor: its latest result (null before the first) and whether it is online. */
    public record AgentStatus(String agentId, String agentName, boolean online, ProbeResult latest) {}

    public List<StoredMonitor> list() {
        return store.list();
    }

    /** The monitors attached to a service (the service page). */
    public List<StoredMonitor> ofService(String serviceId) {
        return store.list().stream()
                .filter(m -> serviceId.equalsIgnoreCase(String.valueOf(m.serviceId())))
                .toList();
    }

    public StoredMonitor get(UUID id) {
        return store.get(id).orElseThrow(() -> ApiException.notFound("Monitor " + id));
    }

    public StoredMonitor create(JsonNode body) {
        return store.create(parse(body));
    }

    public StoredMonitor update(UUID id, JsonNode body) {
        MonitorInput in = parse(body);
        StoredMonitor[] both = store.update(id, in);
        runner.deleted(both[0]); // the state starts over: a DOWN alert is cleared
        return both[1];
    }

    public void delete(UUID id) {
        runner.deleted(store.delete(id).orElseThrow(() -> ApiException.notFound("Monitor " + id)));
    }

    /** Validates the body and its agents, naming every bad field at once. */
    MonitorInput parse(JsonNode body) {
        try {
            return checked(MonitorInput.parse(body));
        } catch (ApiException e) {
            if (e.status() != 400
                    || body == null
                    || !body.path("agentIds").isArray()
                    || e.errors().stream().anyMatch(f -> f.field().startsWith("agentIds"))) {
                throw e;
            }
            List<String> given = new ArrayList<>();
            body.get("agentIds").forEach(n -> given.add(n.asText()));
            try {
                checked(new MonitorInput("", "", "", 0, given, null, false, 0, 0, null, null, null));
            } catch (ApiException agentErrors) {
                List<FieldError> all = new ArrayList<>(e.errors());
                all.addAll(agentErrors.errors());
                throw ApiException.invalid(all);
            }
            throw e;
        }
    }

    /** Agents given by name are taken too (the shell); unknown ones are field errors. */
    MonitorInput checked(MonitorInput in) {
        List<AgentInfo> known = agents.list();
        Map<String, String> byIdOrName = new HashMap<>();
        for (AgentInfo a : known) {
            byIdOrName.put(a.name(), a.id());
            byIdOrName.put(a.id(), a.id());
        }
        List<FieldError> errors = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < in.agentIds().size(); i++) {
            String id = byIdOrName.get(in.agentIds().get(i));
            if (id == null) {
                errors.add(new FieldError(
                        "agentIds[" + i + "]", "no such agent: " + in.agentIds().get(i)));
            } else if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        ServiceLookup lookup = services;
        if (in.serviceId() != null
                && lookup != null
                && lookup.available()
                && lookup.service(in.serviceId()).isEmpty()) {
            errors.add(new FieldError("serviceId", "no such service: " + in.serviceId()));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new MonitorInput(
                in.name(),
                in.type(),
                in.target(),
                in.intervalSeconds(),
                List.copyOf(ids),
                in.expect(),
                in.followRedirects(),
                in.confirmations(),
                in.timeoutMs(),
                in.options(),
                in.confirmAgents(),
                in.serviceId());
    }

    public Status status(UUID id) {
        StoredMonitor m = get(id);
        Map<String, AgentInfo> known = agents.list().stream().collect(Collectors.toMap(AgentInfo::id, a -> a));
        Map<String, ProbeResult> latest =
                store.latest(id).stream().collect(Collectors.toMap(ProbeResult::agentId, r -> r));
        List<AgentStatus> out = new ArrayList<>();
        for (String agentId : m.agentIds()) {
            AgentInfo a = known.get(agentId);
            out.add(new AgentStatus(
                    agentId,
                    a == null ? null : a.name(),
                    a != null && a.status() == AgentInfo.Status.ONLINE,
                    latest.get(agentId)));
        }
        Instant now = Instant.now();
        return new Status(
                m,
                out,
                store.uptimePercent(id, now, Duration.ofHours(24)),
                store.hourlyUptimePercent(id, now, Duration.ofDays(7)),
                store.hourlyUptimePercent(id, now, Duration.ofDays(30)));
    }

    /** Ids of the known agents (for the shell). */
    public Set<String> agentIds() {
        return agents.list().stream().map(AgentInfo::id).collect(Collectors.toSet());
    }
}
