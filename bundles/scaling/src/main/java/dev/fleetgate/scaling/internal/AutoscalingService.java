package dev.fleetgate.scaling.internal;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.metrics.MetricSeries;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;

/**
 * Runs the loop: every stored metric batch ({@code fleetgate/metrics/batch}) feeds the {@link SignalBook} and
 * evaluates the services with an enabled policy placed on that agent; a change goes through the proxy module's
 * {@link ServiceDirectory#setReplicas}. Decisions are recorded (every change, every change of rule, and a
 * repeated "no change" at most every {@link #REPEAT_MILLIS}); alert events go to module 8. A replica change by
 * anyone else ({@code fleetgate/proxy/SERVICE_CHANGED}) pauses the policy for its {@code manualPauseSeconds}; an
 * offline agent freezes the services placed on it. Everything runs on one thread, in event order.
 */
@Component(
        service = {AutoscalingService.class, EventHandler.class},
        property = {
            EventConstants.EVENT_TOPIC + "=" + Topics.METRICS_BATCH,
            EventConstants.EVENT_TOPIC + "=" + ServiceDirectory.TOPIC_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_STATUS
        })
public final class AutoscalingService implements EventHandler {
    /** The user replica changes of this module are recorded under. */
    public static final String USER = "autoscaler";

    static final long REPEAT_MILLIS = 5 * 60_000L;
    private static final Logger LOG = LoggerFactory.getLogger(AutoscalingService.class);

    private final AutoscalingStore store;
    private final ServiceDirectory services;
    private final AgentDirectory agents;
    private final EventAdmin events;
    private final Clock clock;
    private final ExecutorService loopThread;
    private final SignalBook book = new SignalBook();
    private final Map<UUID, State> states = new ConcurrentHashMap<>();
    private final Map<UUID, AutoscalingStore.StoredPolicy> policies = new ConcurrentHashMap<>();

    /** Told when the set of scale-to-zero services changes ({@link ScaleToZeroContributor}'s proxy extension). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile DesiredStateService desired;

    /** Per service: its loop, its alert watch, the last recorded decision and the last known per-agent count. */
    private static final class State {
        final ControlLoop loop = new ControlLoop();
        final Watch watch;
        Decision lastRecorded;
        long lastRecordedAt = Long.MIN_VALUE;
        int knownPerAgent = -1;
        int recorded;

        State(UUID id) {
            watch = new Watch(id.toString());
        }
    }

    @Activate
    public AutoscalingService(
            @Reference AutoscalingStore store,
            @Reference ServiceDirectory services,
            @Reference AgentDirectory agents,
            @Reference EventAdmin events) {
        this(store, services, agents, events, Clock.systemUTC(), Threads.single("fleetgate-scaling-loop"));
    }

    AutoscalingService(
            AutoscalingStore store,
            ServiceDirectory services,
            AgentDirectory agents,
            EventAdmin events,
            Clock clock,
            ExecutorService loopThread) {
        this.store = store;
        this.services = services;
        this.agents = agents;
        this.events = events;
        this.clock = clock;
        this.loopThread = loopThread;
    }

