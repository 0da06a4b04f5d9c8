package dev.fleetgate.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;

/** Alert events from the agents' target and replica reports: one per transition, none while a state lasts. */
class HealthWatchTest {
    private static final UUID ID = UUID.fromString("5f0c7c52-0000-4000-8000-000000000001");
    private static final String SID = ID.toString();
    private final TargetHealth health = new TargetHealth();
    private final ContainerReports containers = new ContainerReports();
    private final HealthWatch watch = new HealthWatch(health, containers);

    private static StoredService service(ServiceConfig.Containers c, String... agents) {
        ServiceConfig config = new ServiceConfig(
                "shop",
                List.of("shop.test"),
                List.of(agents),
                new ServiceConfig.Upstream(
                        c == null
                                ? List.of(
                                        new ServiceConfig.Target("10.0.0.5", 8080, 1, null, null),
                                        new ServiceConfig.Target("10.0.0.6", 8080, 1, null, null))
                                : List.of(),
                        "round_robin",
                        32,
                        null),
                ServiceConfig.Timeouts.DEFAULT,
                "10m",
                null,
                null,
                false,
                c,
                false);
        return new StoredService(ID, 1, config, Instant.EPOCH, Instant.EPOCH);
    }

    private static ServiceConfig.Containers replicas(int n) {
        return new ServiceConfig.Containers(
                "web:1", null, Map.of(), 8080, n, null, null, null, null, null, false, null, null, Map.of());
    }

    private void targets(String agent, boolean first, boolean second) {
        health.report(
                agent,
                Bodies.json("{'targets':[{'serviceId':'" + SID + "','host':'10.0.0.5','port':8080,'healthy':" + first
                                + "},{'serviceId':'" + SID + "','host':'10.0.0.6','port':8080,'healthy':" + second
                                + "}]}")
                        .get("targets"));
    }

    private void replicaReport(String state, String replicaState, int ready, String error) {
        containers.report(
                Bodies.AGENT,
                Bodies.json("{'engine':{'available':true},'containers':[{'id':'c0',"
                        + "'name':'fg-shop-0-abc','state':'" + replicaState + "','serviceId':'" + SID + "','replica':0,"
                        + "'hostPort':19701,'ready':" + (ready > 0) + ",'labels':{'fleetgate.agent':'" + Bodies.AGENT
                        + "'}}],"
                        + "'services':[{'serviceId':'" + SID + "','desired':1,'running':" + ready + ",'ready':" + ready
                        + ",'state':'" + state + "','error':" + (error == null ? "null" : "'" + error + "'") + "}]}"));
    }

    /** "state kind subject;" per event, sorted (the order within one check is not specified). */
    private static String describe(List<AlertEvent> events) {
        StringBuilder b = new StringBuilder();
        events.stream()
                .map(AlertEvent::toProperties)
                .map(p ->
                        p.get(AlertEvent.STATE) + " " + p.get(AlertEvent.KIND) + " " + p.get(AlertEvent.SUBJECT) + ";")
                .sorted()
                .forEach(b::append);
        return b.toString();
    }

    @Test
    void targetDownFiresOnceAndClearsOnce() {
        StoredService s = service(null, Bodies.AGENT);
        targets(Bodies.AGENT, true, true);
        assertEquals("", describe(watch.check(List.of(s))), "healthy: nothing to say");

        targets(Bodies.AGENT, false, true);
        List<AlertEvent> fired = watch.check(List.of(s));
        assertEquals("firing service.target.down " + SID + "/10.0.0.5:8080;", describe(fired));
        Map<String, Object> p = fired.get(0).toProperties();
        assertEquals(AlertTopics.FIRING, fired.get(0).topic());
        assertEquals("Target 10.0.0.5:8080 of service shop is down", p.get(AlertEvent.MESSAGE));
        assertEquals(
                Map.of("service", SID, "serviceName", "shop", "target", "10.0.0.5:8080"), p.get(AlertEvent.LABELS));
        assertEquals("warning", p.get(AlertEvent.SEVERITY));

        targets(Bodies.AGENT, false, true);
        assertEquals("", describe(watch.check(List.of(s))), "no repeat while it stays down");
        assertEquals("", describe(watch.check(List.of(s))));

        targets(Bodies.AGENT, true, true);
        List<AlertEvent> cleared = watch.check(List.of(s));
        assertEquals("cleared service.target.down " + SID + "/10.0.0.5:8080;", describe(cleared));
        assertEquals(AlertTopics.CLEARED, cleared.get(0).topic());
        assertEquals("", describe(watch.check(List.of(s))), "cleared once");
    }

