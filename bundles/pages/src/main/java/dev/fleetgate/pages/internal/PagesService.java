package dev.fleetgate.pages.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;
import dev.fleetgate.pages.PageEvents;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * The pages module's operations: templates (fleet-wide and per service), maintenance per service and per agent.
 * Every change
 * recomputes the proxy section; a watcher (every 15 s) recomputes it when a maintenance window starts or ends
 * and posts the alert events.
 */
@Component(service = PagesService.class)
public final class PagesService {
    private static final Logger LOG = LoggerFactory.getLogger(PagesService.class);

    private final PagesStore store;
    private final DesiredStateService desired;
    private final EventAdmin events;
    private final ServiceDirectory services;
    /**
     * Optional and dynamic: the agents bundle's registry reaches this service back through the desired-state
     * engine and its contributors, and a mandatory reference made that a cycle SCR cannot resolve on a restart.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile AgentDirectory agents;

    private final PageTemplates templates = new PageTemplates();
    private final Clock clock;
    private final ScheduledExecutorService timer;
    private final Set<UUID> active = new HashSet<>();
    private final Set<UUID> activeAgents = new HashSet<>();

    @Activate
    public PagesService(
            @Reference PagesStore store,
            @Reference DesiredStateService desired,
            @Reference EventAdmin events,
            @Reference ServiceDirectory services) {
        this(store, desired, events, services, null, Clock.systemUTC(), true);
    }

    /** For tests: {@code watch} false starts no timer ({@link #tick()} is called by hand). */
    public PagesService(
            PagesStore store,
            DesiredStateService desired,
            EventAdmin events,
            ServiceDirectory services,
            AgentDirectory agents,
            Clock clock,
            boolean watch) {
        this.store = store;
        this.desired = desired;
        this.events = events;
        this.services = services;
        this.agents = agents;
        this.clock = clock;
        synchronized (active) {
            for (PagesStore.Maintenance m : store.maintenances()) {
                if (m.activeAt(clock.instant())) {
                    active.add(m.serviceId());
                }
            }
            for (PagesStore.Maintenance m : store.agentMaintenances()) {
                if (m.activeAt(clock.instant())) {
                    activeAgents.add(m.serviceId());
                }
            }
        }
        this.timer = watch ? Threads.every("fleetgate-pages-maintenance", Duration.ofSeconds(15), this::tick) : null;
    }

