package dev.fleetgate.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The DS runtime: a stored metric batch triggers an evaluation; alert events become incidents; the sender runs. */
class AlertsRuntimeIT {

    private static void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Test
    void aStoredBatchAndAnAlertEventAreActedOnWithoutThePeriodicEvaluation() throws Exception {
        try (TestDatabase db = TestDatabase.create();
                WebhookReceiver hook = new WebhookReceiver()) {
            Fixtures.migrate(db.dataSource());
            AlertStore store = AlertStore.of(db.dataSource());
            var box = Fixtures.secretBox();
            // periodic evaluation and polling effectively off: only the events can make it happen
            AlertsRuntime runtime = AlertsTesting.runtime(store, box, Map.of());
            try {
                StoredChannel ch = store.createChannel(
                        "hook", "webhook", Json.object().put("url", hook.url()), Map.of(), 600, true);
                Rule r = store.createRule(new Rule(
                        null,
                        "batch rule",
                        "metric",
                        true,
                        "warning",
                        "rt_metric",
                        Map.of(),
                        "last",
                        0,
                        ">",
                        10.0,
                        null,
                        0,
                        0,
                        null,
                        0,
                        List.of(ch.id()),
                        false,
                        null,
                        null));
                store.updateRule(
                        UUID.fromString("6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0004"),
                        new Rule(
                                null,
                                "Agent offline",
                                "event",
                                true,
                                "critical",
                                null,
                                Map.of(),
                                "last",
                                0,
                                ">",
                                null,
                                null,
                                0,
                                0,
                                "agent.offline",
                                0,
                                List.of(ch.id()),
                                true,
                                null,
                                null));
                long series = Fixtures.series(db.dataSource(), "rt_metric", Map.of("agent", "a1"));
                Fixtures.samples(db.dataSource(), series, Instant.now().minusSeconds(5), 1, 50);
                runtime.handleEvent(new Event(Topics.METRICS_BATCH, Map.of("agentId", "a1", "points", 1)));
                await("the batch's incident and its webhook", () -> hook.calls.stream()
                        .anyMatch(c -> c.body().contains("batch rule")));
                assertEquals(
                        1,
                        store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                                .size());

                AlertEvent off = AlertEvent.firing("agent.offline", "a9").message("Agent a9 is offline");
                runtime.handleEvent(new Event(off.topic(), off.toProperties()));
                await("the agent offline webhook", () -> hook.calls.stream()
                        .anyMatch(c -> c.body().contains("Agent a9 is offline")));
                AlertEvent on = AlertEvent.cleared("agent.offline", "a9");
                runtime.handleEvent(new Event(on.topic(), on.toProperties()));
                await("the resolved webhook", () -> hook.calls.stream()
                        .anyMatch(c -> "resolved".equals(c.event()) && c.body().contains("a9")));
                assertTrue(store.incidents(new AlertStore.IncidentFilter("RESOLVED", "critical", "a9", null, 10))
                                .size()
                        == 1);
            } finally {
                AlertsTesting.stop(runtime);
            }
        }
    }
}