    @Test
    void everyTargetDownIsServiceDownUntilOneIsUp() {
        StoredService s = service(null, Bodies.AGENT, Bodies.AGENT2);
        targets(Bodies.AGENT, true, true);
        targets(Bodies.AGENT2, false, true);
        assertEquals(
                "firing service.target.down " + SID + "/10.0.0.5:8080;",
                describe(watch.check(List.of(s))),
                "down for one agent is down");

        targets(Bodies.AGENT, true, false);
        assertEquals(
                "firing service.down " + SID + ";firing service.target.down " + SID + "/10.0.0.6:8080;",
                describe(watch.check(List.of(s))));
        List<AlertEvent> again = watch.check(List.of(s));
        assertEquals("", describe(again), "no repeat");

        targets(Bodies.AGENT2, true, true);
        assertEquals(
                "cleared service.down " + SID + ";cleared service.target.down " + SID + "/10.0.0.5:8080;",
                describe(watch.check(List.of(s))));
        targets(Bodies.AGENT, true, true);
        assertEquals("cleared service.target.down " + SID + "/10.0.0.6:8080;", describe(watch.check(List.of(s))));
        assertEquals("", describe(watch.check(List.of(s))));
    }

    @Test
    void serviceDownMessageAndSeverity() {
        StoredService s = service(null, Bodies.AGENT);
        targets(Bodies.AGENT, false, false);
        AlertEvent down = watch.check(List.of(s)).stream()
                .filter(e -> "service.down".equals(e.toProperties().get(AlertEvent.KIND)))
                .findFirst()
                .orElseThrow();
        assertEquals("critical", down.toProperties().get(AlertEvent.SEVERITY));
        assertEquals(
                "Service shop is down: every target is down",
                down.toProperties().get(AlertEvent.MESSAGE));
        assertEquals(
                Map.of("service", SID, "serviceName", "shop"),
                down.toProperties().get(AlertEvent.LABELS));
    }

    @Test
    void deletedServiceClearsWhatFired() {
        StoredService s = service(null, Bodies.AGENT);
        targets(Bodies.AGENT, false, false);
        assertEquals(3, watch.check(List.of(s)).size());
        assertEquals(
                "cleared service.down " + SID + ";cleared service.target.down " + SID
                        + "/10.0.0.5:8080;cleared service.target.down " + SID + "/10.0.0.6:8080;",
                describe(watch.check(List.of())));
        assertEquals("", describe(watch.check(List.of())));
    }

    @Test
    void failedReplicaFiresUntilEveryReplicaIsReadyAgain() {
        StoredService s = service(replicas(1), Bodies.AGENT);
        replicaReport("SCALING", "running", 0, null);
        assertEquals("", describe(watch.check(List.of(s))), "starting is not failing");

        replicaReport("FAILED", "exited", 0, "replica 0 exited with code 1 (3 times)");
        List<AlertEvent> fired = watch.check(List.of(s));
        assertEquals("firing container.replica.failed " + SID + ";firing service.down " + SID + ";", describe(fired));
        AlertEvent failed = fired.stream()
                .filter(e -> "container.replica.failed".equals(e.toProperties().get(AlertEvent.KIND)))
                .findFirst()
                .orElseThrow();
        assertEquals(
                "Containers of service shop are failing: replica 0 exited with code 1 (3 times)",
                failed.toProperties().get(AlertEvent.MESSAGE));

        replicaReport("SCALING", "running", 0, null);
        assertEquals("", describe(watch.check(List.of(s))), "restarted, not ready yet: still failing, no repeat");
        replicaReport("FAILED", "exited", 0, "replica 0 exited with code 1 (4 times)");
        assertEquals("", describe(watch.check(List.of(s))), "no repeat while it lasts");

        replicaReport("OK", "running", 1, null);
        assertEquals(
                "cleared container.replica.failed " + SID + ";cleared service.down " + SID + ";",
                describe(watch.check(List.of(s))));
        assertEquals("", describe(watch.check(List.of(s))), "cleared once");
    }

    @Test
    void restartingReplicaIsFailingEvenWhileAnotherServes() {
        StoredService s = service(replicas(1), Bodies.AGENT);
        replicaReport("SCALING", "restarting", 1, null);
        assertEquals(
                "firing container.replica.failed " + SID + ";",
                describe(watch.check(List.of(s))),
                "a replica is ready: the service is not down");
    }
}
