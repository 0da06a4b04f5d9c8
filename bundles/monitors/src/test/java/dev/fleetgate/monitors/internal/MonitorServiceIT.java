package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
        service = new MonitorService(store, agents, runner);
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
