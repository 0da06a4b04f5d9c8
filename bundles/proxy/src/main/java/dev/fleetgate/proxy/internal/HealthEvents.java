package dev.fleetgate.proxy.internal;

import java.util.List;
import java.util.concurrent.ScheduledExecutorService;

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

import dev.fleetgate.api.Threads;
import dev.fleetgate.api.alerts.AlertEvent;

/**
 * Posts the alert events of {@link HealthWatch} ({@code service.target.down},
 * {@code service.down}, {@code container.replica.failed}) for the agents' reports this core
 * received, checked every {@value #INTERVAL_SECONDS} s. Transitions are remembered in memory:
 * after a core restart a condition still true is posted firing again (the alerts module keeps
 * one incident per rule and subject).
 */
@Component(service = HealthEvents.class, immediate = true)
public final class HealthEvents {
    static final int INTERVAL_SECONDS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(HealthEvents.class);

    private final ServiceStore store;
    private final HealthWatch watch;
    private final ScheduledExecutorService timer;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Activate
    public HealthEvents(
            @Reference ServiceStore store, @Reference TargetHealth health, @Reference ContainerReports containers) {
        this.store = store;
        this.watch = new HealthWatch(health, containers);
        this.timer = Threads.every(
                "fleetgate-proxy-health-events", java.time.Duration.ofSeconds(INTERVAL_SECONDS), this::check);
    }

    @Deactivate
    public void close() {
        timer.shutdownNow();
    }

    synchronized void check() {
        try {
            EventAdmin ea = eventAdmin;
            if (ea == null) {
                return; // nothing to post to; transitions are seen once EventAdmin is back
            }
            List<AlertEvent> events = watch.check(store.list());
            for (AlertEvent a : events) {
                ea.postEvent(new Event(a.topic(), a.toProperties()));
            }
        } catch (RuntimeException e) {
            LOG.warn("Service health events failed: {}", e.toString());
            LOG.debug("Service health events failure", e);
        }
    }
}
