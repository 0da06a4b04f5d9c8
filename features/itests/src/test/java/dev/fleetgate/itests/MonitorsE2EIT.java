package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Uptime monitors end to end, with real processes: the core schedules http.probe tasks, the agent
 * (probe bundle from its distribution) checks a local HTTP server switched between 200 and 500,
 * the monitor goes DOWN after its confirmations, one incident opens through an event rule on
 * {@code monitor.down}, and it resolves when the server answers 200 again.
 * Needs PostgreSQL and nginx with the lua modules (the agent's proxy). Runs on the shared {@link Fleet}; bind9 on
 * 21302, nothing listens on 21350.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitorsE2EIT {
    /**
     * The monitors' check interval (seconds), below the module's default minimum of 10 s: the class lowers
     * {@code minIntervalSeconds} on the shared core for its run and restores it after.
     */
    private static final int INTERVAL = 3;

    private static final String MONITORS_PID = "dev.fleetgate.monitors";

    private Fleet fleet;
    private HttpServer target;
    private final AtomicInteger status = new AtomicInteger(200);
    private final List<String> authorizations = new java.util.concurrent.CopyOnWriteArrayList<>();
    private Path bind9;

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        this.fleet = fleet;
        target = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        target.createContext("/", exchange -> {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (authorization != null) {
                authorizations.add(authorization);
            }
            exchange.sendResponseHeaders(status.get(), -1);
            exchange.close();
        });
        target.createContext("/resource", exchange -> {
            byte[] body = "{\"cpu\": 91, \"mem\": \"30%\", \"disk\": \"43%\", \"uptime\": \"1d 2h 37m 6s\"}".getBytes();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        target.start();
        fleet.configure(MONITORS_PID, Map.of("minIntervalSeconds", "1"));
        // Config Admin restarts the module: wait until it takes the shorter interval.
        Processes.await("the monitors module takes a " + INTERVAL + " s interval", Duration.ofSeconds(60), () -> {
            Api.Response r = fleet.admin()
                    .post(
                            "/api/v1/monitors",
                            Map.of(
                                    "name",
                                    "monitors-e2e-interval-probe",
                                    "type",
                                    "http",
                                    "target",
                                    "http://127.0.0.1:" + target.getAddress().getPort() + "/",
                                    "intervalSeconds",
                                    INTERVAL,
                                    "agentIds",
                                    List.of(fleet.agentId())));
            if (r.status() != 201) {
                return false;
            }
            fleet.admin()
                    .delete("/api/v1/monitors/" + r.body().get("id").asText())
                    .expect(204);
            return true;
        });
    }

    @AfterAll
    void stop() throws Exception {
        if (fleet != null) {
            fleet.restore(MONITORS_PID);
            Processes.await(
                    "the monitors module back",
                    Duration.ofSeconds(60),
                    () -> fleet.admin().get("/api/v1/monitors").status() == 200);
        }
        if (bind9 != null) {
            run("../../scripts/bind9-test.sh", "stop", bind9.toString());
        }
        if (target != null) {
            target.stop(0);
        }
    }

    @Test
    void downAfterConfirmationsOpensOneIncidentAndUpResolvesIt() throws Exception {
        Api admin = fleet.admin();
        String agentId = fleet.agentId();
        String ruleId = builtInRule(admin, "monitor.down");

        JsonNode invalid = admin.post(
                        "/api/v1/monitors",
                        Map.of(
                                "name",
                                "x",
                                "type",
                                "http",
                                "target",
                                "ftp://x",
                                "intervalSeconds",
                                0, // below even the lowered minimum
                                "agentIds",
                                List.of("no-such-agent")))
                .expect(400)
                .body();
        assertEquals(3, invalid.get("errors").size(), invalid.toString());

        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/health";
        String id = monitor(
                "e2e target", "http", "target", url, "confirmations", 2, "expect", Map.of("statuses", List.of(200)));
        awaitState(admin, id, "UP", Duration.ofSeconds(60));

        status.set(500);
        long failing = System.currentTimeMillis();
        JsonNode down = awaitState(admin, id, "DOWN", Duration.ofSeconds(90));
        List<Long> detections = new java.util.ArrayList<>(List.of(System.currentTimeMillis() - failing));
        JsonNode a = down.get("agents").get(0);
        assertEquals(agentId, a.get("agentId").asText());
        assertEquals(500, a.get("status").asInt(), down.toString());
        assertEquals("status", a.get("errorKind").asText(), down.toString());
        for (String phase : List.of("dnsMs", "connectMs", "firstByteMs", "totalMs")) {
            assertTrue(a.get("timing").has(phase), phase + " in " + a);
        }
        Processes.await(
                "one open incident",
                Duration.ofSeconds(30),
                () -> admin.get("/api/v1/incidents?state=open&ruleId=" + ruleId + "&subject=" + id)
                                .expect(200)
                                .body()
                                .size()
                        == 1);
        JsonNode incident = admin.get("/api/v1/incidents?state=open&ruleId=" + ruleId + "&subject=" + id)
                .body()
                .get(0);
        assertTrue(incident.get("message").asText().contains("Failing since"), incident.toString());
        assertTrue(incident.get("message").asText().contains("Last success: 20"), incident.toString());

        status.set(200);
        awaitState(admin, id, "UP", Duration.ofSeconds(60));
        Processes.await("the incident resolved", Duration.ofSeconds(30), () -> admin.get(
                        "/api/v1/incidents?state=open&ruleId=" + ruleId + "&subject=" + id)
                .expect(200)
                .body()
                .isEmpty());
        assertEquals(
                1,
                admin.get("/api/v1/incidents?ruleId=" + ruleId + "&subject=" + id)
                        .body()
                        .size(),
                "one incident, not one per check");
        // more trials for the detection figure (printed, never asserted): four more monitors of the same target,
        // failed at once, rather than four failures one after the other (~45 s less)
        List<String> trials = new java.util.ArrayList<>();
        for (int trial = 1; trial <= 4; trial++) {
            trials.add(monitor(
                    "e2e trial " + trial,
                    "http",
                    "target",
                    url,
                    "confirmations",
                    2,
                    "expect",
                    Map.of("statuses", List.of(200))));
        }
        for (String trial : trials) {
            awaitState(admin, trial, "UP", Duration.ofSeconds(60));
        }
        status.set(500);
        long start = System.currentTimeMillis();
        Map<String, Long> downAfter = new java.util.HashMap<>();
        Processes.await("the trial monitors DOWN", Duration.ofSeconds(90), () -> {
            for (String trial : trials) {
                if (!downAfter.containsKey(trial)
                        && "DOWN"
                                .equals(admin.get("/api/v1/monitors/" + trial + "/status")
                                        .expect(200)
                                        .body()
                                        .get("state")
                                        .asText())) {
                    downAfter.put(trial, System.currentTimeMillis() - start);
                }
            }
            return downAfter.size() == trials.size();
        });
        detections.addAll(downAfter.values());
        status.set(200);
        awaitState(admin, id, "UP", Duration.ofSeconds(60));
        for (String trial : trials) {
            admin.delete("/api/v1/monitors/" + trial).expect(204);
        }
        java.util.Collections.sort(detections);
        System.out.println(
                "[monitors-e2e] failure -> DOWN at a " + INTERVAL + " s interval, 2 confirmations, " + detections.size()
                        + " trials (1, then 4 monitors failed together) (ms): " + detections + " p50 "
                        + detections.get(detections.size() / 2) + " p95 "
                        + detections.get((int) Math.ceil(0.95 * detections.size()) - 1));
        JsonNode results = admin.get("/api/v1/monitors/" + id + "/results?limit=1000")
                .expect(200)
                .body();
        assertTrue(results.size() >= 4, results.toString());
        double uptime = admin.get("/api/v1/monitors/" + id + "/status")
                .body()
                .get("uptime")
                .get("24h")
                .asDouble();
        assertTrue(uptime > 0 && uptime < 100, "uptime " + uptime);

        admin.delete("/api/v1/monitors/" + id).expect(204);
        assertEquals(404, admin.get("/api/v1/monitors/" + id).status());
    }

    @Test
    void theMonitorsScreensWorkInChromium() throws Exception {
        Api admin = fleet.admin();
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/web-check";
        String id = monitor("e2e web check", "http", "target", url, "expect", Map.of("statuses", List.of(200, 500)));
        Processes.await(
                "two results",
                Duration.ofSeconds(60),
                () -> admin.get("/api/v1/monitors/" + id + "/results")
                                .expect(200)
                                .body()
                                .size()
                        >= 2);
        webCheck("e2e web check");
        admin.delete("/api/v1/monitors/" + id).expect(204);
    }

    /** The monitors screens in headless Chromium (web/e2e/monitors.mjs) on a monitor with results. */
    private void webCheck(String monitorName) throws Exception {
        BrowserWalk.run(
                "e2e/monitors.mjs", fleet.core(), Map.of("E2E_MONITOR", monitorName, "E2E_TIMEOUT_MS", "30000"));
    }

    @Test
    void aSecretHeaderReachesTheTargetFromTheAgentButNoRead() throws Exception {
        Api admin = fleet.admin();
        String agentId = fleet.agentId();
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/secret-header";
        String id = monitor(
                "e2e secret header",
                "http",
                "target",
                url,
                "headers",
                Map.of("Authorization", "Bearer e2e-header-secret"));
        // stored and queued sealed, opened by the sync for the agent: the target gets the plain value
        Processes.await(
                "the probe with the header",
                Duration.ofSeconds(60),
                () -> authorizations.contains("Bearer e2e-header-secret"));
        String reads = admin.get("/api/v1/monitors/" + id).expect(200).body().toString()
                + admin.get("/api/v1/agents/" + agentId + "/tasks")
                        .expect(200)
                        .body()
                        .toString();
        assertFalse(reads.contains("e2e-header-secret"), reads);
        admin.delete("/api/v1/monitors/" + id).expect(204);
    }

    @Test
    void dnsAndJsonMonitorsRunOnTheAgentAndJsonFieldsMeetTheSeedRules() throws Exception {
        Api admin = fleet.admin();
        bind9 = Files.createTempDirectory("fleetgate-bind9-monitors");
        run("../../scripts/bind9-test.sh", "start", bind9.toString(), "21302", "example.test");

        String dns = monitor(
                "e2e dns",
                "dns",
                "target",
                "ns.example.test",
                "recordType",
                "A",
                "resolver",
                "127.0.0.1:21302",
                "expect",
                Map.of("values", List.of("127.0.0.1")));
        JsonNode up = awaitState(admin, dns, "UP", Duration.ofSeconds(60));
        assertEquals("[\"127.0.0.1\"]", up.get("agents").get(0).get("values").toString(), up.toString());
        String wrong = monitor(
                "e2e dns wrong",
                "dns",
                "target",
                "ns.example.test",
                "resolver",
                "127.0.0.1:21302",
                "confirmations",
                1,
                "expect",
                Map.of("values", List.of("127.0.0.9")));
        JsonNode down = awaitState(admin, wrong, "DOWN", Duration.ofSeconds(60));
        assertEquals("content", down.get("agents").get(0).get("errorKind").asText(), down.toString());

        String cpuRule = "6f1c0a3e-8a55-4b1e-9d43-0c5b7e0a0001"; // seed rule "CPU above 85%"
        String url = "http://127.0.0.1:" + target.getAddress().getPort() + "/resource";
        String json = monitor("e2e-resource", "json", "target", url);
        JsonNode polled = awaitState(admin, json, "UP", Duration.ofSeconds(60));
        assertEquals(91, polled.get("agents").get(0).get("fields").get("cpu").asInt(), polled.toString());
        Processes.await("the uptime field stored as a metric", Duration.ofSeconds(30), () -> {
            JsonNode items = admin.get("/api/v1/metrics/latest?name=monitor_resource_uptime&monitor=e2e-resource")
                    .expect(200)
                    .body()
                    .get("items");
            return items.size() == 1 && items.get(0).get("value").asDouble() == 95_826;
        });
        Processes.await("the seed CPU rule opens an incident for the polled machine", Duration.ofSeconds(60), () -> {
            for (JsonNode i : admin.get("/api/v1/incidents?state=open&ruleId=" + cpuRule)
                    .expect(200)
                    .body()) {
                if (i.get("subject").asText().contains("monitor=e2e-resource")) {
                    return true;
                }
            }
            return false;
        });

        // the monitor.down templates ship with the alerts module (migration V7): listed and in effect
        int shipped = 0;
        for (JsonNode t :
                admin.get("/api/v1/alerts/templates").expect(200).body().get("templates")) {
            shipped += "monitor.down".equals(t.get("kind").asText()) ? 1 : 0;
        }
        assertEquals(6, shipped, "opened and resolved for telegram, email and webhook");
        JsonNode preview = admin.post(
                        "/api/v1/alerts/templates/preview",
                        Map.of("kind", "monitor.down", "channelType", "telegram", "event", "opened"))
                .expect(200)
                .body();
        assertEquals("🔴 Monitor shop is DOWN (status)", preview.get("title").asText(), preview.toString());
        assertTrue(preview.get("text").asText().contains("\nFailing agents: web-1\n"), preview.toString());
        for (String id : List.of(dns, wrong, json)) {
            admin.delete("/api/v1/monitors/" + id).expect(204);
        }
    }

    /**
     * A monitor attached to a proxy service whose upstream refuses connections: nginx logs
     * {@code connect() failed … host: "<domain>"}, and the DOWN report quotes those lines, read
     * from the agent with the {@code logs.nginx} task.
     */
    @Test
    void aDownOfAnAttachedMonitorQuotesTheServiceErrorLog() throws Exception {
        Api admin = fleet.admin();
        String agentId = fleet.agentId();
        String domain = "logsvc.e2e.test";
        // nothing listens on 21350 (this test's own port): every request through the proxy fails
        String serviceId = admin.post(
                        "/api/v1/services",
                        Map.of(
                                "name",
                                "logsvc",
                                "domains",
                                List.of(domain),
                                "agentIds",
                                List.of(agentId),
                                "upstream",
                                Map.of("targets", List.of(Map.of("host", "127.0.0.1", "port", 21350, "weight", 1)))))
                .expect(201)
                .body()
                .get("id")
                .asText();
        Processes.await(
                "the proxy answers 5xx for " + domain,
                Duration.ofSeconds(90),
                () -> proxyStatus(Fleet.PROXY_HTTP, domain) >= 500);
        String id = monitor("e2e attached", "http", "serviceId", serviceId, "confirmations", 1);
        awaitState(admin, id, "DOWN", Duration.ofSeconds(60)); // the domain does not resolve: a dns failure
        String ruleId = builtInRule(admin, "monitor.down");
        JsonNode[] incident = new JsonNode[1];
        Processes.await("an incident for the attached monitor", Duration.ofSeconds(30), () -> {
            JsonNode list = admin.get("/api/v1/incidents?ruleId=" + ruleId + "&subject=" + id)
                    .expect(200)
                    .body();
            incident[0] = list.isEmpty() ? null : list.get(0);
            return incident[0] != null;
        });
        String message = incident[0].get("message").asText();
        assertTrue(message.contains("\nError log (" + Fleet.AGENT + ", last lines with " + domain + "):\n  "), message);
        assertTrue(message.contains("host: \"" + domain + "\""), message);
        admin.delete("/api/v1/monitors/" + id).expect(204);
        admin.delete("/api/v1/services/" + serviceId).expect(204);
    }

    /** One request to the agent's proxy with {@code Host: host}: the status, or 0 when none. */
    private static int proxyStatus(int port, String host) {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream()
                    .write(("GET / HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(
                            socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
                    .readLine();
            return line == null || line.length() < 12 ? 0 : Integer.parseInt(line.substring(9, 12));
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
    }

    /**
     * Creates a monitor checked every {@value #INTERVAL} s by the fleet's agent: name, type, then further fields of
     * the body as name/value pairs; returns its id.
     */
    private String monitor(String name, String type, Object... fields) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("type", type);
        body.put("intervalSeconds", INTERVAL);
        body.put("agentIds", List.of(fleet.agentId()));
        for (int i = 0; i < fields.length; i += 2) {
            body.put((String) fields[i], fields[i + 1]);
        }
        return fleet.admin()
                .post("/api/v1/monitors", body)
                .expect(201)
                .body()
                .get("id")
                .asText();
    }

    private static JsonNode awaitState(Api admin, String id, String state, Duration timeout) {
        JsonNode[] last = new JsonNode[1];
        Processes.await("monitor " + state, timeout, () -> {
            last[0] =
                    admin.get("/api/v1/monitors/" + id + "/status").expect(200).body();
            return state.equals(last[0].get("state").asText());
        });
        return last[0];
    }

    /** The id of the built-in event rule for a kind (fails when there is none). */
    private static String builtInRule(Api admin, String kind) {
        for (JsonNode rule : admin.get("/api/v1/alerts/rules").expect(200).body()) {
            if (kind.equals(rule.path("eventKind").asText())
                    && rule.path("builtin").asBoolean()) {
                return rule.get("id").asText();
            }
        }
        throw new AssertionError("no built-in rule opens incidents for " + kind);
    }
}
