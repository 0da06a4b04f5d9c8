package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * The spine end to end, with real processes: the core distribution and the agent distribution
 * started from their tarballs, a real PostgreSQL. The steps build on each other, in order.
 * Keeps a core and an agent of its own (not the shared {@link Fleet}): it stops and restarts the core, freezes and
 * kills the agent, and measures the core's cold start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpineE2EIT {
    private static final int PORTS = 18480;

    /** Kept under target/ so that logs of a failed run can be read. */
    private Path work;

    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private Api admin;
    private String agentId;
    private String enrolToken;

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("spine-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        // A long interval: a task that arrives fast can only have come through the long-poll wake-up.
        core = CoreProcess.install(work, PORTS, db, Map.of("syncIntervalSeconds", "20"));
        Duration cold = core.start();
        System.out.println("core cold start to health UP: " + cold.toMillis() + " ms");
        admin = core.admin();
        agent = new AgentProcess(work).proxyPorts(PORTS + 10, PORTS + 11, PORTS + 12);
    }

    @AfterAll
    void stop() {
        Processes.stopAll(agent, core, db);
    }

    @Test
    @Order(1)
    void agentEnrolsAndComesOnline() throws Exception {
        enrolToken = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", "e2e"))
                .expect(201)
                .body()
                .get("token")
                .asText();
        agent.start(core.url(), "e2e-agent", enrolToken);
        agentId = agent.awaitOnline(admin, "e2e-agent", Duration.ofSeconds(60));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(work.resolve("agent-state/agent.json"))),
                "the API key file is private");
    }

    @Test
    @Order(2)
    void usedOrExpiredEnrolmentTokenIsRefused() throws Exception {
        Api anonymous = core.api();
        Map<String, String> again = Map.of("token", enrolToken, "name", "other", "hostname", "h");
        assertEquals(401, anonymous.post("/api/v1/agents/enroll", again).status());
        String expired = admin.post("/api/v1/agents/enrollment-tokens", Map.of())
                .expect(201)
                .body()
                .get("token")
                .asText();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "UPDATE enrollment_tokens SET expires_at = now() - interval '1 minute' WHERE used_at IS NULL")) {
            assertEquals(1, ps.executeUpdate());
        }
        assertEquals(
                401,
                anonymous
                        .post("/api/v1/agents/enroll", Map.of("token", expired, "name", "late", "hostname", "h"))
                        .status());
    }

    @Test
    @Order(3)
    void tasksReachTheAgentThroughLongPollAndResultsAreStored() {
        for (int i = 0; i < 3; i++) {
            JsonNode task = admin.post(
                            "/api/v1/agents/" + agentId + "/tasks", Map.of("type", "echo", "payload", Map.of("n", i)))
                    .expect(201)
                    .body();
            String id = task.get("id").asText();
            // Without the wake-up the agent would only see it at its next sync, up to 20 s later.
            Processes.await(
                    "echo task " + id + " SUCCEEDED well before the next periodic sync",
                    Duration.ofSeconds(5),
                    () -> "SUCCEEDED"
                            .equals(admin.get("/api/v1/tasks/" + id)
                                    .body()
                                    .path("status")
                                    .asText()));
            JsonNode done = admin.get("/api/v1/tasks/" + id).expect(200).body();
            assertEquals(i, done.path("result").path("echo").path("n").asInt(-1), done.toString());
        }
    }

    @Test
    @Order(4)
    void uploadedBundleIsDeployedWithoutRestartAndProbeTasksRun() throws Exception {
        long pid = agent.jvm().pid();
        // The probe is part of the agent distribution; the sample plugin is what gets deployed remotely.
        Path plugin =
                Path.of(System.getProperty("fleetgate.dist", "target/dist")).resolve("sample-plugin.jar");
        JsonNode bundle = admin.upload("/api/v1/bundles", plugin).expect(201).body();
        assertEquals("dev.fleetgate.agent.sample", bundle.get("symbolicName").asText());
        admin.post("/api/v1/bundles/" + bundle.get("id").asText() + "/deployments", Map.of())
                .expect(200);
        // A status-only change (the bundle reached ACTIVE) may travel with the next long-poll.
        JsonNode[] last = new JsonNode[1];
        Processes.await("sample plugin ACTIVE on the agent", Duration.ofSeconds(60), () -> {
            last[0] = admin.get("/api/v1/agents/" + agentId + "/bundles").body();
            for (JsonNode b : last[0]) {
                if ("dev.fleetgate.agent.sample".equals(b.path("symbolicName").asText())) {
                    return b.path("managed").asBoolean()
                            && "ACTIVE".equals(b.path("state").asText());
                }
            }
            return false;
        });
        JsonNode task = admin.post(
                        "/api/v1/agents/" + agentId + "/tasks",
                        Map.of("type", "http.probe", "payload", Map.of("url", core.url() + "/api/v1/health")))
                .expect(201)
                .body();
        String id = task.get("id").asText();
        Processes.await("http.probe task done", Duration.ofSeconds(30), () -> admin.get("/api/v1/tasks/" + id)
                .body()
                .path("status")
                .asText()
                .matches("SUCCEEDED|FAILED"));
        JsonNode done = admin.get("/api/v1/tasks/" + id).body();
        assertEquals("SUCCEEDED", done.path("status").asText(), done.toString());
        assertEquals(200, done.path("result").path("status").asInt(), done.toString());
        assertEquals(pid, agent.jvm().pid(), "the agent was not restarted");
        assertTrue(agent.isAlive());
    }

    @Test
    @Order(5)
    void pendingTaskSurvivesACoreRestart() throws Exception {
        agent.signal("STOP");
        String id;
        try {
            id = admin.post(
                            "/api/v1/agents/" + agentId + "/tasks",
                            Map.of("type", "echo", "payload", Map.of("across", "restart")))
                    .expect(201)
                    .body()
                    .get("id")
                    .asText();
            core.stop();
            // From now on a short interval, so that the offline test below is quick.
            core.configureAgents(Map.of("syncIntervalSeconds", "2"));
            core.start();
        } finally {
            agent.signal("CONT");
        }
        admin = core.admin();
        Processes.await("the task queued before the restart SUCCEEDED", Duration.ofSeconds(60), () -> "SUCCEEDED"
                .equals(admin.get("/api/v1/tasks/" + id).body().path("status").asText()));
        Processes.await("agent ONLINE again", Duration.ofSeconds(30), () -> "ONLINE"
                .equals(admin.get("/api/v1/agents/" + agentId)
                        .body()
                        .path("status")
                        .asText()));
    }

    @Test
    @Order(6)
    void killedAgentGoesOfflineWithinThreeIntervals() {
        // Make sure the agent picked up the 2 s interval before it dies.
        JsonNode t = admin.post("/api/v1/agents/" + agentId + "/tasks", Map.of("type", "echo"))
                .expect(201)
                .body();
        Processes.await("echo done", Duration.ofSeconds(30), () -> "SUCCEEDED"
                .equals(admin.get("/api/v1/tasks/" + t.get("id").asText())
                        .body()
                        .path("status")
                        .asText()));
        agent.kill();
        // 3 intervals of 2 s, plus the last-seen flush period and polling slack.
        Processes.await("agent OFFLINE", Duration.ofSeconds(15), () -> "OFFLINE"
                .equals(admin.get("/api/v1/agents/" + agentId)
                        .body()
                        .path("status")
                        .asText()));
        assertFalse(agent.isAlive());
    }

    @Test
    @Order(7)
    void everyEndpointButHealthLoginAndEnrolNeedsAToken() throws Exception {
        Api anonymous = core.api();
        Api garbage = core.api().withToken("not-a-jwt");
        int checked = 0;
        for (OpenApi.Operation op : OpenApi.operations()) {
            String path = "/api/v1" + op.path().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000001");
            String body = op.contentType() == null ? null : op.contentType().contains("json") ? "{}" : "x";
            Api.Response r = anonymous.call(op.method(), path, body, op.contentType());
            if (OpenApi.PUBLIC.contains(op.toString())) {
                assertTrue(r.status() != 401 && r.status() < 500, op + " is public but answered " + r.status());
            } else {
                assertEquals(401, r.status(), op + " without a token");
                assertEquals(
                        401,
                        garbage.call(op.method(), path, body, op.contentType()).status(),
                        op + " with a bad token");
                assertTrue(r.contentType().startsWith("application/problem+json"), op + ": " + r.contentType());
                checked++;
            }
        }
        assertTrue(checked >= 15, "only " + checked + " protected operations found in docs/openapi.yaml");
    }

    @Test
    @Order(8)
    void viewerReadsButCannotWrite() {
        admin.post(
                        "/api/v1/users",
                        Map.of(
                                "username",
                                "vera",
                                "password",
                                "viewer-password-1",
                                "roles",
                                java.util.List.of("viewer")))
                .expect(201);
        Api viewer = core.api().login("vera", "viewer-password-1");
        viewer.get("/api/v1/agents").expect(200);
        viewer.get("/api/v1/modules").expect(200);
        assertEquals(
                403, viewer.post("/api/v1/agents/enrollment-tokens", Map.of()).status());
        assertEquals(
                403,
                viewer.post("/api/v1/agents/" + agentId + "/tasks", Map.of("type", "echo"))
                        .status());
        assertEquals(403, viewer.delete("/api/v1/agents/" + agentId).status());
        assertEquals(
                403,
                viewer.post(
                                "/api/v1/users",
                                Map.of("username", "x", "password", "0123456789a", "roles", java.util.List.of("admin")))
                        .status());
    }
}
