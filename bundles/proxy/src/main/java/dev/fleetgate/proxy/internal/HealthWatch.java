package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;

/**
 * Turns what agents report of a service's targets and replicas ({@link TargetHealth},
 * {@link ContainerReports}) into alert events, on transitions only: it remembers in memory
 * which (kind, subject) it reported firing and posts nothing while a state lasts.
 *
 * <ul>
 * <li>{@value #TARGET_DOWN}, subject {@code <serviceId>/<host>:<port>}: an agent's health checks
 * say the target is down; cleared when every reporting agent says it is up again, or the
 * target or service is gone.</li>
 * <li>{@value #SERVICE_DOWN}, subject {@code <serviceId>}: every reported target is down, or a
 * service with containers has no ready replica and an agent reports it FAILED; cleared once a
 * target is up and (with containers) a replica is ready again.</li>
 * <li>{@value #REPLICA_FAILED}, subject {@code <serviceId>}: an agent reports the service's
 * containers FAILED (a replica exited and is being replaced with a backoff, image missing) or
 * a replica restarting/exited/dead; cleared when every agent reports all its replicas ready.</li>
 * </ul>
 * Between the firing and the clearing condition (e.g. replicas starting) nothing is posted.
 * Not thread-safe: one caller at a time.
 */
final class HealthWatch {
    static final String TARGET_DOWN = "service.target.down";
    static final String SERVICE_DOWN = "service.down";
    static final String REPLICA_FAILED = "container.replica.failed";
    private static final Set<String> BAD_REPLICA_STATES = Set.of("restarting", "exited", "dead");

    private final TargetHealth health;
    private final ContainerReports containers;
    /** Firing (kind, subject) → the labels it was posted with (for the clearing event). */
    private final Map<Key, Map<String, String>> firing = new HashMap<>();

    private record Key(String kind, String subject) {}

    HealthWatch(TargetHealth health, ContainerReports containers) {
        this.health = health;
        this.containers = containers;
    }

    /** @return the events to post for the current reports of these (all the stored) services */
    List<AlertEvent> check(List<StoredService> services) {
        List<AlertEvent> out = new ArrayList<>();
        Set<Key> seen = new HashSet<>();
        for (StoredService s : services) {
            check(s, out, seen);
        }
        // Subjects that are gone (service deleted, target removed or no longer reported).
        for (var it = firing.entrySet().iterator(); it.hasNext(); ) {
            var e = it.next();
            if (!seen.contains(e.getKey())) {
                out.add(cleared(e.getKey(), e.getValue()));
                it.remove();
            }
        }
        return out;
    }

    private void check(StoredService s, List<AlertEvent> out, Set<Key> seen) {
        String sid = s.id().toString();
        String name = s.name();
        List<String> agents = s.config().agentIds();
        Map<TargetHealth.HostPort, Boolean> reported = health.health(sid, agents);
        for (Map.Entry<TargetHealth.HostPort, Boolean> t : reported.entrySet()) {
            String target = t.getKey().host() + ":" + t.getKey().port();
            Key k = new Key(TARGET_DOWN, sid + "/" + target);
            seen.add(k);
            boolean down = !t.getValue();
            step(
                    k,
                    down,
                    !down,
                    out,
                    () -> AlertEvent.firing(TARGET_DOWN, k.subject())
                            .severity(Severity.WARNING)
                            .message("Target " + target + " of service " + name + " is down"),
                    Map.of("service", sid, "serviceName", name, "target", target));
        }

        boolean allTargetsDown = !reported.isEmpty() && !reported.containsValue(Boolean.TRUE);
        ServiceConfig.Containers c = s.config().containers();
        int desired = c == null ? 0 : c.replicas();
        int ready = 0;
        boolean anyFailed = false;
        boolean allReady = desired > 0 && !agents.isEmpty();
        String error = null;
        if (desired > 0) {
            for (String agent : agents) {
                ContainerReports.Summary sum = containers.summary(agent, sid, desired);
                ready += sum.ready();
                if ("FAILED".equals(sum.state())) {
                    anyFailed = true;
                    error = error == null ? sum.error() : error;
                }
                allReady &= "OK".equals(sum.state()) && sum.ready() >= desired;
            }
            for (ContainerReports.Replica r : containers.replicas(sid, agents)) {
                if (r.state() != null && BAD_REPLICA_STATES.contains(r.state())) {
                    anyFailed = true;
                    if (error == null) {
                        error = "replica " + (r.name() == null ? r.containerId() : r.name()) + " is " + r.state();
                    }
                    allReady = false;
                }
            }
        }
        boolean noReplicaReady = desired > 0 && ready == 0 && anyFailed;
        Key down = new Key(SERVICE_DOWN, sid);
        seen.add(down);
        String why = allTargetsDown ? "every target is down" : "no replica is ready";
        step(
                down,
                allTargetsDown || noReplicaReady,
                !allTargetsDown && (desired == 0 || ready > 0),
                out,
                () -> AlertEvent.firing(SERVICE_DOWN, sid)
                        .severity(Severity.CRITICAL)
                        .message("Service " + name + " is down: " + why),
                Map.of("service", sid, "serviceName", name));

        Key failed = new Key(REPLICA_FAILED, sid);
        seen.add(failed);
        String detail = error == null ? "" : ": " + error;
        step(
                failed,
                anyFailed,
                desired == 0 || allReady,
                out,
                () -> AlertEvent.firing(REPLICA_FAILED, sid)
                        .severity(Severity.WARNING)
                        .message("Containers of service " + name + " are failing" + detail),
                Map.of("service", sid, "serviceName", name));
    }

    private void step(
            Key k,
            boolean fire,
            boolean clear,
            List<AlertEvent> out,
            java.util.function.Supplier<AlertEvent> firingEvent,
            Map<String, String> labels) {
        boolean wasFiring = firing.containsKey(k);
        if (!wasFiring && fire) {
            AlertEvent e = firingEvent.get();
            labels.forEach(e::label);
            out.add(e);
            firing.put(k, labels);
        } else if (wasFiring && clear && !fire) {
            out.add(cleared(k, firing.remove(k)));
        }
    }

    private static AlertEvent cleared(Key k, Map<String, String> labels) {
        AlertEvent e = AlertEvent.cleared(k.kind(), k.subject());
        labels.forEach(e::label);
        return e;
    }
}
