package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.testing.MutableClock;

class SyncIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();

    private static String applied(long proxy, long bundles) {
        return "{\"version\":\"0.1.0\",\"hostname\":\"h.lan\",\"address\":\"127.0.0.1\",\"applied\":{\"proxy\":{\"revision\":"
                + proxy + ",\"error\":null},\"bundles\":{\"revision\":" + bundles + "}},\"status\":{\"bundles\":[]}}";
    }

    @Test
    void revisionBumpsOnlyWhenContentChangesAndAnswerCarriesNewerSections() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            AtomicReference<JsonNode> content = new AtomicReference<>(Json.parse("{\"sites\":[\"a\"]}"));
            core.contribute("proxy", agent -> content.get(), 0, 1);
            Enrolment.Enrolled e = core.enroll("rev-" + System.nanoTime());
            core.idle();
            assertEquals(1L, core.desired.revisions(e.agentId()).get("proxy"));

            core.desired.recompute("proxy");
            assertEquals(1L, core.desired.revisions(e.agentId()).get("proxy"), "same content: same revision");
            content.set(Json.parse("{\"sites\":[\"a\",\"b\"]}"));
            core.desired.recompute("proxy");
            assertEquals(2L, core.desired.revisions(e.agentId()).get("proxy"));

            SyncService.Answer a = core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(1, 0)));
            assertEquals(2L, a.sections().get("proxy").revision());
            assertEquals(content.get(), a.sections().get("proxy").body());
            assertEquals(1L, a.sections().get("bundles").revision());
            assertEquals(0, a.sections().get("bundles").body().get("bundles").size());
            assertTrue(core.sync
                    .syncNow(e.agentId(), e.apiKey(), Json.parse(applied(2, 1)))
                    .isEmpty());
            assertEquals(
                    dev.fleetgate.api.DesiredStateService.SectionState.Phase.APPLIED,
                    core.desired.state(e.agentId()).get("proxy").phase());
        }
    }

    @Test
    void failedProxyApplyPostsOneAlertAndALaterRevisionClearsIt() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            List<org.osgi.service.event.Event> alerts = new java.util.concurrent.CopyOnWriteArrayList<>();
            core.sync.setEventAdmin(new org.osgi.service.event.EventAdmin() {
                @Override
                public void postEvent(org.osgi.service.event.Event event) {
                    if (event.getTopic().startsWith(dev.fleetgate.api.alerts.AlertTopics.PREFIX)) {
                        alerts.add(event);
                    }
                }

                @Override
                public void sendEvent(org.osgi.service.event.Event event) {
                    postEvent(event);
                }
            });
            Enrolment.Enrolled e = core.enroll("apply-" + System.nanoTime());
            String failed = "{\"applied\":{\"proxy\":{\"revision\":2,\"error\":\"nginx: [emerg] bad\"}}}";
            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(1, 0)));
            assertEquals(0, alerts.size(), "applied: no alert");
            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(failed));
            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(failed));
            assertEquals(1, alerts.size(), "one alert while the failure lasts: " + alerts);
            org.osgi.service.event.Event fired = alerts.get(0);
            assertEquals(dev.fleetgate.api.alerts.AlertTopics.FIRING, fired.getTopic());
            assertEquals("proxy.apply.failed", fired.getProperty("kind"));
            assertEquals(e.agentId(), fired.getProperty("subject"));
            assertTrue(((String) fired.getProperty("message")).contains("nginx: [emerg] bad"), fired.toString());

            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(3, 0)));
            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(3, 0)));
            assertEquals(2, alerts.size(), alerts.toString());
            assertEquals(
                    dev.fleetgate.api.alerts.AlertTopics.CLEARED, alerts.get(1).getTopic());
            assertEquals(e.agentId(), alerts.get(1).getProperty("subject"));
        }
    }

    @Test
    void sealedValuesAreStoredSealedAndSentOpen() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            String sealed = Core.TEST_BOX.encrypt("s3cret-value");
            core.contribute(
                    "containers",
                    agent -> Json.MAPPER
                            .createObjectNode()
                            .set(
                                    "env",
                                    Json.MAPPER
                                            .createObjectNode()
                                            .put("MODE", "prod")
                                            .set(
                                                    "PW",
                                                    Json.MAPPER
                                                            .createObjectNode()
                                                            .put(
                                                                    dev.fleetgate.api.DesiredStateContributor.SEALED,
                                                                    sealed))),
                    0,
                    3);
            Enrolment.Enrolled e = core.enroll("sealed-" + System.nanoTime());
            core.idle();
            try (Connection c = db.dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT body::text FROM desired_state WHERE section = 'containers'"
                            + " AND agent_id = '" + e.agentId() + "'")) {
                assertTrue(rs.next());
                assertFalse(rs.getString(1).contains("s3cret"), "the database holds the sealed value only");
                assertTrue(rs.getString(1).contains(sealed));
            }
            SyncService.Answer a = core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(0, 0)));
            assertEquals(
                    "s3cret-value",
                    a.sections().get("containers").body().at("/env/PW").asText());
            assertEquals(
                    "prod",
                    a.sections().get("containers").body().at("/env/MODE").asText());
        }
    }

    @Test
    void sealedValuesOfATaskPayloadAreStoredSealedAndDeliveredOpen() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            String sealed = Core.TEST_BOX.encrypt("task-s3cret");
            Enrolment.Enrolled e = core.enroll("sealed-task-" + System.nanoTime());
            JsonNode payload = Json.parse("{\"url\":\"https://example.test/\",\"headers\":{\"Authorization\":{\""
                    + dev.fleetgate.api.DesiredStateContributor.SEALED + "\":\"" + sealed + "\"}}}");
            String taskId =
                    core.tasks.submit(e.agentId(), "http.probe", payload, null).id();
            try (Connection c = db.dataSource().getConnection();
                    Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT payload::text FROM tasks WHERE id = '" + taskId + "'")) {
                assertTrue(rs.next());
                assertFalse(rs.getString(1).contains("task-s3cret"), "the task table holds the sealed value only");
            }
            assertFalse(
                    core.tasks.get(taskId).orElseThrow().payload().toString().contains("task-s3cret"),
                    "reads of the task (GET /tasks/{id}) show the sealed value only");
            SyncService.Answer a = core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(applied(0, 0)));
            TaskQueue.Delivery d = a.tasks().stream()
                    .filter(t -> t.id().equals(taskId))
                    .findFirst()
                    .orElseThrow();
            assertEquals("task-s3cret", d.payload().at("/headers/Authorization").asText());
            assertEquals("https://example.test/", d.payload().path("url").asText());
        }
    }

    @Test
    void keyAndAgentAreChecked() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = core.enroll("auth-" + System.nanoTime());
            assertEquals(
                    401,
                    assertThrows(ApiException.class, () -> core.sync.syncNow(e.agentId(), "fga_nope", null))
                            .status());
            // An unknown agent answers like a wrong key, so that strangers cannot probe agent ids.
            assertEquals(
                    401,
                    assertThrows(
                                    ApiException.class,
                                    () -> core.sync.syncNow("00000000-0000-0000-0000-000000000002", e.apiKey(), null))
                            .status());
        }
    }

    @Test
    void syncThatChangesNothingWritesNothing() throws Exception {
        StatementLog log = new StatementLog();
        try (Core core = new Core(log.wrap(db.dataSource()), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = core.enroll("quiet-" + System.nanoTime());
            core.idle();
            JsonNode report = Json.parse(applied(0, 1));
            core.sync.syncNow(e.agentId(), e.apiKey(), report); // first sync records version, status...
            assertEquals(1, core.registry.flushLastSeen(), "coming ONLINE is a transition: stored once");
            String before = rowVersions(e.agentId());

            log.statements.clear();
            // 500 syncs, 1 s apart (the agent stays ONLINE), with the periodic work of a core beside
            // them: liveness handover to other cores, last-seen flush, status look.
            for (int i = 0; i < 500; i++) {
                clock.advance(java.time.Duration.ofSeconds(1));
                assertTrue(core.sync.syncNow(e.agentId(), e.apiKey(), report).isEmpty());
                if (i % 10 == 9) {
                    core.registry.handover(true);
                    assertEquals(0, core.registry.flushLastSeen(), "no transition, nothing to store");
                    assertEquals(
                            dev.fleetgate.api.AgentInfo.Status.ONLINE,
                            core.registry.get(e.agentId()).orElseThrow().status());
                }
            }
            assertEquals(List.of(), log.writes(), "only SELECTs (and NOTIFY) on syncs that change nothing");
            assertTrue(log.statements.stream().anyMatch(s -> s.contains("pg_notify")), "liveness went out by NOTIFY");
            assertEquals(before, rowVersions(e.agentId()), "no row of the agent got a new version");
            log.statements.clear();
            for (int i = 0; i < 50; i++) {
                assertTrue(core.sync.syncNow(e.agentId(), e.apiKey(), report).isEmpty());
            }
            assertEquals(List.of(), log.statements, "without open tasks a no-change sync does not touch the database");

            // Going OFFLINE and coming back are transitions: one row write each, batched.
            clock.advance(Settings.defaults().offlineAfter());
            assertEquals(
                    dev.fleetgate.api.AgentInfo.Status.OFFLINE,
                    core.registry.get(e.agentId()).orElseThrow().status());
            core.registry.wentOffline(e.agentId());
            assertEquals(1, core.registry.flushLastSeen(), "the last sync before going OFFLINE is stored");
            core.sync.syncNow(e.agentId(), e.apiKey(), report);
            assertEquals(1, core.registry.flushLastSeen(), "last-seen goes out in one batched statement");
        }
    }

    /** xmin of every row that belongs to the agent: changes whenever a row is written. */
    private static String rowVersions(String agentId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT string_agg(t || ':' || x, ',' ORDER BY t, x) FROM ("
                        + " SELECT 'agents' t, xmin::text x FROM agents WHERE id = '" + agentId + "'"
                        + " UNION ALL SELECT 'applied', xmin::text FROM applied_state WHERE agent_id = '" + agentId
                        + "'"
                        + " UNION ALL SELECT 'desired', xmin::text FROM desired_state WHERE agent_id = '" + agentId
                        + "'"
                        + " UNION ALL SELECT 'bundles', xmin::text FROM agent_bundle_status WHERE agent_id = '"
                        + agentId
                        + "') v")) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void aRestartedAgentGetsItsUnfinishedTasksAgainAndItsStalePollIsReleased() throws Exception {
        try (Core core = new Core(db.dataSource(), new Settings(20, 3, 60, 600, 7, 50), clock)) {
            Enrolment.Enrolled e = core.enroll("restart-" + System.nanoTime());
            core.idle();
            String before = "{\"session\":\"one\"," + applied(0, 1).substring(1);
            JsonNode first = Json.parse(before);
            core.sync.syncNow(e.agentId(), e.apiKey(), first);
            CompletableFuture<SyncService.Answer> stale = new CompletableFuture<>();
            core.sync.sync(e.agentId(), e.apiKey(), first, 30, stale::complete);
            String taskId = core.tasks.submit(e.agentId(), "probe", null, null).id();
            assertEquals(taskId, stale.get(5, TimeUnit.SECONDS).tasks().get(0).id()); // lost with the process

            // Same process again: nothing is resent before the redelivery delay.
            assertTrue(core.sync.syncNow(e.agentId(), e.apiKey(), first).tasks().isEmpty());
            CompletableFuture<SyncService.Answer> stalePoll = new CompletableFuture<>();
            core.sync.sync(e.agentId(), e.apiKey(), first, 30, stalePoll::complete);
            assertFalse(stalePoll.isDone());

            JsonNode restarted =
                    Json.parse("{\"session\":\"two\"," + applied(0, 1).substring(1));
            SyncService.Answer a = core.sync.syncNow(e.agentId(), e.apiKey(), restarted);
            assertEquals(
                    List.of(taskId),
                    a.tasks().stream().map(TaskQueue.Delivery::id).toList());
            assertTrue(stalePoll.get(5, TimeUnit.SECONDS).isEmpty(), "the previous process's poll is released");
            assertEquals(0, core.sync.heldCount());
        }
    }

    @Test
    void aFleetWideChangeAnswersEveryHeldSyncWithItsOwnBodyReadInBatches() throws Exception {
        StatementLog log = new StatementLog();
        try (Core core = new Core(log.wrap(db.dataSource()), Settings.defaults(), clock)) {
            AtomicReference<String> version = new AtomicReference<>("one");
            core.contribute(
                    "proxy",
                    agent -> Json.MAPPER
                            .createObjectNode()
                            .put("agent", agent.id())
                            .put("v", version.get()),
                    0,
                    1);
            List<Enrolment.Enrolled> agents = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                agents.add(core.enroll("fan-" + i + "-" + System.nanoTime()));
            }
            core.idle();
            Map<String, CompletableFuture<SyncService.Answer>> held = new java.util.HashMap<>();
            for (Enrolment.Enrolled e : agents) {
                Map<String, Long> rev = core.desired.revisions(e.agentId());
                CompletableFuture<SyncService.Answer> f = new CompletableFuture<>();
                core.sync.sync(
                        e.agentId(),
                        e.apiKey(),
                        Json.parse(applied(rev.get("proxy"), rev.get("bundles"))),
                        30,
                        f::complete);
                held.put(e.agentId(), f);
            }
            assertEquals(40, core.sync.heldCount());
            log.statements.clear();

            version.set("two");
            core.desired.recompute("proxy");

            for (Map.Entry<String, CompletableFuture<SyncService.Answer>> h : held.entrySet()) {
                JsonNode body = h.getValue()
                        .get(10, TimeUnit.SECONDS)
                        .sections()
                        .get("proxy")
                        .body();
                assertEquals(h.getKey(), body.get("agent").asText(), "each agent gets its own body");
                assertEquals("two", body.get("v").asText());
            }
            long oneByOne = log.statements.stream()
                    .filter(q -> q.contains("FROM desired_state WHERE agent_id = ? AND section = ANY"))
                    .count();
            assertTrue(oneByOne < 20, "bodies are read in batches, not once per agent: " + oneByOne + " single reads");
        }
    }

    @Test
    void heldSyncWakesOnANewTaskAndTimesOutEmpty() throws Exception {
        try (Core core = new Core(db.dataSource(), new Settings(2, 3, 60, 600, 7, 50), clock)) {
            Enrolment.Enrolled e = core.enroll("poll-" + System.nanoTime());
            core.idle();
            JsonNode report = Json.parse(applied(0, 1));

            CompletableFuture<SyncService.Answer> held = new CompletableFuture<>();
            core.sync.sync(e.agentId(), e.apiKey(), report, 30, held::complete);
            assertFalse(held.isDone());
            assertEquals(1, core.sync.heldCount());
            String taskId = core.tasks.submit(e.agentId(), "probe", null, null).id();
            SyncService.Answer a = held.get(5, TimeUnit.SECONDS);
            assertEquals(taskId, a.tasks().get(0).id());

            CompletableFuture<SyncService.Answer> idle = new CompletableFuture<>();
            core.sync.sync(e.agentId(), e.apiKey(), report, 30, idle::complete); // held min(30, 2) s
            assertTrue(idle.get(10, TimeUnit.SECONDS).isEmpty());
        }
    }

    @Test
    void notifyFromOneCoreWakesAWaiterOnAnother() throws Exception {
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock);
                Core two = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = one.enroll("multi-" + System.nanoTime());
            one.idle();
            JsonNode report = Json.parse(applied(0, 1));
            // the agent's long-poll lands on core two (which learns the agent on first use)
            CompletableFuture<SyncService.Answer> held = new CompletableFuture<>();
            two.sync.sync(e.agentId(), e.apiKey(), report, 20, held::complete);
            assertFalse(held.isDone());
            // an operator's change lands on core one
            String taskId = one.tasks.submit(e.agentId(), "probe", null, null).id();
            SyncService.Answer a = held.get(5, TimeUnit.SECONDS);
            assertNotNull(a);
            assertEquals(taskId, a.tasks().get(0).id());
        }
    }

    @Test
    void aTaskSubmittedOnAnotherCoreOrBeforeAStartIsDeliveredByANoWaitSync() throws Exception {
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock);
                Core two = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = one.enroll("hint-" + System.nanoTime());
            one.idle();
            JsonNode report = Json.parse(applied(0, 1));
            two.sync.syncNow(e.agentId(), e.apiKey(), report);
            assertTrue(two.sync.syncNow(e.agentId(), e.apiKey(), report).tasks().isEmpty());
            String taskId = one.tasks.submit(e.agentId(), "probe", null, null).id();
            long deadline = System.nanoTime() + 10_000_000_000L;
            List<TaskQueue.Delivery> got = List.of();
            while (got.isEmpty() && System.nanoTime() < deadline) {
                got = two.sync.syncNow(e.agentId(), e.apiKey(), report).tasks(); // core two learns it by NOTIFY
                Thread.sleep(10);
            }
            assertEquals(
                    List.of(taskId), got.stream().map(TaskQueue.Delivery::id).toList());

            String second = one.tasks.submit(e.agentId(), "probe", null, null).id();
            try (Core three = new Core(db.dataSource(), Settings.defaults(), clock)) { // started after the submit
                assertEquals(
                        List.of(second),
                        three.sync.syncNow(e.agentId(), e.apiKey(), report).tasks().stream()
                                .map(TaskQueue.Delivery::id)
                                .toList());
            }
        }
    }

    @Test
    void desiredStateChangeOnOneCoreReachesTheAgentHeldOnAnother() throws Exception {
        AtomicReference<JsonNode> content = new AtomicReference<>(Json.parse("{\"v\":1}"));
        try (Core one = new Core(db.dataSource(), Settings.defaults(), clock);
                Core two = new Core(db.dataSource(), Settings.defaults(), clock)) {
            one.contribute("dns", agent -> content.get(), 0, 7);
            Enrolment.Enrolled e = one.enroll("multi-ds-" + System.nanoTime());
            one.idle();
            long rev = one.desired.revisions(e.agentId()).get("dns");
            JsonNode report =
                    Json.parse("{\"applied\":{\"dns\":{\"revision\":" + rev + "},\"bundles\":{\"revision\":1}}}");
            CompletableFuture<SyncService.Answer> held = new CompletableFuture<>();
            two.sync.sync(e.agentId(), e.apiKey(), report, 20, held::complete);
            assertFalse(held.isDone());
            content.set(Json.parse("{\"v\":2}"));
            one.desired.changed("dns");
            SyncService.Answer a = held.get(5, TimeUnit.SECONDS);
            assertEquals(rev + 1, a.sections().get("dns").revision());
        }
    }
}
