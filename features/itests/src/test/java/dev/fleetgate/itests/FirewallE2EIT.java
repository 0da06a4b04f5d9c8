package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Module 6 end to end: the firewall REST API on a live core (settings, manual blocks, 400s, replay of a plain and
 * a gzip log through HTTP); live detection on the agent — a loopback client (127.0.0.9) scanning through the
 * agent's real nginx is decided on by the agent's detectors, reported in the sync, stored by the core as a block
 * scoped to the service and then answered 403 by the agent's nginx, while another client (127.0.0.10) keeps 200 on
 * every request; unblocking serves it again; a manual fleet-wide limit (429) is enforced and lifted the same way.
 * Ports 22000–22019: core 22000–22004, nginx 22010 (http), 22011 (https), 22012 (admin), upstream 22015.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FirewallE2EIT {
    private static final int CORE = 22000;
    private static final int HTTP = 22010;
    private static final String SHOP = "shop.firewall.test";

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private Api admin;
    private String agentId;
    private String shopId;
    private HttpServer upstream;

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("firewall-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "5"));
        core.start();
        admin = core.admin();
        agent = new AgentProcess(work);
        agent.proxyPorts(HTTP, 22011, 22012);
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", 22015), 64);
        upstream.setExecutor(Executors.newFixedThreadPool(2));
        upstream.createContext("/", exchange -> {
            boolean probe = exchange.getRequestURI().getPath().startsWith("/probe");
            byte[] body = (probe ? "no" : "A").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(probe ? 404 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            agent.stopNginx();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        if (core != null) {
            core.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    @Order(1)
    void serviceIsServedAndTheFirewallIsUp() throws Exception {
        agentId = agent.enrol(admin, core.url(), "fw-e2e", Duration.ofSeconds(60));
        ObjectNode s = Api.JSON.createObjectNode().put("name", "shop");
        s.putArray("domains").add(SHOP);
        s.putArray("agentIds").add(agentId);
        s.putObject("upstream")
                .putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", 22015)
                .put("weight", 1);
        shopId = admin.post("/api/v1/services", s).expect(201).body().get("id").asText();
        Processes.await("shop served", Duration.ofSeconds(60), () -> get("127.0.0.1", "/")
                .equals("200 A"));
        Processes.await(
                "the firewall endpoints",
                Duration.ofSeconds(60),
                () -> admin.get("/api/v1/firewall/settings").status() == 200);
    }

    @Test
    @Order(2)
    void settingsAndManualBlocks() {
        assertEquals(
                "shadow",
                admin.get("/api/v1/firewall/settings")
                        .expect(200)
                        .body()
                        .path("mode")
                        .asText());
        JsonNode bad = admin.put("/api/v1/firewall/settings", Map.of("mode", "maybe", "windowSeconds", 1))
                .expect(400)
                .body();
        assertTrue(bad.toString().contains("\"mode\"") && bad.toString().contains("windowSeconds"), bad.toString());
        admin.put("/api/v1/firewall/settings", Map.of("mode", "enforce")).expect(200);

        JsonNode b = admin.post("/api/v1/firewall/blocks", Map.of("ip", "127.0.0.50", "ttlSeconds", 60))
                .expect(201)
                .body();
        assertEquals("global", b.path("scope").asText());
        assertTrue(admin.get("/api/v1/firewall/blocks")
                .expect(200)
                .body()
                .toString()
                .contains("127.0.0.50"));
        JsonNode refused = admin.post("/api/v1/firewall/blocks", Map.of("ip", "127.0.0.1"))
                .expect(400)
                .body();
        assertEquals("ip", refused.path("errors").get(0).path("field").asText());
        admin.post("/api/v1/firewall/blocks", Map.of("ip", "x\u0000")).expect(400);
        admin.delete("/api/v1/firewall/blocks/127.0.0.50").expect(204);
        admin.delete("/api/v1/firewall/blocks/127.0.0.50").expect(404);
    }

    @Test
    @Order(3)
    void replaysPlainAndGzipLogs() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            log.append("203.0.113.9 - - [01/Dec/2026:10:00:")
                    .append(String.format("%02d", i))
                    .append(" +0000] \"GET /probe")
                    .append(i)
                    .append(" HTTP/1.1\" 404 10 \"-\" \"curl/8\"\n");
            log.append("198.51.100.4 - - [01/Dec/2026:10:00:")
                    .append(String.format("%02d", i))
                    .append(" +0000] \"GET / HTTP/1.1\" 200 10 \"-\" \"Mozilla/5.0\"\n");
        }
        log.append(
                "198.51.100.5 - - [01/Dec/2026:10:00:59 +0000] \"GET /.env HTTP/1.1\" 404 10 \"-\" \"Mozilla/5.0\"\n");
        byte[] plain = log.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(plain);
        }
        JsonNode a = replay(plain, null);
        JsonNode z = replay(gz.toByteArray(), "gzip");
        assertEquals(81, a.path("lines").asInt());
        assertEquals(a.path("blocked"), z.path("blocked"));
        assertEquals(2, a.path("blocked").size(), a.toString());
        assertEquals("203.0.113.9", a.path("blocked").get(0).path("ip").asText());
        assertEquals("scan", a.path("blocked").get(0).path("detector").asText());
        assertEquals(59, a.path("blocked").get(0).path("line").asInt());
        assertEquals("198.51.100.5", a.path("blocked").get(1).path("ip").asText());
        assertEquals("patterns", a.path("blocked").get(1).path("detector").asText());
        assertEquals(400, send(plain, "gzip").statusCode());
        assertEquals(400, send(plain, "br").statusCode());
    }

    @Test
    @Order(4)
    void theAgentDetectsAScannerAndTheCoreStoresTheBlock() throws Exception {
        long started = System.nanoTime();
        for (int i = 0; i < 40; i++) {
            // 404 from the upstream, or already 403 when the block arrives before the scan ends
            String probe = get("127.0.0.9", "/probe" + i);
            assertTrue(probe.startsWith("404") || probe.startsWith("403"), probe);
            assertEquals("200 A", get("127.0.0.10", "/page" + i));
        }
        long sent = System.nanoTime();
        JsonNode[] block = new JsonNode[1];
        Processes.await("the scanner's block", Duration.ofSeconds(60), () -> {
            for (JsonNode b : admin.get("/api/v1/firewall/blocks").expect(200).body()) {
                if (b.path("ip").asText().equals("127.0.0.9")) {
                    block[0] = b;
                    return true;
                }
            }
            return false;
        });
        long stored = System.nanoTime();
        System.out.printf(
                "firewall e2e: 80 requests sent in %d ms; scanner's block stored %d ms after the last one%n",
                (sent - started) / 1_000_000, (stored - sent) / 1_000_000);
        JsonNode b = block[0];
        assertEquals("scan", b.path("detector").asText());
        assertEquals("service", b.path("scope").asText());
        assertEquals(shopId, b.path("serviceId").asText());
        assertEquals("enforce", b.path("mode").asText());
        assertTrue(b.path("evidence").path("counts").path("notFound").asInt() >= 30, b.toString());
        assertTrue(b.path("evidence").path("samples").toString().contains("127.0.0.9"), b.toString());
        assertFalse(admin.get("/api/v1/firewall/blocks").body().toString().contains("127.0.0.10"));

        // enforced by the agent's nginx (firewall-blocks section → Lua shared dict), no reload
        Processes.await("the scanner answered 403", Duration.ofSeconds(10), () -> get("127.0.0.9", "/")
                .startsWith("403"));
        long enforced = System.nanoTime();
        System.out.printf(
                "firewall e2e: block stored → 403 on the agent within %d ms (polled)%n",
                (enforced - stored) / 1_000_000);
        for (int i = 0; i < 50; i++) {
            assertEquals("200 A", get("127.0.0.10", "/other" + i), "another client keeps being served");
        }
        admin.delete("/api/v1/firewall/blocks/127.0.0.9").expect(204);
        Processes.await("the scanner served again", Duration.ofSeconds(10), () -> get("127.0.0.9", "/")
                .equals("200 A"));
    }

    @Test
    @Order(5)
    void aManualBlockIsEnforcedEverywhereAndLifted() {
        assertEquals("200 A", get("127.0.0.11", "/"));
        long t0 = System.nanoTime();
        admin.post("/api/v1/firewall/blocks", Map.of("ip", "127.0.0.11", "action", "limit"))
                .expect(201);
        Processes.await("429 for the limited client", Duration.ofSeconds(10), () -> get("127.0.0.11", "/")
                .startsWith("429"));
        System.out.printf(
                "firewall e2e: manual block → 429 on the agent within %d ms (polled)%n",
                (System.nanoTime() - t0) / 1_000_000);
        assertEquals("200 A", get("127.0.0.12", "/"));
        admin.delete("/api/v1/firewall/blocks/127.0.0.11").expect(204);
        Processes.await("the client served again", Duration.ofSeconds(10), () -> get("127.0.0.11", "/")
                .equals("200 A"));
    }

    /** A figure, not an assertion: REST block → first 403 from the agent's nginx, 20 times (each then lifted). */
    @Test
    @Order(6)
    void decisionToEnforcedFigure() {
        java.util.List<Long> ms = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String ip = "127.0.0." + (100 + i);
            long t0 = System.nanoTime();
            admin.post("/api/v1/firewall/blocks", Map.of("ip", ip)).expect(201);
            Processes.await(
                    "403 for " + ip, Duration.ofSeconds(10), () -> get(ip, "/").startsWith("403"));
            ms.add((System.nanoTime() - t0) / 1_000_000);
            admin.delete("/api/v1/firewall/blocks/" + ip).expect(204);
        }
        java.util.Collections.sort(ms);
        System.out.printf(
                "firewall e2e: REST block → 403 on the agent, n=%d: p50 %d ms, p99 %d ms, max %d ms%n",
                ms.size(), ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.99) - 1), ms.get(ms.size() - 1));
    }

    private JsonNode replay(byte[] body, String encoding) throws Exception {
        HttpResponse<String> r = send(body, encoding);
        assertEquals(200, r.statusCode(), r.body());
        return Api.JSON.readTree(r.body());
    }

    private HttpResponse<String> send(byte[] body, String encoding) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(core.url() + "/api/v1/firewall/replay"))
                .header("Authorization", "Bearer " + admin.token())
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A GET from a loopback client address: "status body". */
    private static String get(String from, String path) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: " + SHOP + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return text.split(" ", 3)[1] + " " + (end < 0 ? "" : text.substring(end + 4));
        } catch (IOException | RuntimeException e) {
            return "-1 " + e;
        }
    }
}