    @Deactivate
    void deactivate() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }

    /** @return a normalised allowlist entry (address or CIDR block), or null when it is not one */
    public static String cidr(String s) {
        return Cidrs.normalise(s);
    }

    public PageTemplates templates() {
        return templates;
    }

    public PagesStore store() {
        return store;
    }

    public Instant now() {
        return clock.instant();
    }

    /** @return the service, or a 404 */
    public ServiceDirectory.ServiceInfo requireService(String id) {
        return services.service(id).orElseThrow(() -> ApiException.notFound("Service " + id));
    }

    /** @return scope → template of every key: the stored one, else the shipped one */
    public Map<String, String> effective(String scope) {
        Map<String, String> stored = store.templates(scope);
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String key : PageTemplates.KEYS) {
            out.put(
                    key,
                    stored.getOrDefault(
                            key,
                            PagesStore.DEFAULT_SCOPE.equals(scope)
                                    ? templates.shipped(key)
                                    : store.templates(PagesStore.DEFAULT_SCOPE)
                                            .getOrDefault(key, templates.shipped(key))));
        }
        return out;
    }

    public void putTemplate(String scope, String key, String html) {
        store.putTemplate(scope, key, html);
        desired.changed(ProxySpec.SECTION);
    }

    public boolean deleteTemplate(String scope, String key) {
        boolean removed = store.deleteTemplate(scope, key);
        if (removed) {
            desired.changed(ProxySpec.SECTION);
        }
        return removed;
    }

    public Optional<PagesStore.Maintenance> maintenance(UUID serviceId) {
        return store.maintenance(serviceId);
    }

    public void putMaintenance(PagesStore.Maintenance m) {
        store.putMaintenance(m);
        desired.changed(ProxySpec.SECTION);
        tick();
    }

    /** @return the agent, or a 404 */
    public AgentInfo requireAgent(String id) {
        AgentDirectory a = agents;
        return (a == null ? java.util.Optional.<AgentInfo>empty() : a.get(id))
                .orElseThrow(() -> ApiException.notFound("Agent " + id));
    }

    public Optional<PagesStore.Maintenance> agentMaintenance(UUID agentId) {
        return store.agentMaintenance(agentId);
    }

    /** Switches a whole agent's maintenance (the record's id is the agent's): only that agent's spec changes. */
    public void putAgentMaintenance(PagesStore.Maintenance m) {
        store.putAgentMaintenance(m);
        desired.changed(ProxySpec.SECTION, m.serviceId().toString());
        tick();
    }

    /** The service was deleted. */
    public void forget(UUID serviceId) {
        store.forgetService(serviceId);
        tick();
    }

    /** Notices maintenance windows that started or ended (recompute + alert events). */
    public void tick() {
        try {
            Instant now = clock.instant();
            Map<UUID, PagesStore.Maintenance> all = new HashMap<>();
            for (PagesStore.Maintenance m : store.maintenances()) {
                all.put(m.serviceId(), m);
            }
            boolean changed = false;
            synchronized (active) {
                changed = tickAgents(now);
                for (PagesStore.Maintenance m : all.values()) {
                    if (m.activeAt(now) && active.add(m.serviceId())) {
                        changed = true;
                        post(
                                AlertEvent.firing(PageEvents.MAINTENANCE_KIND, name(m.serviceId()))
                                        .message(m.message() == null ? "maintenance started" : m.message()),
                                m.serviceId());
                    }
                }
                for (UUID id : List.copyOf(active)) {
                    PagesStore.Maintenance m = all.get(id);
                    if (m == null || !m.activeAt(now)) {
                        active.remove(id);
                        changed = true;
                        post(
                                AlertEvent.cleared(PageEvents.MAINTENANCE_KIND, name(id))
                                        .message("maintenance ended"),
                                id);
                    }
                }
            }
            if (changed) {
                desired.changed(ProxySpec.SECTION);
            }
        } catch (RuntimeException e) {
            LOG.warn("Maintenance check failed: {}", e.toString());
        }
    }

    /** Agents whose maintenance started or ended: alert events (label {@code agent}); @return whether any did */
    private boolean tickAgents(Instant now) {
        Map<UUID, PagesStore.Maintenance> all = new HashMap<>();
        for (PagesStore.Maintenance m : store.agentMaintenances()) {
            all.put(m.serviceId(), m);
        }
        boolean changed = false;
        for (PagesStore.Maintenance m : all.values()) {
            if (m.activeAt(now) && activeAgents.add(m.serviceId())) {
                changed = true;
                postAgent(
                        AlertEvent.firing(PageEvents.MAINTENANCE_KIND, agentName(m.serviceId()))
                                .message(m.message() == null ? "agent maintenance started" : m.message()),
                        m.serviceId());
            }
        }
        for (UUID id : List.copyOf(activeAgents)) {
            PagesStore.Maintenance m = all.get(id);
            if (m == null || !m.activeAt(now)) {
                activeAgents.remove(id);
                changed = true;
                postAgent(
                        AlertEvent.cleared(PageEvents.MAINTENANCE_KIND, agentName(id))
                                .message("agent maintenance ended"),
                        id);
            }
        }
        return changed;
    }

    private String agentName(UUID id) {
        AgentDirectory a = agents;
        return a == null
                ? id.toString()
                : a.get(id.toString()).map(AgentInfo::name).orElse(id.toString());
    }

    private void postAgent(AlertEvent e, UUID agentId) {
        e.severity(Severity.INFO).label("agent", agentId.toString());
        events.postEvent(new Event(e.topic(), e.toProperties()));
    }

    private String name(UUID id) {
        return services.service(id.toString())
                .map(ServiceDirectory.ServiceInfo::name)
                .orElse(id.toString());
    }

    private void post(AlertEvent e, UUID serviceId) {
        e.severity(Severity.INFO).label("service", serviceId.toString());
        events.postEvent(new Event(e.topic(), e.toProperties()));
    }
}