    @Deactivate
    void deactivate() {
        loopThread.shutdownNow();
        try {
            loopThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- API for the REST resource and the shell ----

    /** @return the service, or a 404 */
    public ServiceInfo requireService(String id) {
        return services.service(id).orElseThrow(() -> ApiException.notFound("Service " + id));
    }

    /** @return the service named or with this id */
    public Optional<ServiceInfo> findService(String nameOrId) {
        return services.service(nameOrId).or(() -> services.services().stream()
                .filter(s -> s.name().equals(nameOrId))
                .findFirst());
    }

    public Optional<AutoscalingStore.StoredPolicy> policy(UUID serviceId) {
        return store.get(serviceId);
    }

    /**
     * Stores a policy: the loop of the service starts again (windows and cooldown from now), a pause ends.
     *
     * @throws ApiException 400 when the policy is enabled for a service without managed containers
     */
    public AutoscalingStore.StoredPolicy put(ServiceInfo service, Policy p) {
        if (p.enabled() && !service.containers()) {
            throw ApiException.invalid("enabled", "the service has no managed containers to scale");
        }
        UUID id = UUID.fromString(service.id());
        boolean wakeBefore = store.get(id).map(s -> wakes(s.policy())).orElse(false);
        AutoscalingStore.StoredPolicy stored = store.put(id, p);
        policies.put(id, stored);
        loopThread.execute(() -> states.remove(id));
        if (wakeBefore || wakes(p)) {
            proxyChanged();
        }
        return stored;
    }

    /** @return whether there was a policy */
    public boolean delete(UUID serviceId) {
        AutoscalingStore.StoredPolicy before = policies.remove(serviceId);
        loopThread.execute(() -> {
            states.remove(serviceId);
            book.forget(serviceId.toString());
        });
        boolean deleted = store.delete(serviceId);
        if (deleted && (before == null || wakes(before.policy()))) {
            proxyChanged();
        }
        return deleted;
    }

    /** @return whether the agents hold requests of the policy's service while it has no replica */
    static boolean wakes(Policy p) {
        return p.enabled() && p.scaleToZeroAfterSeconds() != null;
    }

    private void proxyChanged() {
        DesiredStateService d = desired;
        if (d != null) {
            d.changed(ProxySpec.SECTION);
        }
    }

    public List<AutoscalingStore.StoredDecision> decisions(UUID serviceId, int limit) {
        return store.decisions(serviceId, limit);
    }

    public Instant now() {
        return clock.instant();
    }

    // ---- events ----

    @Override
    public void handleEvent(Event event) {
        try {
            switch (event.getTopic()) {
                case Topics.METRICS_BATCH -> {
                    Object agent = event.getProperty("agentId");
                    Object series = event.getProperty("series");
                    if (agent instanceof String a && series instanceof List<?> list) {
                        List<MetricSeries> ms = new ArrayList<>(list.size());
                        for (Object o : list) {
                            if (o instanceof MetricSeries m) {
                                ms.add(m);
                            }
                        }
                        loopThread.execute(() -> guarded(() -> onBatch(a, ms)));
                    }
                }
                case ServiceDirectory.TOPIC_CHANGED -> {
                    Object id = event.getProperty("serviceId");
                    Object action = event.getProperty("action");
                    Object by = event.getProperty("changedBy");
                    if (id instanceof String s) {
                        loopThread.execute(() -> guarded(
                                () -> onServiceChanged(s, String.valueOf(action), by instanceof String b ? b : null)));
                    }
                }
                case Topics.AGENT_STATUS -> {
                    Object agent = event.getProperty("agentId");
                    if (agent instanceof String a && "OFFLINE".equals(String.valueOf(event.getProperty("status")))) {
                        loopThread.execute(() -> guarded(() -> onAgentOffline(a)));
                    }
                }
                default -> {}
            }
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivated meanwhile
        }
    }

    private static void guarded(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Autoscaling step failed: {}", e.toString());
        }
    }

    /** Runs queued work to its end (tests). */
    void drain() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        loopThread.execute(done::countDown);
        done.await(30, TimeUnit.SECONDS);
    }

    /** Policies written through another core (or paused there) are seen within this time. */
    static final long REFRESH_MILLIS = 10_000;

    private long refreshedAt = Long.MIN_VALUE;

    private void refreshPolicies() {
        long now = clock.millis();
        if (refreshedAt != Long.MIN_VALUE && now - refreshedAt < REFRESH_MILLIS) {
            return;
        }
        refreshedAt = now;
        java.util.Set<UUID> seen = new java.util.HashSet<>();
        for (AutoscalingStore.StoredPolicy p : store.all()) {
            seen.add(p.serviceId());
            AutoscalingStore.StoredPolicy old = policies.put(p.serviceId(), p);
            if (old != null && old.updatedAt() != null && !old.updatedAt().equals(p.updatedAt())) {
                states.remove(p.serviceId());
            }
        }
        policies.keySet().retainAll(seen);
    }

