package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Module 1 end to end: services created, changed and deleted through the core's REST API are served by the
 * agent's own nginx (started by the agent distribution's nginx bundle), routed by Host. Runs on the shared
 * {@link Fleet} (its nginx on {@link Fleet#PROXY_HTTP}); upstreams on 19420–19421.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProxyE2EIT {
    private static final int HTTP = Fleet.PROXY_HTTP;
    private static final String HOST = "shop.e2e.test";
    private static final String MARK = "pwn3d";

    private Path agentState;
    private Api admin;
    private String agentId;
    private String serviceId;
    private final List<HttpServer> upstreams = new ArrayList<>();

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        agentState = fleet.agentState();
        admin = fleet.admin();
        agentId = fleet.agentId();
        upstreams.add(upstream("A", 19420));
        upstreams.add(upstream("B", 19421));
    }

    @AfterAll
    void stop() {
        upstreams.forEach(s -> s.stop(0));
    }

    @Test
    @Order(1)
    void theAgentsNginxAnswers404ForUnknownHosts() {
        Processes.await(
                "the agent's nginx on " + HTTP,
                Duration.ofSeconds(60),
                () -> get("nobody.e2e.test").status() == 404);
    }

    @Test
    @Order(2)
    void aCreatedServiceIsRoutedByHostAndReportedApplied() {
        JsonNode created =
                admin.post("/api/v1/services", service(19420)).expect(201).body();
        serviceId = created.get("id").asText();
        Processes.await("shop routed to A", Duration.ofSeconds(30), () -> "A"
                .equals(get(HOST).body()));
        Processes.await("status APPLIED with a healthy target", Duration.ofSeconds(30), () -> {
            JsonNode s = admin.get("/api/v1/services/" + serviceId + "/status")
                    .expect(200)
                    .body();
            return "APPLIED".equals(s.path("agents").path(0).path("state").asText())
                    && s.path("targets").path(0).path("healthy").asBoolean(false);
        });
        JsonNode s = admin.get("/api/v1/services/" + serviceId + "/status").body();
        assertEquals(
                created.get("revision").asLong(),
                s.path("agents").get(0).path("appliedRevision").asLong(),
                s.toString());
        assertEquals(19420, s.path("targets").get(0).path("port").asInt());
        assertEquals(404, get("other.e2e.test").status());
    }

    @Test
    @Order(3)
    void aTargetChangeIsServedWithoutReload() throws Exception {
        Path link = agentState.resolve("nginx/conf");
        Path generation = link.toRealPath();
        long master = Long.parseLong(
                Files.readString(agentState.resolve("nginx/nginx.pid")).trim());
        admin.put("/api/v1/services/" + serviceId, service(19421)).expect(200);
        Processes.await("shop routed to B", Duration.ofSeconds(30), () -> "B"
                .equals(get(HOST).body()));
        assertEquals(generation, link.toRealPath(), "same configuration generation: nginx was not reloaded");
        assertEquals(
                master,
                Long.parseLong(
                        Files.readString(agentState.resolve("nginx/nginx.pid")).trim()));
        Processes.await("status APPLIED for the new revision", Duration.ofSeconds(30), () -> {
            JsonNode s = admin.get("/api/v1/services/" + serviceId + "/status").body();
            return "APPLIED".equals(s.path("agents").path(0).path("state").asText())
                    && s.path("targets").path(0).path("port").asInt() == 19421;
        });
        Processes.await("the agent reports the change as applied without reload", Duration.ofSeconds(30), () -> {
            JsonNode a = admin.get("/api/v1/services/" + serviceId + "/status")
                    .body()
                    .path("agents")
                    .path(0);
            return "dynamic".equals(a.path("applyMode").asText())
                    && a.path("appliedAt").isTextual();
        });
    }

    @Test
    @Order(4)
    void theAgentsNginxLogsReachTheCore() {
        for (int i = 0; i < 3; i++) {
            assertEquals("B", get(HOST, "/e2e-first").body());
        }
        JsonNode page = Processes.awaitValue(
                "access log lines of the shop through GET /agents/{id}/nginx/logs/access",
                Duration.ofSeconds(30),
                () -> {
                    JsonNode p = admin.get("/api/v1/agents/" + agentId + "/nginx/logs/access?tail=5&filter=E2E-FIRST")
                            .expect(200)
                            .body();
                    return p.path("lines").size() == 3 ? p : null;
                });
        JsonNode line = page.path("lines").get(0);
        assertEquals("access", line.path("stream").asText(), line.toString());
        assertTrue(line.path("text").asText().contains("\"service\":\"" + serviceId + "\""), line.toString());
        assertTrue(line.path("timestamp").asText().endsWith("Z"), line.toString());
        String cursor = page.path("cursor").asText();
        get(HOST, "/e2e-second");
        JsonNode next = Processes.awaitValue("the line after the cursor", Duration.ofSeconds(30), () -> {
            JsonNode n = admin.get("/api/v1/agents/" + agentId + "/nginx/logs/access?cursor=" + cursor)
                    .expect(200)
                    .body();
            return n.path("lines").toString().contains("/e2e-second") ? n : null;
        });
        assertFalse(next.toString().contains("/e2e-first"), "lines before the cursor are not repeated: " + next);
        JsonNode errors = admin.get("/api/v1/agents/" + agentId + "/nginx/logs/error?tail=10")
                .expect(200)
                .body();
        assertTrue(errors.path("lines").isArray(), errors.toString());
    }

    @Test
    @Order(5)
    void injectionThroughEveryStringFieldNeverReachesNginx() throws Exception {
        List<String> payloads = List.of(
                MARK + ";",
                MARK + "{",
                MARK + "}",
                "\"" + MARK,
                "'" + MARK,
                MARK + "\\",
                "$" + MARK,
                MARK + "\nreturn 200 x",
                MARK + "\r\nX: y",
                "x\"; return 200 \"" + MARK + "\"; #",
                "/" + MARK + " ; }",
                "${" + MARK + "}",
                MARK + "\u0000",
                MARK + "é");
        Map<String, Consumer<Object[]>> fields = new LinkedHashMap<>();
        fields.put("name", a -> ((ObjectNode) a[0]).put("name", (String) a[1]));
        fields.put("domains[0]", a -> ((ObjectNode) a[0]).putArray("domains").add((String) a[1]));
        fields.put("upstream.targets[0].host", a -> ((ObjectNode)
                        ((ObjectNode) a[0]).get("upstream").get("targets").get(0))
                .put("host", (String) a[1]));
        fields.put("upstream.lbMethod", a -> ((ObjectNode) ((ObjectNode) a[0]).get("upstream"))
                .put("lbMethod", (String) a[1]));
        fields.put(
                "upstream.healthCheck.path",
                a -> ((ObjectNode) ((ObjectNode) a[0]).get("upstream").get("healthCheck")).put("path", (String) a[1]));
        fields.put("maxBodySize", a -> ((ObjectNode) a[0]).put("maxBodySize", (String) a[1]));
        fields.put(
                "requestHeaders.value",
                a -> ((ObjectNode) a[0]).putObject("requestHeaders").put("X-Test", (String) a[1]));
        fields.put(
                "requestHeaders.name",
                a -> ((ObjectNode) a[0]).putObject("requestHeaders").put((String) a[1], "v"));
        fields.put(
                "responseHeaders.value",
                a -> ((ObjectNode) a[0]).putObject("responseHeaders").put("X-Test", (String) a[1]));
        fields.put(
                "responseHeaders.name",
                a -> ((ObjectNode) a[0]).putObject("responseHeaders").put((String) a[1], "v"));
        int requests = 0;
        for (Map.Entry<String, Consumer<Object[]>> field : fields.entrySet()) {
            for (String payload : payloads) {
                ObjectNode create = service(19421);
                create.put("name", "fuzz-" + requests);
                create.putArray("domains").add("fuzz-" + requests + ".e2e.test");
                field.getValue().accept(new Object[] {create, payload});
                Api.Response r = admin.post("/api/v1/services", create);
                assertTrue(r.status() < 500, "POST with " + field.getKey() + "=" + payload + " answered " + r.status());
                if (r.status() == 201) {
                    admin.delete("/api/v1/services/" + r.body().get("id").asText())
                            .expect(204);
                }
                ObjectNode update = service(19421);
                field.getValue().accept(new Object[] {update, payload});
                Api.Response u = admin.put("/api/v1/services/" + serviceId, update);
                assertTrue(u.status() < 500, "PUT with " + field.getKey() + "=" + payload + " answered " + u.status());
                requests += 2;
            }
        }
        admin.put("/api/v1/services/" + serviceId, service(19421)).expect(200);
        Processes.await("the service still served", Duration.ofSeconds(30), () -> "B"
                .equals(get(HOST).body()));
        try (Stream<Path> files = Files.walk(agentState.resolve("nginx"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                String conf = Files.readString(f);
                for (String payload : payloads) {
                    assertFalse(conf.contains(payload), f + " contains the fuzz payload " + payload);
                }
                assertFalse(conf.contains(MARK + ";") || conf.contains("\"" + MARK), f + " contains a fuzz payload");
            }
        }
        assertTrue(requests >= 200, "requests: " + requests);
    }

    @Test
    @Order(6)
    void aDeletedServiceIsNoLongerRouted() {
        admin.delete("/api/v1/services/" + serviceId).expect(204);
        Processes.await("shop gone", Duration.ofSeconds(30), () -> get(HOST).status() == 404);
    }

    private ObjectNode service(int port) {
        return Services.proxied(agentId, "proxy-shop", HOST, port);
    }

    private static ProxyClient.Reply get(String host) {
        return get(host, "/");
    }

    private static ProxyClient.Reply get(String host, String path) {
        return ProxyClient.get(HTTP, host, path);
    }

    private static HttpServer upstream(String name, int port) throws IOException {
        return Services.upstream(port, 64, 2, exchange -> name);
    }
}
