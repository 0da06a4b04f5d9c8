package dev.fleetgate.alerts.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.security.SecretBox;

/** The engine and the outbox against PostgreSQL, with a fake Telegram API and a webhook receiver. */
class IncidentEngineIT {
    private static TestDatabase db;
    private static DataSource ds;
    private static AlertStore store;
    private static SecretBox box;
    private static FakeTelegram telegram;
    private static WebhookReceiver webhook;
    private static final Dispatcher.Settings FAST = new Dispatcher.Settings(
            3, new Backoff(Duration.ofSeconds(30), Duration.ofMinutes(5)), "https://fleet.example");

    @BeforeAll
    static void setUp() throws Exception {
        db = TestDatabase.create();
        ds = db.dataSource();
        Fixtures.migrate(ds);
        store = AlertStore.of(ds);
        box = Fixtures.secretBox();
        telegram = new FakeTelegram();
        webhook = new WebhookReceiver();
    }

    @AfterAll
    static void tearDown() {
        telegram.close();
        webhook.close();
        db.close();
    }

    private static IncidentEngine engine() {
        return new IncidentEngine(ds, IncidentEngine.Settings.DEFAULTS);
    }

    private static Dispatcher dispatcher() {
        Map<String, NotificationChannel> types =
                Map.of("telegram", new TelegramChannel(), "webhook", new WebhookChannel());
        return new Dispatcher(ds, types::get, box, new Templates(), FAST);
    }

    private static StoredChannel telegramChannel(String token, int rate) {
        var s = Json.object().put("chatId", FakeTelegram.CHAT).put("apiBaseUrl", telegram.baseUrl());
        return store.createChannel(
                "tg-" + UUID.randomUUID(), "telegram", s, Map.of("botToken", box.encrypt(token)), rate, true);
    }

    private static StoredChannel webhookChannel(String secret) {
        var s = Json.object().put("url", webhook.url());
        return store.createChannel(
                "wh-" + UUID.randomUUID(),
                "webhook",
                s,
                secret == null ? Map.of() : Map.of("secret", box.encrypt(secret)),
                600,
                true);
    }

    private static Rule metricRule(String metric, double threshold, int forSeconds, int clearFor, List<UUID> channels) {
        return store.createRule(new Rule(
                null,
                "rule-" + UUID.randomUUID(),
                "metric",
                true,
                "warning",
                metric,
                Map.of(),
                "last",
                0,
                ">",
                threshold,
                null,
                forSeconds,
                clearFor,
                null,
                0,
                channels,
                false,
                null,
                null));
    }

    /** An event rule (not stored) for one channel. */
    private static Rule eventRule(
            String name, boolean enabled, String severity, int forSeconds, String kind, UUID channel) {
        return new Rule(
                null,
                name,
                "event",
                enabled,
                severity,
                null,
                Map.of(),
                "last",
                0,
                ">",
                null,
                null,
                forSeconds,
                0,
                kind,
                0,
                List.of(channel),
                false,
                null,
                null);
    }

    private static String metric() {
        return "test_metric_" + UUID.randomUUID().toString().replace("-", "");
    }

    private static long incidents(Rule r) throws Exception {
        return Fixtures.count(ds, "SELECT count(*) FROM incident WHERE rule_id = ?", r.id());
    }

    private static long deliveries(Rule r, String event) throws Exception {
        return Fixtures.count(
                ds,
                "SELECT count(*) FROM alert_delivery d JOIN incident i ON i.id = d.incident_id"
                        + " WHERE i.rule_id = ? AND d.event = ?",
                r.id(),
                event);
    }

    private static List<JsonNode> telegramTexts(String needle) {
        return telegram.messages.stream()
                .filter(m -> m.path("text").asText().contains(needle))
                .toList();
    }

    private static Instant recent() {
        return Instant.now().minusSeconds(200).truncatedTo(ChronoUnit.SECONDS);
    }