    void onBatch(String agentId, List<MetricSeries> series) {
        refreshPolicies();
        List<ServiceInfo> placed = new ArrayList<>();
        forEachPlaced(agentId, (p, s) -> placed.add(s));
        if (placed.isEmpty()) {
            return;
        }
        Map<String, Double> cpus = new java.util.HashMap<>();
        for (ServiceInfo s : placed) {
            if (s.cpus() != null) {
                cpus.put(s.id(), s.cpus());
            }
        }
        if (!book.accept(agentId, series, placed.stream().map(ServiceInfo::id).toList(), cpus::get)) {
            LOG.debug("Batch of agent {} not newer than the last one: ignored for scaling", agentId);
            return;
        }
        for (ServiceInfo s : placed) {
            AutoscalingStore.StoredPolicy p = policies.get(UUID.fromString(s.id()));
            if (p != null) {
                evaluate(s, p);
            }
        }
    }

    private void evaluate(ServiceInfo svc, AutoscalingStore.StoredPolicy stored) {
        UUID id = UUID.fromString(svc.id());
        State st = states.computeIfAbsent(id, State::new);
        long now = clock.millis();
        Policy p = stored.policy();
        int n = svc.agentIds().size();
        int current = Spread.total(svc.replicas(), n);
        if (st.knownPerAgent < 0) {
            st.knownPerAgent = svc.replicas();
        }
        if (!svc.containers()) {
            hold(svc, st, p, current, "noContainers", "the service has no managed containers to scale", now);
            return;
        }
        if (stored.pausedAt(Instant.ofEpochMilli(now))) {
            String by = stored.pausedBy() == null ? "" : " by " + stored.pausedBy();
            hold(
                    svc,
                    st,
                    p,
                    current,
                    "paused",
                    "paused until " + stored.pausedUntil() + " after a manual replica change" + by,
                    now);
            return;
        }
        for (String a : svc.agentIds()) {
            Optional<AgentInfo> info = agents.get(a);
            if (info.isEmpty() || info.get().status() == AgentInfo.Status.OFFLINE) {
                hold(
                        svc,
                        st,
                        p,
                        current,
                        "frozen",
                        frozen(info.map(AgentInfo::name).orElse(a)),
                        now);
                return;
            }
            SignalBook.AgentSample s = book.sample(svc.id(), a);
            if (s == null || now - s.at() > p.sampleMaxAgeSeconds() * 1000L) {
                String newest = s == null ? " (none yet)" : " (newest " + Instant.ofEpochMilli(s.at()) + ")";
                hold(
                        svc,
                        st,
                        p,
                        current,
                        "stale",
                        "waiting for a fresh sample from agent " + info.get().name() + newest,
                        now);
                return;
            }
        }
        Signals signals = book.combine(svc.id(), svc.agentIds());
        Decision d = st.loop.evaluate(p, current, signals, now);
        if (d.changed()) {
            int per = Spread.perAgent(d.to(), n, p.maxReplicas());
            int total = Spread.total(per, n);
            String spread = n > 1 ? " (" + per + " per agent on " + n + " agents)" : "";
            try {
                ServiceInfo after = services.setReplicas(svc.id(), per, USER);
                st.knownPerAgent = after.replicas();
                d = new Decision(d.at(), current, total, d.recommended(), d.rule(), d.reason() + spread, d.signals());
            } catch (ApiException | UnsupportedOperationException e) {
                st.loop.reset(d.at());
                d = Decision.hold(
                        d.at(),
                        current,
                        d.recommended(),
                        "applyFailed",
                        d.reason() + ": not applied, " + e.getMessage(),
                        d.signals());
            }
        }
        record(svc, st, p, d, now);
    }

