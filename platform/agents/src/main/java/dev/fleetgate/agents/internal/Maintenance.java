package dev.fleetgate.agents.internal;

import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;

/**
 * Periodic work: hands liveness over to the other cores (a quarter of the offline threshold,
 * or at once when a starting core asks), stores last-seen times of transitions (every 2 s),
 * posts ONLINE/OFFLINE transitions (every 5 s, the first look one sync interval after start,
 * when every live agent has synced here or been handed over), expires and purges tasks
 * (every minute).
 */
@Component(service = Maintenance.class, immediate = true)
public final class Maintenance {
    private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

    private final AgentRegistry registry;
    private final TaskQueue tasks;
    private final StatusWatch watch = new StatusWatch();
    private final ScheduledExecutorService timer;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Activate
    public Maintenance(@Reference AgentRegistry registry, @Reference TaskQueue tasks) {
        this.registry = registry;
        this.tasks = tasks;
        this.timer = Threads.scheduler("fleetgate-agents-maintenance");
        timer.scheduleWithFixedDelay(
                () -> safely("liveness handover", () -> registry.handover(false)), 1, 1, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> safely("flush last-seen", registry::flushLastSeen), 2, 2, TimeUnit.SECONDS);
        long firstLook = Math.min(
                        registry.settings().syncIntervalSeconds(),
                        registry.settings().offlineAfter().toSeconds())
                + 1L;
        timer.scheduleWithFixedDelay(() -> safely("agent status", this::checkStatus), firstLook, 5, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(() -> safely("task sweep", this::sweepTasks), 10, 60, TimeUnit.SECONDS);
    }

    @Deactivate
    public void close() {
        timer.shutdownNow();
        safely("liveness handover", () -> registry.handover(true));
        safely("flush last-seen", registry::flushLastSeen);
    }

    void checkStatus() {
        for (StatusWatch.Transition t : watch.check(registry.list())) {
            LOG.info("Agent {} is {}", t.agentId(), t.status());
            if (t.status() == AgentInfo.Status.OFFLINE) {
                registry.wentOffline(t.agentId());
            }
            EventAdmin ea = eventAdmin;
            if (ea != null) {
                ea.postEvent(new Event(
                        Topics.AGENT_STATUS,
                        Map.of("agentId", t.agentId(), "status", t.status().name())));
                AlertEvent alert = alert(t);
                ea.postEvent(new Event(alert.topic(), alert.toProperties()));
            }
        }
    }

    /** For the alerts module (event kind {@code agent.offline}); every core posts it, one incident opens. */
    static AlertEvent alert(StatusWatch.Transition t) {
        AlertEvent a = t.status() == AgentInfo.Status.OFFLINE
                ? AlertEvent.firing("agent.offline", t.agentId())
                        .severity(Severity.CRITICAL)
                        .message("Agent " + t.agentId() + " is offline")
                : AlertEvent.cleared("agent.offline", t.agentId());
        return a.label("agent", t.agentId());
    }

    void sweepTasks() {
        int expired = tasks.expire();
        int purged = tasks.purge();
        if (expired + purged > 0) {
            LOG.debug("Tasks: {} expired, {} purged", expired, purged);
        }
    }

    private static void safely(String what, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Agents maintenance ({}) failed", what, e);
        }
    }
}
