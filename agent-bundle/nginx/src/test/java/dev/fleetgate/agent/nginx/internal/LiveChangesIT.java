package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Every kind of change an operator makes, applied under concurrent keep-alive requests through a real nginx
 * (ports 19070–19099): no failed request, the same master and worker processes before and after (no reload).
 * Also: a push Lua refuses keeps the old routing, a restarted nginx serves the routes before it answers, and
 * 10,000 services load and route.
 */
class LiveChangesIT extends WithNginx {
    static final int HTTP = 19070;
    static final int HTTPS = 19071;
    static final int ADMIN = 19072;
    static final int ROUNDS = 4;

    private Backend a;
    private Backend b;
    private long revision;
    private final Map<String, Specs.Service> services = new LinkedHashMap<>();
    private ObjectNode globalRules;

    LiveChangesIT() {
        super(HTTP, ADMIN, "2", "64m");
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 19080);
        b = backend("B", 19081);
    }

    private void apply() throws Exception {
        ObjectNode spec = Specs.spec(services.values().toArray(Specs.Service[]::new));
        if (globalRules != null) {
            spec.set("accessRules", globalRules.get("rules"));
        }
        driver.apply(++revision, spec);
    }

    private Set<Long> processes() {
        Set<Long> out = new java.util.TreeSet<>(
                new NginxProcess("/usr/sbin/nginx", driver.settings().pidFile()).workers());
        out.add(driver.status().path("nginx").path("pid").asLong());
        return out;
    }

    @Test
    void everyChangeKindUnderLoadLosesNothingAndKeepsTheProcesses() throws Exception {
        Tls.Pem t1 = Tls.selfSigned(work, "t1.test");
        Tls.Pem t2 = Tls.selfSigned(work, "t2.test");
        Tls.Pem n = Tls.selfSigned(work, "n.test");
        services.put("a", Specs.service("a", "a.test", a.port));
        services.put("t", Specs.service("t", "t.test", a.port).tls("cert-t", t1, false));
        services.put("m", Specs.service("m", "m.test", b.port));
        apply();
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        Set<Long> before = processes();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        Map<String, IntConsumer> kinds = new LinkedHashMap<>();
        kinds.put("service add/remove", i -> {
            if (i % 2 == 0) {
                services.put("b", Specs.service("b", "b.test", b.port));
            } else {
                services.remove("b");
            }
            apply(i);
            assertEquals(
                    i % 2 == 0 ? "B" : "404 unknown host\n",
                    Http.get(HTTP, "b.test", "/").body());
        });
        kinds.put("domain add/remove (wildcard)", i -> {
            ArrayNode names = (ArrayNode) services.get("a").site.get("serverNames");
            names.removeAll().add("a.test");
            if (i % 2 == 0) {
                names.add("www.a.test").add("*.w.test");
            }
            apply(i);
            int expected = i % 2 == 0 ? 200 : 404;
            assertEquals(expected, Http.get(HTTP, "x.y.w.test", "/").status());
            assertEquals(expected, Http.get(HTTP, "www.a.test", "/").status());
            assertEquals(404, Http.get(HTTP, "w.test", "/").status(), "*.w.test does not name w.test");
        });
        kinds.put("targets", i -> {
            services.get("a").targets(i % 2 == 0 ? b.port : a.port);
            apply(i);
            assertEquals(i % 2 == 0 ? "B" : "A", Http.get(HTTP, "a.test", "/").body());
        });
        kinds.put("lb method", i -> {
            services.get("a")
                    .targets(a.port, b.port)
                    .lb(List.of("least_conn", "ip_hash", "round_robin").get(i % 3));
            apply(i);
            assertEquals(200, Http.get(HTTP, "a.test", "/").status());
        });
        kinds.put("timeouts", i -> {
            services.get("a")
                    .site
                    .putObject("timeouts")
                    .put("connectSeconds", 1 + i)
                    .put("readSeconds", 30 + i)
                    .put("sendSeconds", 30 + i);
            apply(i);
            assertEquals(200, Http.get(HTTP, "a.test", "/").status());
        });
        kinds.put("headers", i -> {
            services.get("a").site.putObject("responseHeaders").put("X-Round", "r" + i);
            services.get("a").site.putObject("requestHeaders").put("X-Env", "r" + i);
            apply(i);
            assertTrue(Http.raw(HTTP, "a.test", "/").contains("X-Round: r" + i));
        });
        kinds.put("websockets", i -> {
            services.get("a").site.put("websockets", i % 2 == 0);
            apply(i);
            assertEquals(200, Http.get(HTTP, "a.test", "/").status());
        });
        kinds.put("redirect", i -> {
            services.get("t").tls("cert-t", t1, i % 2 == 0);
            apply(i);
            assertEquals(i % 2 == 0 ? 301 : 200, Http.get(HTTP, "t.test", "/").status());
        });
        kinds.put("maintenance on/off", i -> {
            Specs.Service m = services.get("m");
            if (i % 2 == 0) {
                m.targets();
                m.site.putArray("errorPages")
                        .addObject()
                        .put("contentType", "text/html")
                        .put("body", "maintenance")
                        .putArray("statuses")
                        .add(503);
            } else {
                m.targets(b.port);
                m.site.remove("errorPages");
            }
            apply(i);
            assertEquals(
                    i % 2 == 0 ? "maintenance" : "B",
                    Http.get(HTTP, "m.test", "/").body());
        });
        kinds.put("error page", i -> {
            Specs.Service m = services.get("m");
            m.targets();
            m.site.putArray("errorPages")
                    .addObject()
                    .put("contentType", "text/plain")
                    .put("body", "page " + i)
                    .putArray("statuses")
                    .add(502)
                    .add(503);
            apply(i);
            Http.Reply r = Http.get(HTTP, "m.test", "/");
            assertEquals(503, r.status());
            assertEquals("page " + i, r.body());
        });
        kinds.put("access rule / block", i -> {
            Specs.Service m = services.get("m");
            m.targets(b.port);
            m.site.remove("errorPages");
            m.site.putArray("accessRules");
            if (i % 2 == 0) {
                m.site.withArray("accessRules")
                        .addObject()
                        .put("action", "deny")
                        .put("source", "127.0.0.0/8");
            }
            globalRules = Spec.JSON.createObjectNode();
            globalRules
                    .putArray("rules")
                    .addObject()
                    .put("action", "deny")
                    .put("source", i % 2 == 0 ? "10.0.0.0/8" : "fd00::/8");
            apply(i);
            assertEquals(i % 2 == 0 ? 403 : 200, Http.get(HTTP, "m.test", "/").status());
        });
        kinds.put("certificate replace", i -> {
            services.get("t").tls("cert-t", i % 2 == 0 ? t2 : t1, false);
            apply(i);
            check(() -> assertEquals(i % 2 == 0 ? "CN=t2.test" : "CN=t1.test", Tls.subject(HTTPS, "t.test")));
        });
        kinds.put("certificate add (new TLS site)", i -> {
            if (i % 2 == 0) {
                services.put("n", Specs.service("n", "n.test", b.port).tls("cert-n", n, false));
            } else {
                services.remove("n");
            }
            apply(i);
            if (i % 2 == 0) {
                check(() -> assertEquals("CN=n.test", Tls.subject(HTTPS, "n.test")));
            } else {
                assertThrows(Exception.class, () -> Tls.subject(HTTPS, "n.test"), "unknown SNI: no handshake");
            }
        });
        Map<String, Long> lost = new LinkedHashMap<>();
        List<String> reasons = new ArrayList<>();
        try (Load load = Load.running(HTTP, "a.test", 8)) {
            for (Map.Entry<String, IntConsumer> kind : kinds.entrySet()) {
                long failedBefore = load.failed();
                for (int i = 0; i < ROUNDS; i++) {
                    kind.getValue().accept(i);
                    assertEquals(
                            "dynamic",
                            driver.status().path("nginx").path("applyMode").asText(),
                            kind.getKey());
                }
                lost.put(kind.getKey(), load.failed() - failedBefore);
            }
            load.awaitMore(100, "load continues");
            reasons.addAll(load.failures());
            System.out.println("LiveChangesIT: " + load.ok() + " requests answered during " + kinds.size() * ROUNDS
                    + " changes; lost per kind " + lost);
        }
        lost.forEach((kind, count) -> assertEquals(0L, count, kind + ": failed requests " + reasons));
        assertEquals(before, processes(), "the same nginx master and workers");
        assertEquals(reloads, driver.status().path("nginx").path("reloads").asLong(), "no reload");
    }

    private void apply(int round) {
        try {
            apply();
        } catch (Exception e) {
            throw new AssertionError("round " + round + ": " + e.getMessage(), e);
        }
    }

    private interface Check {
        void run() throws Exception;
    }

    private static void check(Check c) {
        try {
            c.run();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aPushLuaRefusesKeepsTheOldRoutingAndReportsWhy() throws Exception {
        Tls.Pem t1 = Tls.selfSigned(work, "t1.test");
        services.put("a", Specs.service("a", "a.test", a.port));
        services.put("t", Specs.service("t", "t.test", a.port).tls("cert-t", t1, false));
        apply();
        long rev = revision;
        // Java only sees the PEM markers; Lua parses the certificate and refuses the whole document
        services.get("a").targets(b.port);
        services.get("t")
                .tls(
                        "cert-t",
                        new Tls.Pem(
                                "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n", t1.key()),
                        false);
        Exception e = assertThrows(Exception.class, this::apply);
        assertTrue(
                e.getMessage().contains("nginx refused the routes")
                        && e.getMessage().contains("is not a PEM certificate"),
                e.getMessage());
        assertEquals(rev, driver.status().path("revision").asLong(), "the revision is not applied");
        assertTrue(driver.status().path("nginx").path("lastError").asText().contains("is not a PEM certificate"));
        assertEquals("A", Http.get(HTTP, "a.test", "/").body(), "the previous routing and peers keep serving");
        assertEquals("CN=t1.test", Tls.subject(HTTPS, "t.test"));
        AdminClient admin = new AdminClient(driver.settings().adminSocket());
        for (String bad : List.of(
                "not json",
                "{\"version\":1}",
                "{\"version\":1,\"listeners\":{},\"sites\":[{\"locations\":" + "[{\"path\":\"/\"}]}]}",
                "{\"version\":1,\"listeners\":{\"x\":{\"names\":{\"a.test\":7}}},\"sites\":[]}",
                "{\"version\":1,\"listeners\":{},\"sites\":[{\"locations\":[],\"rules\":[[\"deny\",\"300.1.1.1\"]]}]}")) {
            AdminClient.Response r = admin.post("/routes", bad);
            assertEquals(400, r.status(), bad + " -> " + r.body());
            assertTrue(r.body().contains("\"error\""), r.body());
        }
        assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        services.get("t").tls("cert-t", t1, false);
        apply();
        assertEquals("B", Http.get(HTTP, "a.test", "/").body());
        assertTrue(driver.status().path("nginx").path("lastError").isNull());
    }

    @Test
    void aRestartedNginxServesTheRoutesBeforeItAnswers() throws Exception {
        Tls.Pem t1 = Tls.selfSigned(work, "t1.test");
        services.put("a", Specs.service("a", "a.test", a.port));
        services.put("t", Specs.service("t", "t.test", b.port).tls("cert-t", t1, false));
        apply();
        services.get("a").targets(b.port);
        services.put("c", Specs.service("c", "*.c.test", a.port));
        apply();
        Path dir = driver.settings().workDir();
        for (String file : List.of("routes.json", "peers.json")) {
            assertEquals(
                    "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))), file);
        }
        driver.stopNginx();
        assertEquals(-1, Http.get(HTTP, "a.test", "/").status(), "stopped");
        // started again from outside the agent (a crash and a service manager restart): no push from the driver
        startNginxFromOutside();
        Http.Reply first = Http.get(HTTP, "a.test", "/");
        for (int i = 0; i < 200 && first.status() == -1; i++) {
            Thread.sleep(10);
            first = Http.get(HTTP, "a.test", "/");
        }
        assertEquals(200, first.status(), "the first answer: " + first);
        assertEquals("B", first.body(), "the last routes and peers, not the ones of the first apply");
        assertEquals("A", Http.get(HTTP, "x.c.test", "/").body());
        assertEquals("CN=t1.test", Tls.subject(HTTPS, "t.test"));
        assertEquals(404, Http.get(HTTP, "nobody.test", "/").status());
    }

    @Test
    void tenThousandServicesLoadAndRoute() throws Exception {
        int count = 10_000;
        for (int i = 0; i < count; i++) {
            services.put("s" + i, Specs.service("s" + i, "s" + i + ".test", i % 2 == 0 ? a.port : b.port));
        }
        long t0 = System.nanoTime();
        apply();
        long t1 = System.nanoTime();
        for (int i = 0; i < count; i += 97) {
            assertEquals(
                    i % 2 == 0 ? "A" : "B",
                    Http.get(HTTP, "s" + i + ".test", "/").body(),
                    "s" + i);
        }
        assertEquals("B", Http.get(HTTP, "s9999.test", "/").body());
        services.remove("s17");
        services.put("new", Specs.service("new", "new.test", a.port));
        long t2 = System.nanoTime();
        apply();
        long t3 = System.nanoTime();
        assertEquals("dynamic", driver.status().path("nginx").path("applyMode").asText());
        assertEquals("A", Http.get(HTTP, "new.test", "/").body());
        assertEquals(404, Http.get(HTTP, "s17.test", "/").status());
        assertEquals("A", Http.get(HTTP, "s18.test", "/").body());
        System.out.printf(
                "LiveChangesIT: %d services: first apply %d ms, a service added and one removed %d ms%n",
                count, (t1 - t0) / 1_000_000, (t3 - t2) / 1_000_000);
    }
}
