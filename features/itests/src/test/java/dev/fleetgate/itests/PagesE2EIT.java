package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

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
 * Module 5 end to end through the agent's real nginx: the default 503 page when no target is healthy (problem+json
 * for {@code Accept: application/json}), a custom
 * per-service page, an upstream's own 404 passed through (and replaced once the service opts in), maintenance
 * on (503 + Retry-After + the operator's message for 127.0.0.1, the service for the allowlisted 127.0.0.2) and off, invalid templates refused — all without an nginx
 * reload (same master, same configuration generation, applyMode dynamic). Runs on the shared {@link Fleet}
 * (its nginx on {@link Fleet#PROXY_HTTP}); upstream 20815, nothing on 20816.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PagesE2EIT {
    private static final int HTTP = Fleet.PROXY_HTTP;
    private static final String SHOP = "shop.pages.test";
    private static final String DOWN = "down.pages.test";

    private Path agentState;
    private Api admin;
    private String agentId;
    private String shopId;
    private String downId;
    private HttpServer upstream;
    private Path generation;
    private long master;

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        agentState = fleet.agentState();
        admin = fleet.admin();
        agentId = fleet.agentId();
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 20815), 64);
        upstream.setExecutor(Executors.newFixedThreadPool(2));
        upstream.createContext("/", exchange -> {
            boolean missing = exchange.getRequestURI().getPath().startsWith("/missing");
            byte[] body = (missing ? "{\"error\":\"own\"}" : "A").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", missing ? "application/json" : "text/plain");
            exchange.sendResponseHeaders(missing ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
    }

    @AfterAll
    void stop() {
        for (String id : new String[] {shopId, downId}) {
            if (id != null) {
                admin.delete("/api/v1/services/" + id);
            }
        }
        if (upstream != null) {
            upstream.stop(0);
        }
    }

    @Test
    @Order(1)
    void servicesAreServed() throws Exception {
        shopId = admin.post("/api/v1/services", service("pages-shop", SHOP, 20815))
                .expect(201)
                .body()
                .get("id")
                .asText();
        downId = admin.post("/api/v1/services", service("pages-down", DOWN, 20816))
                .expect(201)
                .body()
                .get("id")
                .asText();
        Processes.await("shop served", Duration.ofSeconds(60), () -> "A"
                .equals(get(SHOP, "/").body()));
        // module resources are mounted in batches: wait for the endpoints this test needs
        Processes.await(
                "the pages endpoints",
                Duration.ofSeconds(60),
                () -> admin.get("/api/v1/pages").status() == 200
                        && admin.get("/api/v1/services/" + shopId + "/pages").status() == 200
                        && admin.get("/api/v1/services/" + shopId + "/maintenance")
                                        .status()
                                == 200);
        generation = agentState.resolve("nginx/conf").toRealPath();
        master = masterPid();
    }

    @Test
    @Order(2)
    void noHealthyTargetGetsTheDefault503Page() throws Exception {
        Processes.await("down answers the default 503 page", Duration.ofSeconds(30), () -> {
            ProxyClient.Reply r = get(DOWN, "/");
            return r.status() == 503 && r.body().contains("Service Unavailable");
        });
        ProxyClient.Reply r = get(DOWN, "/");
        assertTrue(r.header("content-type").startsWith("text/html"), r.headers());
        assertTrue(r.body().startsWith("<!DOCTYPE html>") && r.body().contains(DOWN), r.body());
        ProxyClient.Reply json = get("127.0.0.1", DOWN, "/", "application/json");
        assertEquals(503, json.status());
        assertEquals("application/problem+json", json.header("content-type"), json.headers());
        JsonNode problem = Api.JSON.readTree(json.body());
        assertEquals(503, problem.path("status").asInt(), json.body());
        assertEquals("Service Unavailable", problem.path("title").asText(), json.body());
        assertEquals("pages-down", problem.path("service").asText(), json.body());
    }

    @Test
    @Order(3)
    void aCustomServicePageIsServedAndInvalidOnesAreRefused() {
        Api.Response bad = admin.put("/api/v1/services/" + downId + "/pages/503", Map.of("html", "<p>{{#open}}</p>"));
        assertEquals(400, bad.status(), String.valueOf(bad.body()));
        assertEquals(
                "html",
                bad.body().path("errors").path(0).path("field").asText(),
                bad.body().toString());
        assertEquals(400, admin.put("/api/v1/pages/999", Map.of("html", "x")).status());
        JsonNode preview = admin.post(
                        "/api/v1/pages/preview", Map.of("html", "{{status}} {{service}}", "status", "502"))
                .expect(200)
                .body();
        assertEquals("502 shop", preview.path("html").asText());
        admin.put(
                        "/api/v1/services/" + downId + "/pages/503",
                        Map.of("html", "<h1>custom {{service}} {{status}} {{reason}}</h1>"))
                .expect(200);
        Processes.await(
                "the custom page", Duration.ofSeconds(30), () -> "<h1>custom pages-down 503 Service Unavailable</h1>"
                        .equals(get(DOWN, "/").body()));
        assertEquals(503, get(DOWN, "/").status());
    }

    @Test
    @Order(4)
    void anUpstreams404PassesThroughUnlessTheServiceOptsIn() {
        ProxyClient.Reply own = get(SHOP, "/missing");
        assertEquals(404, own.status());
        assertEquals("{\"error\":\"own\"}", own.body());
        admin.put("/api/v1/services/" + shopId + "/pages/404", Map.of("html", "<p>gone {{status}}</p>"))
                .expect(200);
        Processes.await("the service's 404 page", Duration.ofSeconds(30), () -> "<p>gone 404</p>"
                .equals(get(SHOP, "/missing").body()));
        admin.delete("/api/v1/services/" + shopId + "/pages/404").expect(204);
        Processes.await("the upstream's 404 again", Duration.ofSeconds(30), () -> "{\"error\":\"own\"}"
                .equals(get(SHOP, "/missing").body()));
        assertEquals("A", get(SHOP, "/").body());
    }

    @Test
    @Order(5)
    void maintenanceOnAnswers503WithRetryAfterAndOffServesAgain() {
        ObjectNode on = Api.JSON
                .createObjectNode()
                .put("enabled", true)
                .put("message", "Back at ten")
                .put("retryAfterSeconds", 120);
        on.putArray("allow").add("127.0.0.2");
        JsonNode m = admin.put("/api/v1/services/" + shopId + "/maintenance", on)
                .expect(200)
                .body();
        assertTrue(m.path("active").asBoolean(), m.toString());
        Processes.await(
                "shop in maintenance",
                Duration.ofSeconds(30),
                () -> get(SHOP, "/").status() == 503);
        ProxyClient.Reply r = get(SHOP, "/");
        assertEquals("120", r.header("retry-after"), r.headers());
        assertTrue(r.body().contains("Back at ten") && r.body().contains("under maintenance"), r.body());
        ProxyClient.Reply allowed = get("127.0.0.2", SHOP, "/");
        assertEquals(200, allowed.status(), allowed.body());
        assertEquals("A", allowed.body(), "the allowlisted client reaches the service");
        assertEquals("", allowed.header("retry-after"));
        assertEquals(
                400,
                admin.put(
                                "/api/v1/services/" + shopId + "/maintenance",
                                Map.of("enabled", true, "allow", java.util.List.of("not-an-address")))
                        .status());
        admin.put("/api/v1/services/" + shopId + "/maintenance", Map.of("enabled", false))
                .expect(200);
        Processes.await("shop served again", Duration.ofSeconds(30), () -> "A"
                .equals(get(SHOP, "/").body()));
        assertFalse(get(SHOP, "/").headers().toLowerCase(Locale.ROOT).contains("retry-after"));
    }

    @Test
    @Order(6)
    void aWholeAgentInMaintenanceAnswers503ButToItsAllowlist() {
        ObjectNode on = Api.JSON
                .createObjectNode()
                .put("enabled", true)
                .put("message", "Host upgrade")
                .put("retryAfterSeconds", 60);
        on.putArray("allow").add("127.0.0.2");
        JsonNode m = admin.put("/api/v1/agents/" + agentId + "/maintenance", on)
                .expect(200)
                .body();
        assertTrue(m.path("active").asBoolean(), m.toString());
        assertEquals(agentId, m.path("agentId").asText(), m.toString());
        assertEquals(
                404,
                admin.get("/api/v1/agents/00000000-0000-0000-0000-000000000000/maintenance")
                        .status());
        assertEquals(
                400,
                admin.put("/api/v1/agents/" + agentId + "/maintenance", Map.of("enabled", "yes"))
                        .status());
        Processes.await(
                "the agent in maintenance",
                Duration.ofSeconds(30),
                () -> get(SHOP, "/").status() == 503);
        ProxyClient.Reply r = get(SHOP, "/");
        assertEquals("60", r.header("retry-after"), r.headers());
        assertTrue(r.body().contains("Host upgrade"), r.body());
        assertTrue(get(DOWN, "/").body().contains("Host upgrade"), "every service of the agent");
        assertEquals("A", get("127.0.0.2", SHOP, "/").body(), "the allowlisted client reaches the service");
        admin.put("/api/v1/agents/" + agentId + "/maintenance", Map.of("enabled", false))
                .expect(200);
        Processes.await("the agent out of maintenance", Duration.ofSeconds(30), () -> "A"
                .equals(get(SHOP, "/").body()));
    }

    @Test
    @Order(7)
    void unknownHostsGetTheFleet404AndPagesNameTheRequestId() {
        ProxyClient.Reply unknown = get("nobody.pages.test", "/");
        assertEquals(404, unknown.status(), unknown.body());
        assertTrue(
                unknown.header("content-type").startsWith("text/html")
                        && unknown.body().contains("Not Found"),
                unknown.headers() + unknown.body());
        ProxyClient.Reply json = get("127.0.0.1", "nobody.pages.test", "/", "application/json");
        assertEquals("application/problem+json", json.header("content-type"), json.headers());
        assertTrue(json.body().matches(".*\"requestId\":\"[0-9a-f]{32}\".*"), json.body());
        admin.put("/api/v1/services/" + downId + "/pages/503", Map.of("html", "<p>id {{requestId}}</p>"))
                .expect(200);
        Processes.await("the request id in the page", Duration.ofSeconds(30), () -> get(DOWN, "/")
                .body()
                .matches("<p>id [0-9a-f]{32}</p>"));
    }

    @Test
    @Order(8)
    void noChangeReloadedNginx() throws Exception {
        assertEquals(generation, agentState.resolve("nginx/conf").toRealPath(), "same configuration generation");
        assertEquals(master, masterPid(), "same nginx master");
        Processes.await("applyMode dynamic", Duration.ofSeconds(30), () -> "dynamic"
                .equals(admin.get("/api/v1/services/" + shopId + "/status")
                        .body()
                        .path("agents")
                        .path(0)
                        .path("applyMode")
                        .asText()));
    }

    private long masterPid() throws IOException {
        return Long.parseLong(
                Files.readString(agentState.resolve("nginx/nginx.pid")).trim());
    }

    private ObjectNode service(String name, String host, int port) {
        return Services.proxied(agentId, name, host, port);
    }

    private static ProxyClient.Reply get(String host, String path) {
        return get("127.0.0.1", host, path);
    }

    private static ProxyClient.Reply get(String from, String host, String path) {
        return get(from, host, path, "text/html");
    }

    /** A GET with a Host header from a loopback client address. */
    private static ProxyClient.Reply get(String from, String host, String path, String accept) {
        return ProxyClient.get(HTTP, from, host, path, "Accept: " + accept + "\r\n", Duration.ofSeconds(10));
    }
}
