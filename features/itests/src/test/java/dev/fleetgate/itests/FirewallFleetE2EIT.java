package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Fleet-wide firewall with three agents (issue 16): their nginx listen on one port on three loopback addresses
 * (127.0.0.2, .3, .4; the trick of {@link CertificatesTwoAgentsE2EIT}), each serving a service of its own plus one
 * common service. A client (127.0.0.20) scanning the three agents' own services is decided on by each agent's
 * detectors (scan in shadow: nothing is enforced for one service); the core correlates three agents into a
 * fleet-wide block, and the client then gets 403 from every agent on the common service it never attacked, while
 * another client keeps 200. Then the figure: a REST block → 403 on all three agents, 20 times, p50/p99 printed
 * ({@code bench/run-firewall.sh --fleet}). Ports 22780–22799: core 22780–22784, nginx 22790 (http), 22791
 * (https), admin 22792–22794, upstream 22795.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FirewallFleetE2EIT {
    private static final int CORE = 22780;
    private static final int HTTP = 22790;
    private static final int UPSTREAM = 22795;
    private static final List<String> ADDRESSES = List.of("127.0.0.2", "127.0.0.3", "127.0.0.4");
    private static final Duration WAIT = Duration.ofSeconds(90);

    private TestDatabase db;
    private CoreProcess core;
    private final List<AgentProcess> agents = new ArrayList<>();
    private HttpServer upstream;
    private Api admin;

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("firewall-fleet-" + System.currentTimeMillis()));
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "5"));
        core.start();
        admin = core.admin();
        upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", UPSTREAM), 64);
        upstream.setExecutor(Executors.newFixedThreadPool(2));
        upstream.createContext("/", ex -> {
            boolean probe = ex.getRequestURI().getPath().startsWith("/probe");
            byte[] body = (probe ? "no" : "ok").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(probe ? 404 : 200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        upstream.start();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            agents.add(new AgentProcess(Files.createDirectories(work.resolve("agent-" + i)))
                    .proxyPorts(ADDRESSES.get(i), HTTP, HTTP + 1, 22792 + i));
        }
    }

    @AfterAll
    void stop() {
        for (AgentProcess a : agents) {
            a.close();
            a.stopNginx();
        }
        if (upstream != null) {
            upstream.stop(0);
        }
        Processes.stopAll(null, core, db);
    }

    @Test
    void correlatedClientIsBlockedOnEveryAgentAndBlocksReachAllAgents() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            String name = "fw-fleet-" + i;
            ids.add(agents.get(i).enrol(admin, core.url(), name, WAIT));
        }
        for (int i = 0; i < ids.size(); i++) {
            service("own-" + i, "own" + i + ".fleet.test", List.of(ids.get(i)));
        }
        service("common", "common.fleet.test", ids);
        for (int i = 0; i < ADDRESSES.size(); i++) {
            String agent = ADDRESSES.get(i);
            String own = "own" + i + ".fleet.test";
            Processes.await(
                    "served by " + agent,
                    WAIT,
                    () -> get("127.0.0.30", agent, own, "/") == 200
                            && get("127.0.0.30", agent, "common.fleet.test", "/") == 200);
        }
        Processes.await(
                "the firewall endpoints",
                WAIT,
                () -> admin.get("/api/v1/firewall/settings").status() == 200);
        admin.put(
                        "/api/v1/firewall/settings",
                        Map.of("mode", "enforce", "detectors", Map.of("scan", Map.of("mode", "shadow"))))
                .expect(200);
        // 127.0.0.20 scans each agent's own service (again until the agents' detectors have their settings): three
        // shadow decisions on three agents → one fleet-wide block
        String attacker = "127.0.0.20";
        Processes.await("a fleet-wide block of the scanner", WAIT, () -> {
            for (int i = 0; i < ADDRESSES.size(); i++) {
                for (int n = 0; n < 40; n++) {
                    get(attacker, ADDRESSES.get(i), "own" + i + ".fleet.test", "/probe" + n);
                }
            }
            return admin.get("/api/v1/firewall/blocks")
                    .expect(200)
                    .body()
                    .toString()
                    .contains("correlation");
        });
        JsonNode global = null;
        for (JsonNode b : admin.get("/api/v1/firewall/blocks").expect(200).body()) {
            if ("correlation".equals(b.path("detector").asText())) {
                global = b;
            }
        }
        assertEquals(attacker, global.path("ip").asText(), global.toString());
        assertEquals("global", global.path("scope").asText());
        assertEquals("enforce", global.path("mode").asText());
        assertEquals(3, global.path("evidence").path("counts").path("agents").asInt(), global.toString());
        for (String agent : ADDRESSES) {
            Processes.await(
                    "403 from " + agent + " on the service never attacked",
                    WAIT,
                    () -> get(attacker, agent, "common.fleet.test", "/") == 403);
            assertEquals(200, get("127.0.0.30", agent, "common.fleet.test", "/"), "another client is served");
        }
        // the top clients the agents report name the scanner on the services it hit
        Processes.await("top clients", WAIT, () -> admin.get("/api/v1/firewall/top-clients")
                .expect(200)
                .body()
                .toString()
                .contains(attacker));

        // the figure: a REST block → 403 on all three agents (polled every 20 ms), 20 times
        List<Long> millis = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            String client = "127.0.0." + (100 + round);
            long t0 = System.nanoTime();
            admin.post("/api/v1/firewall/blocks", Map.of("ip", client, "ttlSeconds", 600))
                    .expect(201);
            boolean[] seen = new boolean[ADDRESSES.size()];
            long deadline = t0 + WAIT.toNanos();
            int left = ADDRESSES.size();
            while (left > 0 && System.nanoTime() < deadline) {
                for (int i = 0; i < ADDRESSES.size(); i++) {
                    if (!seen[i] && get(client, ADDRESSES.get(i), "common.fleet.test", "/") == 403) {
                        seen[i] = true;
                        left--;
                    }
                }
                if (left > 0) {
                    Thread.sleep(20);
                }
            }
            assertEquals(0, left, "round " + round + ": not enforced on every agent");
            millis.add((System.nanoTime() - t0) / 1_000_000);
        }
        Collections.sort(millis);
        System.out.println(String.format(
                Locale.ROOT,
                "FIREWALL-FLEET decision -> enforced on all %d agents (REST block, polled every 20 ms), n=%d:"
                        + " p50 %d ms, p99 %d ms, max %d ms",
                ADDRESSES.size(),
                millis.size(),
                millis.get(millis.size() / 2),
                millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
                millis.get(millis.size() - 1)));
    }

    private void service(String name, String domain, List<String> agentIds) {
        ObjectNode s = Api.JSON.createObjectNode().put("name", name);
        s.putArray("domains").add(domain);
        agentIds.forEach(s.putArray("agentIds")::add);
        s.putObject("upstream")
                .putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", UPSTREAM)
                .put("weight", 1);
        admin.post("/api/v1/services", s).expect(201);
    }

    /** @return the status of a GET from a loopback client address to an agent's nginx, -1 when it failed */
    private static int get(String from, String agent, String host, String path) {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress(agent, HTTP), 2000);
            s.setSoTimeout(10_000);
            s.getOutputStream()
                    .write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            return Integer.parseInt(all.toString(StandardCharsets.UTF_8).split(" ", 3)[1]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