    @Test
    void opensOnceAcrossManySamplesAndResolvesAfterClearFor() throws Exception {
        StoredChannel ch = webhookChannel("s3cret");
        String m = metric();
        Rule r = metricRule(m, 85, 0, 30, List.of(ch.id()));
        long series = Fixtures.series(ds, m, Map.of("agent", "a1"));
        Instant t = recent();
        IncidentEngine engine = engine();
        Fixtures.samples(ds, series, t, 10, 90, 91, 92);
        engine.evaluateMetrics();
        Fixtures.samples(ds, series, t.plusSeconds(30), 10, 95, 99, 87);
        engine.evaluateMetrics();
        engine.evaluateMetrics();
        assertEquals(1, incidents(r));
        assertEquals(1, deliveries(r, "opened"));
        Incident open = store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                .get(0);
        assertEquals("agent=a1", open.subject());
        assertEquals(87.0, open.value());
        assertEquals(t, open.openedAt(), "opened at the first breaching sample's time");

        Fixtures.samples(ds, series, t.plusSeconds(60), 10, 50, 50); // 10 s clear: not yet
        engine.evaluateMetrics();
        assertEquals("OPEN", store.incident(open.id()).orElseThrow().state());
        Fixtures.samples(ds, series, t.plusSeconds(80), 10, 50, 50, 50); // 40 s clear
        engine.evaluateMetrics();
        Incident resolved = store.incident(open.id()).orElseThrow();
        assertEquals("RESOLVED", resolved.state());
        assertEquals(t.plusSeconds(90), resolved.resolvedAt(), "resolved at the sample completing clear-for");
        assertEquals(1, deliveries(r, "resolved"));

        int before = webhook.calls.size();
        dispatcher().dispatchDue();
        List<WebhookReceiver.Call> calls = webhook.calls.subList(before, webhook.calls.size());
        assertEquals(2, calls.size());
        for (WebhookReceiver.Call c : calls) {
            assertEquals("sha256=" + WebhookChannel.hmac("s3cret", c.body()), c.signature());
            JsonNode body = Json.MAPPER.readTree(c.body());
            assertEquals(open.id().toString(), body.path("incident").path("id").asText());
            assertTrue(body.path("text").asText().contains(r.name()));
        }
        assertEquals(
                "opened",
                Json.MAPPER.readTree(calls.get(0).body()).path("event").asText());
        assertEquals(
                "resolved",
                Json.MAPPER.readTree(calls.get(1).body()).path("event").asText());
        List<String> timeline = store.timeline(open.id()).stream()
                .map(AlertStore.TimelineEntry::type)
                .toList();
        assertEquals(List.of("opened", "queued", "resolved", "queued", "sent", "sent"), timeline);
    }

