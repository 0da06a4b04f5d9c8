package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.DesiredStateService.SectionState;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;

/**
 * Where a service stands on its agents and how healthy its targets are.
 *
 * <p>A service is APPLIED on an agent once the agent applied a {@code proxy} section
 * revision that carries the service's current revision; FAILED when it failed such a
 * revision (the agent keeps serving its last good configuration); PENDING otherwise.
 * Which section revision carries which service revision is learnt by
 * {@link DesiredStateService#recompute} when first asked (see {@link RolloutTracker}).
 *
 * <p>For a service with managed containers, each agent entry also carries where its
 * replicas stand there ({@code containers}), and {@code replicas} lists them all, as the
 * agents last reported (see {@link ContainerReports}).
 */
@Component(service = ServiceStatus.class)
public final class ServiceStatus {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceStatus.class);

    /**
     * The REST shape of {@code GET /services/{id}/status}; {@code replicas} is empty without
     * containers; {@code health} is derived by {@link ServiceHealth}.
     */
    public record View(
            long revision,
            String health,
            List<AgentState> agents,
            List<TargetState> targets,
            List<ContainerReports.Replica> replicas,
            TlsState tls) {}

    /**
     * The service's {@code tls} (null when off): {@code problem} says why it is not served over HTTPS when
     * no module serving TLS is installed (no {@link ProxySpecContributor} with
     * {@code fleetgate.proxy.provides=tls}); null otherwise (the certificates module reports the rest).
     */
    public record TlsState(String mode, String problem) {}

    /** The problem while no TLS module is installed. */
    static final String NO_TLS_MODULE = "not served over HTTPS: no module serving TLS (the certificates module)"
            + " is installed; the service is served over plain HTTP";

    /**
     * @param appliedRevision the newest service revision known to be live there, or null
     * @param containers      the replicas' state there, or null for a service without containers
     * @param applyMode       how the agent applied its last proxy change: {@code dynamic} (no nginx reload),
     *                        {@code reload} or {@code start}; null until it reported one
     * @param appliedAt       when (ISO-8601), or null
     */
    public record AgentState(
            String agentId,
            Long appliedRevision,
            String state,
            String error,
            ContainerReports.Summary containers,
            String applyMode,
            String appliedAt) {
        AgentState(String agentId, Long appliedRevision, String state, String error) {
            this(agentId, appliedRevision, state, error, null, null, null);
        }

        AgentState with(ContainerReports.Summary c) {
            return new AgentState(agentId, appliedRevision, state, error, c, applyMode, appliedAt);
        }

        AgentState with(TargetHealth.Applied a) {
            return a == null
                    ? this
                    : new AgentState(agentId, appliedRevision, state, error, containers, a.mode(), a.at());
        }
    }

    /** @param healthy null until an agent reported the target */
    public record TargetState(String host, int port, Boolean healthy) {}

    private final ServiceStore store;
    private final DesiredStateService desiredState;
    private final TargetHealth health;
    private final ContainerReports containers;
    private final RolloutTracker tracker = new RolloutTracker();
    private final java.util.concurrent.atomic.AtomicInteger tlsProviders =
            new java.util.concurrent.atomic.AtomicInteger();

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            target = "(" + ProxySpecContributor.PROVIDES + "=" + ProxySpecContributor.PROVIDES_TLS + ")",
            unbind = "removeTlsProvider")
    void addTlsProvider(ProxySpecContributor c) {
        tlsProviders.incrementAndGet();
    }

    void removeTlsProvider(ProxySpecContributor c) {
        tlsProviders.decrementAndGet();
    }

    @Activate
    public ServiceStatus(
            @Reference ServiceStore store,
            @Reference DesiredStateService desiredState,
            @Reference TargetHealth health,
            @Reference ContainerReports containers) {
        this.store = store;
        this.desiredState = desiredState;
        this.health = health;
        this.containers = containers;
    }

    /** @return whether the agent's Docker engine offers a bridge network (see {@link ContainerReports#hasBridge}) */
    public boolean hasBridge(String agentId) {
        return containers.hasBridge(agentId);
    }

    public View status(UUID id) {
        StoredService s = store.get(id).orElseThrow(() -> ApiException.notFound("Service " + id));
        return status(s, agentId -> desiredState.state(agentId));
    }

    /**
     * The health of each of these services (for the list), asking each agent's state once
     * rather than once per service.
     */
    public Map<UUID, String> health(List<StoredService> services) {
        Map<String, Map<String, SectionState>> states = new java.util.HashMap<>();
        Map<UUID, String> out = new LinkedHashMap<>();
        for (StoredService s : services) {
            out.put(
                    s.id(),
                    status(s, agentId -> states.computeIfAbsent(agentId, desiredState::state))
                            .health());
        }
        return out;
    }

    private View status(StoredService s, java.util.function.Function<String, Map<String, SectionState>> states) {
        UUID id = s.id();
        Map<String, Long> carriers = tracker.carriers(id, s.revision());
        if (carriers == null) {
            learnCarriers();
            carriers = tracker.carriers(id, s.revision());
        }
        ServiceConfig.Containers c = s.config().containers();
        String sid = s.id().toString();
        List<AgentState> agents = new ArrayList<>();
        for (String agentId : s.config().agentIds()) {
            AgentState a = agentState(s, agentId, carriers == null ? null : carriers.get(agentId), states)
                    .with(health.applied(agentId));
            agents.add(c == null ? a : a.with(containers.summary(agentId, sid, c.replicas())));
        }
        List<ContainerReports.Replica> replicas =
                c == null ? List.of() : containers.replicas(sid, s.config().agentIds());
        List<TargetState> targets = targets(s);
        return new View(
                s.revision(),
                ServiceHealth.of(agents, targets, c != null),
                agents,
                targets,
                replicas,
                tlsState(s.config().tls(), tlsProviders.get() > 0));
    }

    static TlsState tlsState(dev.fleetgate.proxy.ServiceDirectory.TlsSetting tls, boolean provided) {
        return tls.enabled() ? new TlsState(tls.mode(), provided ? null : NO_TLS_MODULE) : null;
    }

    /** Forgets what was learnt about a deleted service. */
    public void forget(UUID id) {
        tracker.forget(id);
    }

    /** Every service's current revision is carried by the revisions the recomputation yields. */
    private void learnCarriers() {
        List<StoredService> before = store.list();
        Map<String, Long> revisions;
        try {
            revisions = desiredState.recompute(ProxySpec.SECTION);
        } catch (RuntimeException e) {
            LOG.warn("Could not recompute the proxy section: {}", e.toString());
            return;
        }
        for (StoredService s : before) {
            tracker.record(s.id(), s.revision(), revisions);
        }
    }

    private AgentState agentState(
            StoredService s,
            String agentId,
            Long carrier,
            java.util.function.Function<String, Map<String, SectionState>> states) {
        SectionState st;
        try {
            st = states.apply(agentId).get(ProxySpec.SECTION);
        } catch (RuntimeException e) {
            return new AgentState(agentId, null, "PENDING", "agent unknown: " + e.getMessage());
        }
        if (carrier == null || carrier <= 0) {
            return new AgentState(agentId, null, "PENDING", null);
        }
        if (st == null) {
            return new AgentState(agentId, null, "PENDING", null);
        }
        Long applied = tracker.appliedServiceRevision(s.id(), agentId, st.appliedRevision());
        if (st.appliedRevision() >= carrier) {
            return new AgentState(agentId, s.revision(), "APPLIED", null);
        }
        if (st.failedRevision() >= carrier) {
            return new AgentState(agentId, applied, "FAILED", st.error());
        }
        return new AgentState(agentId, applied, "PENDING", null);
    }

    private List<TargetState> targets(StoredService s) {
        Map<TargetHealth.HostPort, Boolean> reported =
                new LinkedHashMap<>(health.health(s.id().toString(), s.config().agentIds()));
        List<TargetState> out = new ArrayList<>();
        for (ServiceConfig.Target t : s.config().upstream().targets()) {
            TargetHealth.HostPort hp = new TargetHealth.HostPort(t.host(), t.port());
            out.add(new TargetState(t.host(), t.port(), reported.remove(hp)));
        }
        // Targets the agents run themselves (container replicas), after the configured ones.
        reported.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<TargetHealth.HostPort, Boolean> e) ->
                                e.getKey().host())
                        .thenComparingInt(e -> e.getKey().port()))
                .forEach(e ->
                        out.add(new TargetState(e.getKey().host(), e.getKey().port(), e.getValue())));
        return out;
    }
}
