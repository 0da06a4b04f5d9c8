package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.monitors.rest.MonitorJson;
import dev.fleetgate.persistence.testing.TestDatabase;

/** CRUD through the service on a real PostgreSQL: agents checked, the documented status shape (docs/openapi.yaml). */
class MonitorServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static MonitorStore store;
    private static MonitorService service;
    private static MonitorRunner runner;
    private static final MonitorRunnerIT.Events EVENTS = new MonitorRunnerIT.Events();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        MonitorStoreIT.migrate(db);
        store = new MonitorStore(db.dataSource());
        MonitorRunnerIT.Agents agents = new MonitorRunnerIT.Agents();
        agents.status.put("a1", AgentInfo.Status.ONLINE);
        agents.status.put("a2", AgentInfo.Status.OFFLINE);
        runner = new MonitorRunner(
                store, new MonitorRunnerIT.Tasks(), agents, EVENTS, Clock.systemUTC(), Duration.ofSeconds(30));
        service = new MonitorService(store, agents, runner, Testing.BOX);
    }

    @AfterAll
    static void stop() {
        runner.close();
        db.close();
    }

    private static JsonNode body(String name, String... agents) throws Exception {
        return JSON.readTree("{\"name\":\"" + name + "\",\"type\":\"http\",\"target\":\"http://127.0.0.1:1/\","
                + "\"expect\":{\"statuses\":[200]},\"agentIds\":" + JSON.writeValueAsString(agents) + "}");
    }

    @Test
    void unknownAgentsAreFieldErrorsAndNamesBecomeIds() throws Exception {
        ApiException e = assertThrows(ApiException.class, () -> service.create(body("svc-bad", "a1", "nope")));
        assertEquals(400, e.status());
        assertEquals("agentIds[1]", e.errors().get(0).field());
        ApiException both = assertThrows(
                ApiException.class,
                () -> service.create(JSON.readTree(
                        "{\"name\":\"x\"," + "\"type\":\"http\",\"target\":\"ftp://x\",\"agentIds\":[\"nope\"]}")));
        assertEquals(
                List.of("target", "agentIds[0]"),
                both.errors().stream().map(f -> f.field()).toList());
        StoredMonitor m = service.create(body("svc-names", "name-a1", "a1", "a2"));
        assertEquals(List.of("a1", "a2"), m.agentIds());
    }

    @Test
    void aLowerConfiguredMinimumStoresShorterIntervals() throws Exception {
        MonitorService fast = MonitorService.withMinInterval(
                store, Testing.agents("a1"), runner, Testing.BOX, MonitorService.minInterval(1));
        MonitorDraft draft = new MonitorDraft(
                "svc-fast",
                "http",
                "http://127.0.0.1:1/",
                1,
                List.of("a1"),
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        ApiException refused = assertThrows(ApiException.class, () -> service.create(draft));
        assertEquals(
                List.of("intervalSeconds"),
                refused.errors().stream().map(f -> f.field()).toList());
        assertEquals(
                "must be an integer from 10 to 86400", refused.errors().get(0).message());
        assertEquals(1, fast.create(draft).intervalSeconds(), "the table allows 1 s since V5");
    }

    @Test
    void statusHasTheContractShape() throws Exception {
        StoredMonitor m = service.create(body("svc-status", "a1", "a2"));
        store.record(
                m.id(),
                new ProbeResult(
                        "a1",
                        Instant.now(),
                        true,
                        200,
                        7,
                        null,
                        null,
                        Instant.parse("2027-03-01T00:00:00Z"),
                        JSON.createObjectNode().put("ok", true)),
                Map.of("a1", true));
        assertTrue(
                MonitorJson.status(service.status(m.id()))
                        .get("uptime")
                        .get("30d")
                        .isNull(),
                "not rolled up yet");
        store.rollup(Instant.now(), 3);
        ObjectNode s = MonitorJson.status(service.status(m.id()));
        assertEquals("UP", s.get("state").asText());
        assertEquals(100.0, s.get("uptime").get("24h").asDouble());
        assertEquals(100.0, s.get("uptime").get("7d").asDouble());
        assertEquals(100.0, s.get("uptime").get("30d").asDouble());
        JsonNode a1 = s.get("agents").get(0);
        assertEquals("a1", a1.get("agentId").asText());
        assertTrue(a1.get("ok").asBoolean());
        assertEquals(200, a1.get("status").asInt());
        assertEquals(7, a1.get("latencyMs").asInt());
        assertTrue(a1.get("errorKind").isNull());
        assertTrue(a1.get("error").isNull());
        assertEquals("2027-03-01T00:00:00Z", a1.get("tlsExpiresAt").asText());
        assertTrue(a1.has("checkedAt"));
        JsonNode a2 = s.get("agents").get(1);
        assertEquals("a2", a2.get("agentId").asText());
        assertTrue(a2.get("ok").isNull(), "no result yet");
        assertTrue(!a2.get("online").asBoolean());
    }

    @Test
    void headerValuesAreSealedAtRestWriteOnlyAndKeptOnUpdate() throws Exception {
        ObjectNode in = (ObjectNode) body("svc-headers", "a1");
        in.putObject("headers").put("Authorization", "Bearer hdr-s3cret").put("Accept", "text/html");
        StoredMonitor m = service.create(in);
        ObjectNode read = MonitorJson.monitor(m);
        assertEquals(2, read.get("headers").size(), read.toString());
        read.get("headers").forEach(v -> assertEquals("{\"set\":true}", v.toString()));
        assertFalse(read.toString().contains("hdr-s3cret"), read.toString());
        try (java.sql.Connection c = db.dataSource().getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs =
                        st.executeQuery("SELECT options::text FROM monitor WHERE id = '" + m.id() + "'")) {
            assertTrue(rs.next());
            assertFalse(rs.getString(1).contains("hdr-s3cret"), "stored sealed: " + rs.getString(1));
        }
        // the probe task carries it sealed; the platform opens it in the sync answer only
        JsonNode sealed = MonitorRunner.payload(store.get(m.id()).orElseThrow()).at("/headers/Authorization");
        assertEquals(
                "Bearer hdr-s3cret", Testing.BOX.decrypt(sealed.path("$sealed").asText()));

        // the read shape given back keeps the value; a header left out is removed; a new value replaces it
        ObjectNode update = (ObjectNode) body("svc-headers", "a1");
        update.set("headers", read.get("headers").deepCopy());
        ((ObjectNode) update.get("headers")).remove("Accept");
        StoredMonitor kept = service.update(m.id(), update);
        assertEquals("[Authorization]", iterate(kept.options().get("headers").fieldNames()));
        assertEquals(
                "Bearer hdr-s3cret",
                Testing.BOX.decrypt(
                        kept.options().at("/headers/Authorization/$sealed").asText()));
        ((ObjectNode) update.get("headers")).put("X-New", "v");
        ((ObjectNode) update.get("headers")).putObject("X-Unknown").put("set", true);
        ApiException e = assertThrows(ApiException.class, () -> service.update(m.id(), update));
        assertEquals("headers.X-Unknown", e.errors().get(0).field());
    }

    @Test
    void plaintextHeaderValuesOfOlderMonitorsAreSealedAtActivation() throws Exception {
        ObjectNode in = (ObjectNode) body("svc-old-headers", "a1");
        in.putObject("headers").put("X-Api-Key", "old-plain-key");
        StoredMonitor old = store.create(MonitorInput.parse(in)); // as stored before header values were sealed
        assertEquals("old-plain-key", old.options().at("/headers/X-Api-Key").asText());
        new MonitorService(store, new MonitorRunnerIT.Agents(), runner, Testing.BOX);
        JsonNode sealed = store.get(old.id()).orElseThrow().options().at("/headers/X-Api-Key/$sealed");
        assertEquals("old-plain-key", Testing.BOX.decrypt(sealed.asText()));
        assertEquals(old.state(), store.get(old.id()).orElseThrow().state(), "nothing else changes");
    }

    private static String iterate(java.util.Iterator<String> names) {
        List<String> out = new java.util.ArrayList<>();
        names.forEachRemaining(out::add);
        return out.toString();
    }

    @Test
    void deletingADownMonitorClearsItsAlert() throws Exception {
        StoredMonitor m = service.create(body("svc-down", "a1"));
        for (int i = 0; i < 2; i++) {
            store.record(
                    m.id(),
                    new ProbeResult("a1", Instant.now(), false, null, null, "connect", "refused", null, null),
                    Map.of("a1", true));
        }
        int before = EVENTS.posted.size();
        service.delete(m.id());
        assertEquals(before + 1, EVENTS.posted.size());
        assertEquals(AlertTopics.CLEARED, EVENTS.posted.get(before).getTopic());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> service.delete(m.id())).status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> service.status(UUID.randomUUID()))
                        .status());
    }
}