    @Test
    void aReplayedBatchOpensNothingTwice() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        long series = Fixtures.series(ds, m, Map.of("agent", "a2"));
        Instant t = recent();
        IncidentEngine engine = engine();
        // stored twice before the evaluation (the agent resent a batch whose answer it lost)
        Fixtures.samples(ds, series, t, 10, 90, 50, 90);
        Fixtures.samples(ds, series, t, 10, 90, 50, 90);
        engine.evaluateMetrics();
        assertEquals(2, incidents(r), "90 opens, 50 resolves, 90 opens again: two incidents, each once");
        assertEquals(2, deliveries(r, "opened"));
        assertEquals(1, deliveries(r, "resolved"));
        // and the same batch once more after the evaluation
        Fixtures.samples(ds, series, t, 10, 90, 50, 90);
        engine.evaluateMetrics();
        engine().evaluateMetrics();
        assertEquals(2, incidents(r));
        assertEquals(2, deliveries(r, "opened"));
        assertEquals(1, deliveries(r, "resolved"));
    }

    @Test
    void forSecondsCountsSampleTimeNotArrival() throws Exception {
        String m = metric();
        Rule r = metricRule(m, 90, 60, 0, List.of());
        long series = Fixtures.series(ds, m, Map.of("agent", "a3"));
        Instant t = recent();
        IncidentEngine engine = engine();
        Fixtures.samples(ds, series, t, 10, 95, 95, 95, 95, 95, 95); // 50 s of breach
        engine.evaluateMetrics();
        assertEquals(0, incidents(r));
        Fixtures.samples(ds, series, t.plusSeconds(60), 10, 95); // 60 s
        engine.evaluateMetrics();
        assertEquals(1, incidents(r));
    }

    @Test
    void theBuiltIn5xxRuleFiresAfterAMinuteAbove5Percent() throws Exception {
        Rule r = store.rule(UUID.fromString("6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a000a"))
                .orElseThrow();
        assertEquals("service_5xx_ratio_percent", r.metric());
        assertTrue(r.enabled() && r.builtin());
        String service = "svc-" + UUID.randomUUID();
        long series = Fixtures.series(ds, "service_5xx_ratio_percent", Map.of("service", service));
        Instant t = recent();
        IncidentEngine engine = engine();
        // the agent's 10 s intervals: 3% (fine), then 50 s of 20% (not a minute yet)
        Fixtures.samples(ds, series, t, 10, 3, 20, 20, 20, 20, 20, 20);
        engine.evaluateMetrics();
        String subject = "service=" + service;
        assertEquals(
                0,
                Fixtures.count(ds, "SELECT count(*) FROM incident WHERE rule_id = ? AND subject = ?", r.id(), subject));
        Fixtures.samples(ds, series, t.plusSeconds(70), 10, 12); // 60 s above 5%
        engine.evaluateMetrics();
        Incident open = store.incidents(new AlertStore.IncidentFilter("OPEN", null, service, r.id(), 10))
                .get(0);
        assertEquals(subject, open.subject());
        assertEquals(t.plusSeconds(70), open.openedAt(), "opened at the sample completing the minute");
        assertEquals(12.0, open.value());
        // 4.5% is above the clear threshold (4%): still firing; then a minute at 0 (no errors, or no traffic)
        Fixtures.samples(ds, series, t.plusSeconds(80), 10, 4.5, 0, 0, 0, 0, 0, 0);
        engine.evaluateMetrics();
        assertEquals("OPEN", store.incident(open.id()).orElseThrow().state(), "50 s clear");
        Fixtures.samples(ds, series, t.plusSeconds(150), 10, 0);
        engine.evaluateMetrics();
        Incident resolved = store.incident(open.id()).orElseThrow();
        assertEquals("RESOLVED", resolved.state());
        assertEquals(t.plusSeconds(150), resolved.resolvedAt());
    }

    @Test
    void aFlappingSubjectIsNotifiedOncePerPeriod() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        long series = Fixtures.series(ds, m, Map.of("agent", "a4"));
        Fixtures.samples(ds, series, recent(), 10, 90, 50, 90, 50, 90, 50, 90, 50, 90);
        engine().evaluateMetrics();
        assertEquals(5, incidents(r));
        // 1 and 2 are normal; 3 is the first flapping one (notified); 4 and 5 are suppressed
        assertEquals(3, deliveries(r, "opened"));
        assertEquals(3, deliveries(r, "resolved"));
        assertEquals(3, Fixtures.count(ds, "SELECT count(*) FROM incident WHERE rule_id = ? AND flapping", r.id()));
    }

    @Test
    void twoCoresOnOneDatabaseSendEachMessageOnce() throws Exception {
        StoredChannel ch = telegramChannel(FakeTelegram.TOKEN, 600);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        long series = Fixtures.series(ds, m, Map.of("agent", "two-cores"));
        Instant t = recent();
        IncidentEngine[] engines = {engine(), engine()};
        Dispatcher[] dispatchers = {dispatcher(), dispatcher()};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int phase = 0; phase < 2; phase++) {
                for (int batch = 0; batch < 5; batch++) {
                    Fixtures.samples(
                            ds,
                            series,
                            t.plusSeconds(phase * 100L + batch * 10L),
                            1,
                            phase == 0 ? 95 : 10,
                            phase == 0 ? 96 : 11);
                    List<Callable<Integer>> work = new ArrayList<>();
                    for (int core = 0; core < 2; core++) {
                        IncidentEngine e = engines[core];
                        Dispatcher d = dispatchers[core];
                        work.add(() -> {
                            e.evaluateMetrics();
                            return d.dispatchDue();
                        });
                    }
                    for (Future<Integer> f : pool.invokeAll(work)) {
                        f.get();
                    }
                }
            }
            // every core evaluates and sends once more, then "restarts" (new instances) and does it again
            engines[0].evaluateMetrics();
            engines[1].evaluateMetrics();
            dispatchers[0].dispatchDue();
            dispatchers[1].dispatchDue();
            engine().evaluateMetrics();
            dispatcher().dispatchDue();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, incidents(r));
        List<JsonNode> sent = telegramTexts(r.name());
        assertEquals(2, sent.size(), "one opened and one resolved message: " + sent);
        assertTrue(sent.get(0).path("text").asText().contains("[WARNING]"));
        assertTrue(sent.get(1).path("text").asText().contains("[RESOLVED]"));
        assertEquals(FakeTelegram.CHAT, sent.get(0).path("chat_id").asText());
    }

    @Test
    void eventRulesOpenOnceAndResolve() throws Exception {
        StoredChannel ch = webhookChannel(null);
        Rule r = store.createRule(eventRule("rule-" + UUID.randomUUID(), true, "critical", 0, "test.kind", ch.id()));
        IncidentEngine engine = engine();
        for (int i = 0; i < 3; i++) {
            engine.onEvent(AlertEvent.firing("test.kind", "agent-7")
                    .message("Agent agent-7 is offline")
                    .label("agent", "agent-7")
                    .toProperties());
        }
        engine.onEvent(AlertEvent.firing("other.kind", "agent-7").toProperties());
        assertEquals(1, incidents(r));
        Incident i = store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                .get(0);
        assertEquals("critical", i.severity());
        assertEquals("test.kind", i.kind());
        assertEquals("Agent agent-7 is offline", i.message());
        assertEquals(Map.of("agent", "agent-7"), i.labels());
        engine.onEvent(AlertEvent.cleared("test.kind", "agent-7").toProperties());
        engine.onEvent(AlertEvent.cleared("test.kind", "agent-7").toProperties());
        assertEquals("RESOLVED", store.incident(i.id()).orElseThrow().state());
        assertEquals(1, deliveries(r, "opened"));
        assertEquals(1, deliveries(r, "resolved"));
        assertEquals(0, engine.onEvent(Map.of("kind", "test.kind")), "no subject: ignored");
    }

    @Test
    void eventRulesWaitForSecondsBeforeOpening() throws Exception {
        StoredChannel ch = webhookChannel(null);
        Rule r = store.createRule(eventRule("rule-" + UUID.randomUUID(), true, "warning", 60, "pend.kind", ch.id()));
        IncidentEngine engine = engine();
        long now = System.currentTimeMillis();
        // fires 30 s ago: not a minute yet, neither at the event nor at the next evaluation
        engine.onEvent(AlertEvent.firing("pend.kind", "s1")
                .occurredAt(now - 30_000)
                .message("m1")
                .toProperties());
        engine.evaluateMetrics();
        assertEquals(0, incidents(r));
        assertEquals(1, Fixtures.count(ds, "SELECT count(*) FROM alert_event_pending WHERE rule_id = ?", r.id()));
        // clears before the minute: nothing ever opens
        engine.onEvent(AlertEvent.cleared("pend.kind", "s1").toProperties());
        assertEquals(0, Fixtures.count(ds, "SELECT count(*) FROM alert_event_pending WHERE rule_id = ?", r.id()));

        // fired 90 s ago (events are posted on transitions only): the periodic evaluation opens it, once,
        // at the moment the minute was complete; a second engine ("another core") opens nothing more
        Instant since = Instant.ofEpochMilli(now - 90_000).truncatedTo(ChronoUnit.MILLIS);
        engine.onEvent(AlertEvent.firing("pend.kind", "s2")
                .occurredAt(since.toEpochMilli())
                .value(3)
                .message("m2")
                .label("service", "s2")
                .toProperties());
        assertEquals(0, incidents(r), "a new condition never opens at its first event");
        engine.evaluateMetrics();
        engine().evaluateMetrics();
        assertEquals(1, incidents(r));
        Incident i = store.incidents(new AlertStore.IncidentFilter("OPEN", null, "s2", r.id(), 10))
                .get(0);
        assertEquals(since.plusSeconds(60), i.openedAt());
        assertEquals("m2", i.message());
        assertEquals(3.0, i.value());
        assertEquals(Map.of("service", "s2"), i.labels());
        assertEquals(1, deliveries(r, "opened"));
        // it fires again (another core posts what it sees): still the same incident
        engine.onEvent(AlertEvent.firing("pend.kind", "s2").message("m2").toProperties());
        assertEquals(1, incidents(r));
        assertEquals(0, Fixtures.count(ds, "SELECT count(*) FROM alert_event_pending WHERE rule_id = ?", r.id()));
        engine.onEvent(AlertEvent.cleared("pend.kind", "s2").toProperties());
        assertEquals("RESOLVED", store.incident(i.id()).orElseThrow().state());
        assertEquals(1, deliveries(r, "resolved"));

        // a repeated firing event once the minute is over opens at once
        engine.onEvent(
                AlertEvent.firing("pend.kind", "s3").occurredAt(now - 200_000).toProperties());
        engine.onEvent(
                AlertEvent.firing("pend.kind", "s3").occurredAt(now - 100_000).toProperties());
        assertEquals(
                1,
                Fixtures.count(
                        ds,
                        "SELECT count(*) FROM incident WHERE rule_id = ? AND subject = 's3'" + " AND state = 'OPEN'",
                        r.id()));

        // disabling the rule drops what waits
        engine.onEvent(AlertEvent.firing("pend.kind", "s4").toProperties());
        store.updateRule(r.id(), eventRule(r.name(), false, "warning", 60, "pend.kind", ch.id()));
        assertEquals(0, Fixtures.count(ds, "SELECT count(*) FROM alert_event_pending WHERE rule_id = ?", r.id()));
    }

    @Test
    void builtInRulesCoverTheEventsModulesPost() throws Exception {
        IncidentEngine engine = engine();
        Map<String, String> builtins = Map.of(
                "service.target.down",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0005",
                "service.down",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0006",
                "container.replica.failed",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0007",
                "proxy.apply.failed",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0008",
                "monitor.down",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0009",
                "scaling.at-max",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0201",
                "scaling.flapping",
                "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0202");
        for (Map.Entry<String, String> b : builtins.entrySet()) {
            Rule r = store.rule(UUID.fromString(b.getValue())).orElseThrow();
            assertEquals(b.getKey(), r.eventKind());
            assertTrue(r.enabled() && r.builtin(), r.toString());
            String subject = "subject-" + UUID.randomUUID();
            engine.onEvent(AlertEvent.firing(b.getKey(), subject).message("m").toProperties());
            engine.onEvent(AlertEvent.firing(b.getKey(), subject).message("m").toProperties());
            assertEquals(
                    1,
                    Fixtures.count(
                            ds,
                            "SELECT count(*) FROM incident WHERE rule_id = ? AND subject = ?" + " AND state = 'OPEN'",
                            r.id(),
                            subject),
                    b.getKey());
            engine.onEvent(AlertEvent.cleared(b.getKey(), subject).toProperties());
            assertEquals(
                    1,
                    Fixtures.count(
                            ds,
                            "SELECT count(*) FROM incident WHERE rule_id = ? AND subject = ?"
                                    + " AND state = 'RESOLVED'",
                            r.id(),
                            subject),
                    b.getKey());
        }
    }

    @Test
    void aSilenceMutesMessagesNotIncidents() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        store.createSilence(new Silence(
                null, null, "agent=muted-*", Instant.now().plusSeconds(600), "maintenance", "tester", null));
        long series = Fixtures.series(ds, m, Map.of("agent", "muted-1"));
        Fixtures.samples(ds, series, recent(), 10, 90, 50);
        engine().evaluateMetrics();
        assertEquals(1, incidents(r));
        assertEquals(0, deliveries(r, "opened"));
        assertEquals(0, deliveries(r, "resolved"), "not notified when opened: not when resolved either");
        UUID id = store.incidents(new AlertStore.IncidentFilter(null, null, "muted-1", r.id(), 10))
                .get(0)
                .id();
        assertTrue(store.timeline(id).stream().anyMatch(e -> e.type().equals("silenced")));
    }

    @Test
    void repeatsUntilAcknowledged() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule base = metricRule(m, 85, 0, 0, List.of(ch.id()));
        Rule r = store.updateRule(
                base.id(),
                new Rule(
                        null,
                        base.name(),
                        "metric",
                        true,
                        "warning",
                        m,
                        Map.of(),
                        "last",
                        0,
                        ">",
                        85.0,
                        null,
                        0,
                        0,
                        null,
                        60,
                        List.of(ch.id()),
                        false,
                        null,
                        null));
        long series = Fixtures.series(ds, m, Map.of("agent", "rep"));
        Fixtures.samples(ds, series, recent(), 10, 90);
        IncidentEngine engine = engine();
        engine.evaluateMetrics();
        engine.evaluateMetrics();
        assertEquals(0, deliveries(r, "repeat"), "not due yet");
        Fixtures.exec(
                ds, "UPDATE incident SET last_notified_at = now() - interval '61 seconds' WHERE rule_id = ?", r.id());
        engine.evaluateMetrics();
        engine.evaluateMetrics();
        assertEquals(1, deliveries(r, "repeat"));
        UUID id = store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                .get(0)
                .id();
        store.ack(id, "alice");
        Fixtures.exec(
                ds, "UPDATE incident SET last_notified_at = now() - interval '61 seconds' WHERE rule_id = ?", r.id());
        engine.evaluateMetrics();
        assertEquals(1, deliveries(r, "repeat"), "acknowledged: no more reminders");
        assertEquals("alice", store.incident(id).orElseThrow().ackedBy());
    }

    @Test
    void hugeLabelsMakeAShortSubject() throws Exception {
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of());
        Map<String, String> labels = new java.util.TreeMap<>();
        for (int i = 0; i < 30; i++) {
            labels.put("l" + i, "x".repeat(500) + i);
        }
        Fixtures.samples(ds, Fixtures.series(ds, m, labels), recent(), 10, 90);
        labels.put("l9", "y".repeat(500)); // the last label by name: differs only after the cut
        Fixtures.samples(ds, Fixtures.series(ds, m, labels), recent(), 10, 90);
        IncidentEngine.Evaluation e = engine().evaluateMetrics();
        assertEquals(2, e.opened());
        List<Incident> open = store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10));
        assertEquals(2, open.size());
        assertTrue(open.get(0).subject().length() <= IncidentEngine.MAX_SUBJECT);
        assertFalse(open.get(0).subject().equals(open.get(1).subject()));
    }

    @Test
    void disablingARuleClosesItsIncidentsQuietly() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "dis")), recent(), 10, 90);
        engine().evaluateMetrics();
        assertEquals(
                1,
                store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                        .size());
        store.updateRule(
                r.id(),
                new Rule(
                        null,
                        r.name(),
                        "metric",
                        false,
                        "warning",
                        m,
                        Map.of(),
                        "last",
                        0,
                        ">",
                        85.0,
                        null,
                        0,
                        0,
                        null,
                        0,
                        List.of(ch.id()),
                        false,
                        null,
                        null));
        assertEquals(
                0,
                store.incidents(new AlertStore.IncidentFilter("OPEN", null, null, r.id(), 10))
                        .size());
        assertEquals(0, deliveries(r, "resolved"), "no message: nobody resolved anything");
    }

    @Test
    void failedDeliveriesAreRetriedWithBackoff() throws Exception {
        StoredChannel ch = webhookChannel(null);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "retry")), recent(), 10, 90);
        engine().evaluateMetrics();
        webhook.failures.set(1);
        Dispatcher d = dispatcher();
        d.dispatchDue();
        List<AlertStore.DeliveryRow> rows = store.deliveries(null, ch.id(), 10);
        assertEquals(1, rows.size());
        assertEquals("PENDING", rows.get(0).state());
        assertEquals(1, rows.get(0).attempts());
        assertEquals("webhook answered 500", rows.get(0).lastError());
        assertTrue(rows.get(0).nextAttemptAt().isAfter(Instant.now().plusSeconds(20)), "backoff of ~30 s");
        d.dispatchDue();
        assertEquals(1, store.deliveries(null, ch.id(), 10).get(0).attempts(), "not due: not retried");
        Fixtures.exec(ds, "UPDATE alert_delivery SET next_attempt_at = now() WHERE channel_id = ?", ch.id());
        d.dispatchDue();
        assertEquals("SENT", store.deliveries(null, ch.id(), 10).get(0).state());
        assertEquals(
                1,
                webhook.calls.stream().filter(c -> c.body().contains(r.name())).count());
    }

    @Test
    void telegramTooManyRequestsPausesTheChannel() throws Exception {
        StoredChannel ch = telegramChannel(FakeTelegram.TOKEN, 600);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "tg429")), recent(), 10, 90);
        engine().evaluateMetrics();
        telegram.retryAfter = 7;
        telegram.tooManyRequests.set(1);
        Dispatcher d = dispatcher();
        d.dispatchDue();
        StoredChannel paused = store.channel(ch.id()).orElseThrow();
        assertNotNull(paused.blockedUntil());
        assertTrue(paused.blockedUntil().isAfter(Instant.now().plusSeconds(4)), "retry_after 7 s honoured");
        AlertStore.DeliveryRow row = store.deliveries(null, ch.id(), 10).get(0);
        assertEquals("PENDING", row.state());
        assertEquals(paused.blockedUntil(), row.nextAttemptAt());
        assertTrue(row.lastError().contains("429"));
        d.dispatchDue();
        assertEquals(0, telegramTexts(r.name()).size());
        Fixtures.exec(ds, "UPDATE alert_channel SET blocked_until = now() - interval '1 second' WHERE id = ?", ch.id());
        Fixtures.exec(ds, "UPDATE alert_delivery SET next_attempt_at = now() WHERE channel_id = ?", ch.id());
        d.dispatchDue();
        assertEquals(1, telegramTexts(r.name()).size());
        assertEquals("SENT", store.deliveries(null, ch.id(), 10).get(0).state());
    }

    @Test
    void theChannelRateLimitHolds() throws Exception {
        StoredChannel ch = webhookChannel(null);
        store.updateChannel(ch.id(), ch.name(), ch.settings(), ch.secrets(), 1, true);
        String m = metric();
        Rule r = metricRule(m, 85, 0, 0, List.of(ch.id()));
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "rl1")), recent(), 10, 90);
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "rl2")), recent(), 10, 90);
        engine().evaluateMetrics();
        dispatcher().dispatchDue();
        List<AlertStore.DeliveryRow> rows = store.deliveries(null, ch.id(), 10);
        assertEquals(2, rows.size());
        assertEquals(1, rows.stream().filter(x -> x.state().equals("SENT")).count());
        AlertStore.DeliveryRow waiting = rows.stream()
                .filter(x -> x.state().equals("PENDING"))
                .findFirst()
                .orElseThrow();
        assertTrue(waiting.lastError().contains("rate limit"));
        assertEquals(
                1,
                webhook.calls.stream().filter(c -> c.body().contains(r.name())).count());
    }

    @Test
    void aRejectedTokenFailsAtOnceWithoutLeakingIt() throws Exception {
        String token = "999999:WRONG-token";
        StoredChannel ch = telegramChannel(token, 600);
        String m = metric();
        metricRule(m, 85, 0, 0, List.of(ch.id()));
        Fixtures.samples(ds, Fixtures.series(ds, m, Map.of("agent", "bad")), recent(), 10, 90);
        engine().evaluateMetrics();
        dispatcher().dispatchDue();
        AlertStore.DeliveryRow row = store.deliveries(null, ch.id(), 10).get(0);
        assertEquals("FAILED", row.state());
        assertTrue(row.lastError().contains("401") && row.lastError().contains("Unauthorized"), row.lastError());
        assertFalse(row.lastError().contains("WRONG-token"));
        String stored =
                Fixtures.count(ds, "SELECT count(*) FROM alert_channel WHERE secrets::text LIKE ?", "%WRONG-token%")
                        + "";
        assertEquals("0", stored, "the token is sealed at rest");
    }

    @Test
    void testMessagesAreSentAndLogged() throws Exception {
        StoredChannel ch = telegramChannel(FakeTelegram.TOKEN, 600);
        Dispatcher.TestResult ok = dispatcher().test(ch.id());
        assertTrue(ok.ok(), String.valueOf(ok.error()));
        assertTrue(
                telegram.messages.stream().anyMatch(x -> x.path("text").asText().startsWith("[TEST]")));
        StoredChannel bad = telegramChannel("1:bad", 600);
        Dispatcher.TestResult ko = dispatcher().test(bad.id());
        assertFalse(ko.ok());
        assertEquals("FAILED", store.deliveries(null, bad.id(), 10).get(0).state());
    }
}