    /** Records a decision that changes nothing (no recommendation). */
    private void hold(ServiceInfo svc, State st, Policy p, int current, String rule, String reason, long now) {
        record(svc, st, p, Decision.hold(now, current, -1, rule, reason, Map.of()), now);
    }

    private static String frozen(String agentName) {
        return "agent " + agentName + " is offline: scaling of this service is frozen until it is back";
    }

    /** Calls {@code action} with every enabled policy whose service is placed on the agent, and that service. */
    private void forEachPlaced(String agentId, BiConsumer<AutoscalingStore.StoredPolicy, ServiceInfo> action) {
        for (AutoscalingStore.StoredPolicy p : policies.values()) {
            if (!p.policy().enabled()) {
                continue;
            }
            services.service(p.serviceId().toString())
                    .filter(s -> s.agentIds().contains(agentId))
                    .ifPresent(s -> action.accept(p, s));
        }
    }

    private void record(ServiceInfo svc, State st, Policy p, Decision d, long now) {
        Decision last = st.lastRecorded;
        boolean repeat = last != null
                && !d.changed()
                && !last.changed()
                && last.rule().equals(d.rule())
                && last.from() == d.from()
                && now - st.lastRecordedAt < REPEAT_MILLIS;
        if (!repeat) {
            UUID id = UUID.fromString(svc.id());
            store.record(id, d);
            st.lastRecorded = d;
            st.lastRecordedAt = now;
            if (++st.recorded % 100 == 0) {
                store.prune(id);
            }
            if (d.changed()) {
                LOG.info("Autoscaling {}: {} → {} ({})", svc.name(), d.from(), d.to(), d.rule());
            }
        }
        for (AlertEvent e : st.watch.observe(d, p.maxReplicas(), svc.name(), now)) {
            events.postEvent(new Event(e.topic(), e.toProperties()));
        }
    }

    void onServiceChanged(String serviceId, String action, String changedBy) {
        UUID id;
        try {
            id = UUID.fromString(serviceId);
        } catch (IllegalArgumentException e) {
            return;
        }
        if ("DELETED".equals(action)) {
            delete(id);
            return;
        }
        AutoscalingStore.StoredPolicy stored = policies.get(id);
        State st = states.get(id);
        Optional<ServiceInfo> svc = services.service(serviceId);
        if (stored == null || st == null || svc.isEmpty() || USER.equals(changedBy)) {
            return;
        }
        int per = svc.get().replicas();
        if (st.knownPerAgent < 0 || per == st.knownPerAgent) {
            st.knownPerAgent = per;
            return;
        }
        int n = svc.get().agentIds().size();
        int before = Spread.total(st.knownPerAgent, n);
        st.knownPerAgent = per;
        long now = clock.millis();
        Policy p = stored.policy();
        st.loop.reset(now);
        String who = changedBy == null || changedBy.isEmpty() ? "an update of the service" : changedBy;
        String reason = "replicas set to " + per + " per agent by " + who;
        if (!p.enabled() || p.manualPauseSeconds() == 0) {
            reason += "; the policy goes on from there";
        } else {
            Instant until = Instant.ofEpochMilli(now).plusSeconds(p.manualPauseSeconds());
            store.pause(id, until, who);
            store.get(id).ifPresent(s -> policies.put(id, s));
            reason += ": the policy pauses until " + until + " (manualPauseSeconds " + p.manualPauseSeconds() + ")";
        }
        record(svc.get(), st, p, new Decision(now, before, Spread.total(per, n), -1, "manual", reason, Map.of()), now);
    }

    void onAgentOffline(String agentId) {
        long now = clock.millis();
        forEachPlaced(agentId, (p, s) -> {
            State st = states.computeIfAbsent(p.serviceId(), State::new);
            String name = agents.get(agentId).map(AgentInfo::name).orElse(agentId);
            int current = Spread.total(s.replicas(), s.agentIds().size());
            hold(s, st, p.policy(), current, "frozen", frozen(name), now);
        });
    }
}
