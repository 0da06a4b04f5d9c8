package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Uptime monitors end to end, with real processes: the core schedules http.probe tasks, the agent
 * (probe bundle from its distribution) checks a local HTTP server switched between 200 and 500,
 * the monitor goes DOWN after its confirmations, one incident opens through an event rule on
 * {@code monitor.down}, and it resolves when the server answers 200 again.
 * Needs PostgreSQL and nginx with the lua modules (the agent's proxy).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorsE2EIT {
    private static final int PORTS = 20610; // http, ssh, rmi registry, rmi server, https; agent proxy +10..+12

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private HttpServer target;
    private final AtomicInteger status = new AtomicInteger(200);

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath()).resolve("monitors-" + System.currentTimeMillis());
        Files.createDirectories(work);
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        target.start();
        db = TestDatabase.create();
        core = CoreProcess.install(work, PORTS, db, Map.of());
        core.start();
        agent = new AgentProcess(work).proxyPorts(PORTS + 10, PORTS + 11, PORTS + 12);
    }

    @AfterAll
    void stop() {
        Processes.stopAll(agent, core, db);
        if (target != null) {
            target.stop(0);
        }
    }

    @Test
    void downAfterConfirmationsOpensOneIncidentAndUpResolvesIt() throws Exception {
        Api admin = core.admin();
        String token = admin.post("/api/v1/agents/enrollment-tokens", Map.of()).expect(201).body().get("token").asText();
        agent.start(core.url(), "monitor-agent", token);
        String agentId = agent.awaitOnline(admin, "monitor-agent", Duration.ofSeconds(90));
        String ruleId = builtInRule(admin, "monitor.down");

        JsonNode invalid = admin.post("/api/v1/monitors", Map.of("name", "x", "type", "http", "target", "ftp://x",
                "intervalSeconds", 5, "agentIds", List.of("no-such-agent"))).expect(400).body();
        assertEquals(3, invalid.get("errors").size(), invalid.toString());

        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/health";
        String id = admin.post("/api/v1/monitors", Map.of("name", "e2e target", "type", "http", "target", url,
                "intervalSeconds", 10, "agentIds", List.of(agentId), "confirmations", 2,
                "expect", Map.of("statuses", List.of(200)))).expect(201).body().get("id").asText();
        awaitState(admin, id, "UP", Duration.ofSeconds(60));

        status.set(500);
        long failing = System.currentTimeMillis();
        JsonNode down = awaitState(admin, id, "DOWN", Duration.ofSeconds(90));
        System.out.println("[monitors-e2e] failure -> DOWN at a 10 s interval, 2 confirmations: "
                + (System.currentTimeMillis() - failing) + " ms");
        JsonNode a = down.get("agents").get(0);
        assertEquals(agentId, a.get("agentId").asText());
        assertEquals(500, a.get("status").asInt(), down.toString());
        assertEquals("status", a.get("errorKind").asText(), down.toString());
        Processes.await("one open incident", Duration.ofSeconds(30), () -> admin
                .get("/api/v1/incidents?state=open&ruleId=" + ruleId).expect(200).body().size() == 1);
        assertEquals(id, admin.get("/api/v1/incidents?state=open&ruleId=" + ruleId).body().get(0).get("subject")
                .asText());

        status.set(200);
        awaitState(admin, id, "UP", Duration.ofSeconds(60));
        Processes.await("the incident resolved", Duration.ofSeconds(30), () -> admin
                .get("/api/v1/incidents?state=open&ruleId=" + ruleId).expect(200).body().isEmpty());
        assertEquals(1, admin.get("/api/v1/incidents?ruleId=" + ruleId).body().size(), "one incident, not one per check");
        JsonNode results = admin.get("/api/v1/monitors/" + id + "/results?limit=1000").expect(200).body();
        assertTrue(results.size() >= 4, results.toString());
        double uptime = admin.get("/api/v1/monitors/" + id + "/status").body().get("uptime").get("24h").asDouble();
        assertTrue(uptime > 0 && uptime < 100, "uptime " + uptime);

        admin.delete("/api/v1/monitors/" + id).expect(204);
        assertEquals(404, admin.get("/api/v1/monitors/" + id).status());
    }

    private static JsonNode awaitState(Api admin, String id, String state, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        Processes.await("monitor " + state, timeout, () -> {
            last[0] = admin.get("/api/v1/monitors/" + id + "/status").expect(200).body();
            return state.equals(last[0].get("state").asText());
        });
        return last[0];
    }

    /** The id of the built-in event rule for a kind (fails when there is none). */
    private static String builtInRule(Api admin, String kind) {
        for (JsonNode rule : admin.get("/api/v1/alerts/rules").expect(200).body()) {
            if (kind.equals(rule.path("eventKind").asText()) && rule.path("builtin").asBoolean()) {
                return rule.get("id").asText();
            }
        }
        throw new AssertionError("no built-in rule opens incidents for " + kind);
    }
}
