package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/** The driver against a real nginx (own instance, ports 19010–19039) and Java HTTP servers as upstreams. */
class ProxyDriverIT extends WithNginx {
    static final int HTTP = 19010;
    static final int ADMIN = 19012;

    private Backend a;
    private Backend b;
    private Backend c;

    ProxyDriverIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 19020);
        b = backend("B", 19021);
        c = backend("C", 19022);
    }

    @Test
    void routesByHostAnswers404ForUnknownHostsAndReportsStatus() throws Exception {
        assertEquals(404, Http.get(HTTP, "nobody.test", "/").status(), "nginx runs with the empty spec after start");
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port), Specs.service("s2", "b.test", b.port)));
        assertEquals("A", Http.get(HTTP, "a.test", "/x?y=1").body());
        assertEquals("B", Http.get(HTTP, "b.test", "/").body());
        assertEquals(404, Http.get(HTTP, "c.test", "/").status());
        JsonNode status = driver.status();
        assertEquals(1, status.path("revision").asLong());
        assertTrue(status.path("nginx").path("running").asBoolean(), status.toString());
        assertTrue(status.path("nginx").path("version").asText().startsWith("1."), status.toString());
        assertTrue(status.path("nginx").path("lastError").isNull(), status.toString());
        assertEquals(2, status.path("targets").size(), status.toString());
        assertEquals("s1", status.path("targets").get(0).path("serviceId").asText());
        assertTrue(status.path("targets").get(0).path("healthy").asBoolean());
        JsonNode check = Spec.JSON.readTree(
                new AdminClient(driver.settings().adminSocket()).get("/check").body());
        assertEquals(2, check.path("upstreams").size(), check.toString());
        assertTrue(new AdminClient(driver.settings().adminSocket())
                .get("/nginx_status")
                .body()
                .contains("Active connections"));
    }

    @Test
    void theAdminApiIsReachableNeitherOverTcpNorThroughAProxiedService() throws Exception {
        // an operator's service whose target is the admin port (and one whose upstreams an attacker wants to move)
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port), Specs.service("evil", "evil.test", ADMIN)));
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        String takeover = "{\"upstreams\":{\"svc-s1\":\"{\\\"serviceId\\\":\\\"s1\\\",\\\"peers\\\":"
                + "[{\\\"host\\\":\\\"127.0.0.1\\\",\\\"port\\\":" + b.port + "}]}\"}}";
        assertTrue(Spec.JSON.readTree(takeover).path("upstreams").has("svc-s1"), takeover);
        byte[] body = takeover.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        for (Http.Reply r :
                List.of(Http.post(ADMIN, "127.0.0.1", "/peers", body), Http.post(HTTP, "evil.test", "/peers", body))) {
            assertEquals(404, r.status(), "POST /peers over TCP: " + r);
        }
        for (String path : List.of("/check", "/generation")) {
            for (Http.Reply r : List.of(Http.get(ADMIN, "127.0.0.1", path), Http.get(HTTP, "evil.test", path))) {
                assertEquals(404, r.status(), path + " over TCP: " + r);
                assertFalse(r.body().contains("conf.") || r.body().contains("upstreams"), r.body());
            }
        }
        assertEquals("A", Http.get(HTTP, "a.test", "/").body(), "the upstreams were not rewritten");
        // the agent itself still reaches it, over the Unix socket in a 0700 directory
        Path socket = driver.settings().adminSocket();
        assertEquals(
                "rwx------",
                java.nio.file.attribute.PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(socket.getParent())));
        assertEquals(200, new AdminClient(socket).get("/check").status());
        assertTrue(
                Http.get(ADMIN, "127.0.0.1", "/nginx_status").body().contains("Active connections"),
                "the metrics collector's counters stay on the TCP port");
    }

    @Test
    void targetChangesNeedNoReload() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        long pid = driver.status().path("nginx").path("pid").asLong();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        String reloadedAt = driver.status().path("nginx").path("lastReloadAt").asText();
        Path conf = driver.settings().confFile();
        String before = Files.readString(conf);
        Path real = conf.toRealPath();
        driver.apply(2, Specs.spec(Specs.service("s1", "a.test", b.port)));
        assertEquals("B", Http.get(HTTP, "a.test", "/").body());
        Specs.Service weighted = Specs.service("s1", "a.test", b.port, c.port);
        ((ObjectNode) weighted.upstream.get("targets").get(1)).put("weight", 3);
        driver.apply(3, Specs.spec(weighted));
        int bBefore = b.requests.get();
        int cBefore = c.requests.get();
        for (int i = 0; i < 40; i++) {
            assertEquals(200, Http.get(HTTP, "a.test", "/").status());
        }
        assertEquals(10, b.requests.get() - bBefore, "weight 1 of 4 (one worker, smooth weighted round robin)");
        assertEquals(30, c.requests.get() - cBefore);
        JsonNode n = driver.status().path("nginx");
        assertEquals(pid, n.path("pid").asLong(), "same master");
        assertEquals(reloads, n.path("reloads").asLong(), "no reload");
        assertEquals(reloadedAt, n.path("lastReloadAt").asText());
        assertEquals(before, Files.readString(conf), "configuration unchanged");
        assertEquals(real, conf.toRealPath(), "same generation");
        assertEquals(3, driver.status().path("revision").asLong());
    }

    @Test
    void structuralChangesApplyWithoutReloadAndANewListenPortReloads() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        long pid = driver.status().path("nginx").path("pid").asLong();
        java.util.Set<Long> workers =
                new NginxProcess("/usr/sbin/nginx", driver.settings().pidFile()).workers();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        Path generation = driver.settings().confFile().toRealPath();
        driver.apply(2, Specs.spec(Specs.service("s1", "a.test", a.port), Specs.service("s2", "b.test", b.port)));
        assertEquals("B", Http.get(HTTP, "b.test", "/").body());
        assertEquals("dynamic", driver.status().path("nginx").path("applyMode").asText());
        driver.apply(3, Specs.spec(Specs.service("s2", "b.test", b.port)));
        assertEquals(404, Http.get(HTTP, "a.test", "/").status());
        assertEquals(pid, driver.status().path("nginx").path("pid").asLong(), "same master");
        assertEquals(
                workers, new NginxProcess("/usr/sbin/nginx", driver.settings().pidFile()).workers(), "same workers");
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");
        assertEquals(generation, driver.settings().confFile().toRealPath(), "same nginx.conf");
        assertTrue(java.time.Instant.parse(
                        driver.status().path("nginx").path("appliedAt").asText())
                .isAfter(java.time.Instant.now().minusSeconds(60)));
        // a listen port no site used before changes nginx.conf: the one kind of change that reloads
        Specs.Service other = Specs.service("s3", "c.test", c.port);
        ((ObjectNode) other.site.get("listen").get(0)).put("port", 19016);
        driver.apply(4, Specs.spec(Specs.service("s2", "b.test", b.port), other));
        assertEquals("C", Http.get(19016, "c.test", "/").body());
        assertEquals("B", Http.get(HTTP, "b.test", "/").body());
        assertEquals(404, Http.get(HTTP, "c.test", "/").status(), "c.test listens on 19016 only");
        assertEquals("reload", driver.status().path("nginx").path("applyMode").asText());
        assertEquals(pid, driver.status().path("nginx").path("pid").asLong());
        assertEquals(reloads + 1, driver.status().path("nginx").path("reloads").asLong());
        try (var dirs = Files.list(driver.settings().workDir())) {
            assertEquals(
                    2,
                    dirs.filter(p -> p.getFileName().toString().matches("conf\\.[0-9]+"))
                            .count(),
                    "the live generation and the previous one are kept");
        }
    }

    @Test
    void aConfigurationNginxRejectsKeepsTheOldOneServing() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        Path live = driver.settings().confFile().toRealPath();
        Specs.Service bad = Specs.service("s1", "a.test", a.port);
        ((ObjectNode) bad.site.get("listen").get(0)).put("port", 70000);
        Exception e = assertThrows(Exception.class, () -> driver.apply(2, Specs.spec(bad)));
        assertTrue(e.getMessage().contains("invalid port"), e.getMessage());
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        assertEquals(live, driver.settings().confFile().toRealPath());
        assertEquals(1, driver.status().path("revision").asLong());
        assertTrue(driver.status().path("nginx").path("lastError").asText().contains("invalid port"));
        driver.apply(3, Specs.spec(Specs.service("s1", "a.test", b.port)));
        assertEquals("B", Http.get(HTTP, "a.test", "/").body());
        assertTrue(driver.status().path("nginx").path("lastError").isNull());
    }

    @Test
    void aReloadThatFailsAtRuntimeIsRolledBack() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        Path live = driver.settings().confFile().toRealPath();
        try (ServerSocket taken = new ServerSocket(19015, 1, InetAddress.getByName("127.0.0.1"))) {
            Specs.Service s2 = Specs.service("s2", "b.test", b.port);
            ((ObjectNode) s2.site.get("listen").get(0)).put("port", 19015);
            Exception e = assertThrows(
                    Exception.class, () -> driver.apply(2, Specs.spec(Specs.service("s1", "a.test", a.port), s2)));
            assertTrue(e.getMessage().contains("Address already in use"), e.getMessage());
        }
        assertEquals(
                live, driver.settings().confFile().toRealPath(), "the link points at the serving generation again");
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        assertEquals(1, driver.status().path("revision").asLong());
    }

    @Test
    void refusedValuesNeverReachNginx() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        Specs.Service evil = Specs.service("s1", "a.test", a.port);
        evil.site.putObject("requestHeaders").put("X-A", "x\"; return 200 pwned; #");
        Exception e = assertThrows(IllegalArgumentException.class, () -> driver.apply(2, Specs.spec(evil)));
        assertTrue(e.getMessage().contains("sites[0].requestHeaders.X-A"), e.getMessage());
        assertTrue(!Files.readString(driver.settings().confFile()).contains("pwned"));
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
    }

    @Test
    void locationsRouteInNginxOrderAndAccessRulesRefuse() throws Exception {
        Specs.Service s = Specs.service("s1", "a.test", a.port);
        var locations = s.site.withArray("locations");
        locations.addObject().put("path", "/api").put("match", "exact").put("upstream", "svc-b");
        locations.addObject().put("path", "/static/").put("match", "prefix").put("upstream", "svc-c");
        Specs.Service sb = Specs.service("b", "b.test", b.port);
        Specs.Service sc = Specs.service("c", "c.test", c.port);
        s.site.putArray("accessRules").addObject().put("action", "deny").put("source", "::1");
        driver.apply(1, Specs.spec(s, sb, sc));
        assertEquals("B", Http.get(HTTP, "a.test", "/api").body(), "exact match");
        assertEquals("A", Http.get(HTTP, "a.test", "/api/x").body(), "not the exact one: the longest prefix, /");
        assertEquals("C", Http.get(HTTP, "a.test", "/static/app.js").body(), "the longest prefix");
        assertEquals("A", Http.get(HTTP, "a.test", "/static").body());
        s.site.putArray("accessRules").addObject().put("action", "deny").put("source", "127.0.0.0/24");
        driver.apply(2, Specs.spec(s, sb, sc));
        assertEquals(403, Http.get(HTTP, "a.test", "/").status(), "denied by a CIDR rule");
        assertEquals("B", Http.get(HTTP, "b.test", "/").body(), "other sites unaffected");
        s.site.putArray("accessRules").addObject().put("action", "allow").put("source", "127.0.0.1");
        s.site.withArray("accessRules").addObject().put("action", "deny").put("source", "all");
        driver.apply(3, Specs.spec(s, sb, sc));
        assertEquals("A", Http.get(HTTP, "a.test", "/").body(), "the first matching rule wins");
    }

    @Test
    void emptyTargetsAnswer503() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test")));
        assertEquals(503, Http.get(HTTP, "a.test", "/").status());
    }

    @Test
    void endpointsJoinTheirServiceWithoutReload() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test")));
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        driver.endpoints(Map.of("s1", List.of(new Endpoint("c1", "127.0.0.1", c.port, 1))));
        Await.until("the endpoint serves", Duration.ofSeconds(10), () -> "C"
                .equals(Http.get(HTTP, "a.test", "/").body()));
        JsonNode targets = driver.status().path("targets");
        assertEquals(1, targets.size(), targets.toString());
        assertEquals(c.port, targets.get(0).path("port").asInt());
        driver.endpoints(Map.of());
        Await.until(
                "the endpoint left",
                Duration.ofSeconds(10),
                () -> Http.get(HTTP, "a.test", "/").status() == 503);
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong());
    }

    @Test
    void aRestartedDriverAdoptsTheRunningNginx() throws Exception {
        driver.apply(4, Specs.spec(Specs.service("s1", "a.test", a.port)));
        long pid = driver.status().path("nginx").path("pid").asLong();
        driver.close();
        driver = new ProxyDriver(Specs.settings(work.resolve("nginx"), HTTP, ADMIN), () -> {});
        driver.start();
        assertEquals(pid, driver.status().path("nginx").path("pid").asLong());
        assertEquals(4, driver.status().path("revision").asLong(), "the last applied spec is restored");
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        assertNotEquals(0, pid);
    }

    @Test
    void anAdoptedNginxWithoutRoutesGetsThemWithTheReload() throws Exception {
        driver.apply(4, Specs.spec(Specs.service("s1", "a.test", a.port)));
        long pid = driver.status().path("nginx").path("pid").asLong();
        driver.close();
        // an nginx of an older agent: no POST /routes on its admin server, no routes in its shared dict
        Path conf = driver.settings().confFile().toRealPath();
        Files.writeString(
                conf, Files.readString(conf).replace("location = /routes {", "location = /routes-not-here {"));
        Files.delete(driver.settings().workDir().resolve("routes.json"));
        driver.stopNginx();
        startNginxFromOutside();
        assertEquals(404, Http.get(HTTP, "a.test", "/").status(), "that nginx has no routes");
        driver = new ProxyDriver(Specs.settings(work.resolve("nginx"), HTTP, ADMIN), () -> {});
        driver.start();
        assertTrue(
                driver.status().path("nginx").path("lastError").isNull(),
                driver.status().toString());
        assertEquals("reload", driver.status().path("nginx").path("applyMode").asText());
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        assertNotEquals(pid, driver.status().path("nginx").path("pid").asLong());
        driver.apply(5, Specs.spec(Specs.service("s1", "a.test", b.port)));
        assertEquals("dynamic", driver.status().path("nginx").path("applyMode").asText());
        assertEquals("B", Http.get(HTTP, "a.test", "/").body());
    }

    @Test
    void theAccessLogHasOneJsonEntryPerRequest() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        try (LogTailer tailer = new LogTailer(driver.settings().accessLog(), true, 1000)) {
            tailer.poll();
            assertEquals(200, Http.get(HTTP, "a.test", "/shop/item?id=%227%22").status());
            assertEquals(404, Http.get(HTTP, "nobody.test", "/x").status());
            List<dev.fleetgate.agent.AccessLogEntry> entries = new java.util.ArrayList<>();
            Await.until("two access log entries (flushed within 1 s)", Duration.ofSeconds(10), () -> {
                try {
                    tailer.poll().stream().map(AccessLogParser::parse).forEach(entries::add);
                } catch (java.io.IOException e) {
                    throw new AssertionError(e);
                }
                return entries.size() >= 2;
            });
            var hit = entries.get(0);
            assertEquals("s1", hit.serviceId());
            assertEquals("/shop/item", hit.path(), "no query string");
            assertEquals("id=%227%22", hit.query(), "the query string, as sent");
            assertEquals("a.test", hit.host());
            assertEquals("GET", hit.method());
            assertEquals(200, hit.status());
            assertEquals("127.0.0.1:" + a.port, hit.upstreamAddress());
            assertTrue(hit.upstreamTimeSeconds() != null && hit.bytesSent() > 0, hit.toString());
            assertEquals("fleetgate-test", hit.userAgent());
            assertEquals("127.0.0.1", hit.clientAddress());
            assertTrue(Math.abs(hit.timeMillis() - System.currentTimeMillis()) < 60_000);
            var miss = entries.get(1);
            assertEquals(null, miss.serviceId());
            assertEquals(404, miss.status());
            assertEquals(null, miss.query());
            assertEquals(null, miss.upstreamAddress());
        }
    }

    @Test
    void largeBodiesGoThroughTheWorkersTempFiles() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port)));
        assertEquals(
                200,
                Http.post(HTTP, "a.test", "/upload", new byte[2 * 1024 * 1024]).status());
        assertEquals(
                413,
                Http.post(HTTP, "a.test", "/upload", new byte[11 * 1024 * 1024]).status(),
                "maxBodyBytes 10 MiB");
        assertEquals(200, chunked("a.test", 2 * 1024 * 1024), "a chunked body within the site's limit");
        assertEquals(413, chunked("a.test", 11 * 1024 * 1024), "a chunked body above maxBodyBytes");
    }

    /** POSTs a chunked body of this size (64 KiB chunks) and returns the status. */
    private static int chunked(String host, int size) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", HTTP)) {
            s.setSoTimeout(10_000);
            var out = new java.io.BufferedOutputStream(s.getOutputStream());
            out.write(("POST /upload HTTP/1.1\r\nHost: " + host
                            + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int sent = 0; sent < size; sent += chunk.length) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                out.write("0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                out.flush();
            } catch (java.io.IOException closedEarly) {
                // nginx may answer and close before the whole body is sent
            }
            String status = new java.io.BufferedReader(new java.io.InputStreamReader(
                            s.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    @Test
    void luaBalancesByTheMethodOfTheUpstream() throws Exception {
        driver.apply(
                1,
                Specs.spec(Specs.service("s1", "a.test", a.port, b.port, c.port).lb("ip_hash")));
        String first = Http.get(HTTP, "a.test", "/").body();
        for (int i = 0; i < 20; i++) {
            assertEquals(first, Http.get(HTTP, "a.test", "/").body(), "one client address, one target");
        }
        driver.apply(
                2,
                Specs.spec(Specs.service("s1", "a.test", a.port, b.port, c.port).lb("least_conn")));
        int[] before = {a.requests.get(), b.requests.get(), c.requests.get()};
        for (int i = 0; i < 30; i++) {
            assertEquals(200, Http.get(HTTP, "a.test", "/").status());
        }
        assertEquals(10, a.requests.get() - before[0], "equal connections: least_conn rotates over the ties");
        assertEquals(10, b.requests.get() - before[1]);
        assertEquals(10, c.requests.get() - before[2]);
    }
}
