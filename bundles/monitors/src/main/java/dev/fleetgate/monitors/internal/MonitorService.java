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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.security.SecretBox;

/** Monitor CRUD with validation (agents must exist) and the status view. */
@Component(service = MonitorService.class, configurationPid = MonitorsConfig.PID)
public final class MonitorService {
    private static final Logger LOG = LoggerFactory.getLogger(MonitorService.class);
    private final MonitorStore store;
    private final AgentDirectory agents;
    private final MonitorRunner runner;
    private final SecretBox box;
    private final int minIntervalSeconds;

    /** Checks that an attached monitor's service exists, while the proxy module runs. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceLookup services;

    @Activate
    public MonitorService(
            @Reference MonitorStore store,
            @Reference AgentDirectory agents,
            @Reference MonitorRunner runner,
            @Reference SecretBox box,
            MonitorsConfig config) {
        this(store, agents, runner, box, minInterval(config.minIntervalSeconds()));
    }

    /** With the default minimum interval (tests). */
    MonitorService(MonitorStore store, AgentDirectory agents, MonitorRunner runner, SecretBox box) {
        this(store, agents, runner, box, MonitorInput.MIN_INTERVAL);
    }

    private MonitorService(
            MonitorStore store, AgentDirectory agents, MonitorRunner runner, SecretBox box, int minIntervalSeconds) {
        this.store = store;
        this.agents = agents;
        this.runner = runner;
        this.box = box;
        this.minIntervalSeconds = minIntervalSeconds;
        sealPlaintextHeaders();
    }

    /**
     * A service that allows intervals down to {@code minIntervalSeconds} (configuration {@code minIntervalSeconds},
     * already checked with {@link #minInterval}).
     */
    static MonitorService withMinInterval(
            MonitorStore store, AgentDirectory agents, MonitorRunner runner, SecretBox box, int minIntervalSeconds) {
        return new MonitorService(store, agents, runner, box, minIntervalSeconds);
    }

    /**
     * The configured {@code minIntervalSeconds}, or the default when it is not in
     * {@value MonitorsConfig#MIN_INTERVAL_LOWEST}..{@value MonitorsConfig#MIN_INTERVAL_HIGHEST} (logged).
     */
    static int minInterval(int configured) {
        if (configured < MonitorsConfig.MIN_INTERVAL_LOWEST || configured > MonitorsConfig.MIN_INTERVAL_HIGHEST) {
            LOG.warn(
                    "minIntervalSeconds = {} is not in {}..{}: using {}",
                    configured,
                    MonitorsConfig.MIN_INTERVAL_LOWEST,
                    MonitorsConfig.MIN_INTERVAL_HIGHEST,
                    MonitorInput.MIN_INTERVAL);
            return MonitorInput.MIN_INTERVAL;
        }
        return configured;
    }

    /**
     * Seals the header values of monitors stored before they were secrets (plain text in their options). Runs at
     * activation; a database that cannot be reached then leaves them for the next start (reads mask them anyway).
     */
    void sealPlaintextHeaders() {
        try {
            for (StoredMonitor m : store.list()) {
                com.fasterxml.jackson.databind.node.ObjectNode sealed = SecretHeaders.sealedPlaintext(m.options(), box);
                if (sealed != null) {
                    store.replaceOptions(m.id(), sealed);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Could not seal the stored header values of older monitors now: {}", e.toString());
        }
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

    /** Creates a monitor from a request body (REST). */
    public StoredMonitor create(JsonNode body) {
        return store.create(sealed(parse(body), null));
    }

    /** Creates a monitor from a typed draft (the shell), validated as the same body would be. */
    public StoredMonitor create(MonitorDraft draft) {
        return store.create(sealed(validated(draft, new Fields()), null));
    }

    public StoredMonitor update(UUID id, JsonNode body) {
        MonitorInput in = parse(body);
        StoredMonitor old = get(id);
        StoredMonitor[] both = store.update(id, sealed(in, old.options()));
        runner.deleted(both[0]); // the state starts over: a DOWN alert is cleared
        return both[1];
    }

    public void delete(UUID id) {
        runner.deleted(store.delete(id).orElseThrow(() -> ApiException.notFound("Monitor " + id)));
    }

    /** The input with its header values sealed ({@link SecretHeaders}); kept ones taken from {@code stored}. */
    private MonitorInput sealed(MonitorInput in, com.fasterxml.jackson.databind.node.ObjectNode stored) {
        return new MonitorInput(
                in.name(),
                in.type(),
                in.target(),
                in.intervalSeconds(),
                in.agentIds(),
                in.expect(),
                in.followRedirects(),
                in.confirmations(),
                in.timeoutMs(),
                SecretHeaders.seal(in.options(), stored, box),
                in.confirmAgents(),
                in.serviceId());
    }

    /** Validates the body and its agents, naming every bad field at once. */
    MonitorInput parse(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        Fields errors = new Fields();
        return validated(MonitorDraft.read(body, errors), errors);
    }

    /**
     * Validates a draft and its agents (given by id or name, the shell's way; stored as ids) and its service (while
     * the proxy module runs), naming every bad field at once.
     *
     * @param errors where the draft's reader marked its malformed members (else empty)
     * @throws ApiException 400 naming every bad field
     */
    MonitorInput validated(MonitorDraft draft, Fields errors) {
        MonitorInput in = MonitorInput.validate(draft, minIntervalSeconds, errors);
        if (in == null) {
            if (draft.agentIds() != null
                    && errors.errors().stream().noneMatch(f -> f.field().startsWith("agentIds"))) {
                agentIds(draft.agentIds(), errors);
            }
            errors.check();
        }
        List<String> ids = agentIds(in.agentIds(), errors);
        ServiceLookup lookup = services;
        if (in.serviceId() != null
                && lookup != null
                && lookup.available()
                && lookup.service(in.serviceId()).isEmpty()) {
            errors.error("serviceId", "no such service: " + in.serviceId());
        }
        errors.check();
        return new MonitorInput(
                in.name(),
                in.type(),
                in.target(),
                in.intervalSeconds(),
                ids,
                in.expect(),
                in.followRedirects(),
                in.confirmations(),
                in.timeoutMs(),
                in.options(),
                in.confirmAgents(),
                in.serviceId());
    }

    /** The ids of the agents given by id or name, without repeats; unknown ones are field errors. */
    private List<String> agentIds(List<String> given, Fields errors) {
        Map<String, String> byIdOrName = new HashMap<>();
        for (AgentInfo a : agents.list()) {
            byIdOrName.put(a.name(), a.id());
            byIdOrName.put(a.id(), a.id());
        }
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String id = byIdOrName.get(given.get(i));
            if (id == null) {
                errors.error(Fields.index("agentIds", i), "no such agent: " + given.get(i));
            } else if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
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
