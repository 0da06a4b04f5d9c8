package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Autoscaling end to end: a service with managed containers (the demo image) behind the agent's nginx, a policy on
 * requests per second per replica with short windows, and a Java load generator on loopback. Load rises → the loop
 * adds replicas with no failed request; load stops → it goes back down after the scale-down window. Prints the
 * figure "threshold crossed → new replica serving traffic" (p50/p95 over the rounds).
 * Ports 22100–22199: core 22100–22104, nginx 22110 (http), 22111 (https), 22112 (admin), replicas 22120–22199.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingE2EIT {
    private static final int CORE = 22100;
    private static final int HTTP = 22110;
    private static final String HOST = "demo.autoscaling.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROUNDS = Integer.getInteger("fleetgate.autoscaling.rounds", 3);

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private Api admin;
    private String agentId;
    private String serviceId;

    @BeforeAll
    void start() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        assertEquals(0, docker("version"), "a running Docker engine is required");
        Path root = Path.of(System.getProperty("fleetgate.root", "../.."));
        Process build = new ProcessBuilder(
                        "bash", root.resolve("scripts/demo-image.sh").toString())
                .inheritIO()
                .start();
        assertEquals(0, build.waitFor(), "scripts/demo-image.sh");
        work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("autoscaling-" + System.currentTimeMillis()));
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "2"));
        // agents collect every 2 s (the metrics section's interval) instead of 10 s
        Path metricsCfg = core.home().resolve("etc/dev.fleetgate.metrics.cfg");
        String cfg = Files.exists(metricsCfg) ? Files.readString(metricsCfg) : "";
        Files.writeString(metricsCfg, cfg.replaceAll("(?m)^intervalSeconds\\s*=.*$", "") + "\nintervalSeconds = 2\n");
        core.start();
        admin = core.admin();
        agent = new AgentProcess(work);
        agent.proxyPorts(HTTP, 22111, 22112);
        Files.writeString(
                work.resolve("agent/etc/dev.fleetgate.agent.docker.cfg"),
                "# written by AutoscalingE2EIT\n"
                        + "portRangeStart = 22120\nportRangeEnd = 22199\nbindAddress = 127.0.0.1\n"
                        + "reconcileIntervalSeconds = 2\ndrainMillis = 2000\nstopTimeoutSeconds = 5\n");
        String token = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", "autoscaling-e2e"))
                .expect(201)
                .body()
                .get("token")
                .asText();
        agent.start(core.url(), "autoscaling-e2e", token);
        agentId = agent.awaitOnline(admin, "autoscaling-e2e", WAIT);
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
            agent.stopNginx();
        }
        if (agentId != null) {
            for (String id : containers()) {
                docker("rm", "-f", id);
            }
        }
        Processes.stopAll(null, core, db);
    }

    @Test
    @Order(1)
    void aPolicyIsValidatedAndStored() {
        ObjectNode s = Api.JSON.createObjectNode().put("name", "autoscaled");
        s.putArray("domains").add(HOST);
        s.putArray("agentIds").add(agentId);
        ObjectNode upstream = s.putObject("upstream");
        upstream.putArray("targets");
        upstream.putObject("healthCheck")
                .put("path", "/health")
                .put("intervalSeconds", 1)
                .put("timeoutSeconds", 1)
                .put("fall", 2)
                .put("rise", 1);
        s.putObject("containers")
                .put("image", "fleetgate/demo:latest")
                .put("replicas", 1)
                .putObject("env")
                .put("DELAY_MS", "1");
        serviceId =
                admin.post("/api/v1/services", s).expect(201).body().get("id").asText();
        Processes.await("the demo replica behind nginx", WAIT, () -> get("/").status == 200);

        String path = "/api/v1/services/" + serviceId + "/autoscaling";
        assertEquals(false, admin.get(path).expect(200).body().path("enabled").asBoolean(true));
        Api.Response bad =
                admin.put(path, Map.of("minReplicas", 3, "maxReplicas", 2, "targets", Map.of("cpuPercent", 500)));
        assertEquals(400, bad.status(), bad.body().toString());
        List<String> fields = new ArrayList<>();
        bad.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        Collections.sort(fields);
        assertEquals(List.of("maxReplicas", "targets.cpuPercent"), fields);
        assertEquals(400, admin.put(path, "[1]").status());
        assertEquals(400, admin.get("/api/v1/services/not-a-uuid/autoscaling").status());
        assertEquals(400, admin.get(path + "/decisions?limit=0").status());

        JsonNode stored = admin.put(
                        path,
                        Map.of(
                                "minReplicas",
                                1,
                                "maxReplicas",
                                3,
                                "targets",
                                Map.of("rpsPerReplica", 40),
                                "scaleUpStabilizationSeconds",
                                0,
                                "scaleDownStabilizationSeconds",
                                12,
                                "cooldownSeconds",
                                4,
                                "maxScaleUpStep",
                                2,
                                "sampleMaxAgeSeconds",
                                30))
                .expect(200)
                .body();
        assertEquals(40.0, stored.path("targets").path("rpsPerReplica").asDouble());
        assertEquals(
                400,
                admin.put(path, Map.of("minReplicas", 0, "maxReplicas", 2, "targets", Map.of("rpsPerReplica", 10)))
                        .status(),
                "0 replicas only with scaleToZeroAfterSeconds");

        // a token for every call; viewers read, only operators and admins write
        assertEquals(401, core.api().get(path).status());
        assertEquals(401, core.api().call("PUT", path, "{}", "application/json").status());
        assertEquals(401, core.api().get(path + "/decisions").status());
        admin.post(
                        "/api/v1/users",
                        Map.of("username", "vic", "password", "viewer-password-1", "roles", List.of("viewer")))
                .expect(201);
        Api viewer = core.api().login("vic", "viewer-password-1");
        viewer.get(path).expect(200);
        viewer.get(path + "/decisions").expect(200);
        assertEquals(
                403,
                viewer.put(path, Map.of("minReplicas", 1, "maxReplicas", 2)).status());
        assertEquals(403, viewer.delete(path).status());
        assertEquals(12, stored.path("scaleDownStabilizationSeconds").asInt());
        assertEquals(serviceId, stored.path("serviceId").asText());
    }

    @Test
    @Order(2)
    void loadScalesUpWithoutAFailedRequestAndIdleScalesDown() throws Exception {
        List<Long> toServing = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            Processes.await(
                    "one replica before round " + round,
                    WAIT,
                    () -> containers().size() == 1
                            && replicasOf(admin.get("/api/v1/services/" + serviceId)
                                            .body())
                                    == 1);
            try (Load load = new Load(6)) {
                long t0 = System.nanoTime();
                Processes.await("a second replica serving traffic", WAIT, () -> load.seen.size() >= 2);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                toServing.add(ms);
                long mark = load.ok.get();
                Processes.await("load keeps flowing", WAIT, () -> load.ok.get() > mark + 200);
                load.stop();
                assertEquals(List.of(), load.failures(), "failed requests while scaling up (" + load.ok.get() + " ok)");
                System.out.println("round " + round + ": load (" + load.ok.get() + " requests, 0 failed) → new replica"
                        + " serving after " + ms + " ms");
            }
            Processes.await(
                    "back to one replica after the scale-down window",
                    WAIT,
                    () -> containers().size() == 1
                            && replicasOf(admin.get("/api/v1/services/" + serviceId)
                                            .body())
                                    == 1);
        }
        JsonNode decisions = admin.get("/api/v1/services/" + serviceId + "/autoscaling/decisions?limit=200")
                .expect(200)
                .body();
        boolean up = false;
        boolean down = false;
        for (JsonNode d : decisions) {
            up |= d.path("to").asInt() > d.path("from").asInt()
                    && "rpsPerReplica".equals(d.path("rule").asText());
            down |= d.path("to").asInt() < d.path("from").asInt();
            assertTrue(!d.path("reason").asText().isBlank() && d.has("at"), d.toString());
        }
        assertTrue(up && down, decisions.toString());
        List<Long> sorted = new ArrayList<>(toServing);
        Collections.sort(sorted);
        System.out.println("FIGURE autoscaling: load over the target → new replica serving traffic, " + sorted.size()
                + " rounds: p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, p95 "
                + sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1) + " ms (all " + sorted + "; metrics interval"
                + " 2 s, sync 2 s, scale-up window 0 s)");
    }

    @Test
    @Order(3)
    void aManualChangePausesThePolicy() {
        admin.put("/api/v1/services/" + serviceId + "/replicas", Map.of("replicas", 2))
                .expect(200);
        Processes.await("the policy paused by admin", WAIT, () -> {
            JsonNode p = admin.get("/api/v1/services/" + serviceId + "/autoscaling")
                    .expect(200)
                    .body();
            return "admin".equals(p.path("pausedBy").asText())
                    && !p.path("pausedUntil").isNull();
        });
        Processes.await("the manual decision recorded", WAIT, () -> {
            JsonNode d = admin.get("/api/v1/services/" + serviceId + "/autoscaling/decisions?limit=5")
                    .body();
            for (JsonNode x : d) {
                if ("manual".equals(x.path("rule").asText())) {
                    return true;
                }
            }
            return false;
        });
        admin.delete("/api/v1/services/" + serviceId + "/autoscaling").expect(204);
        assertEquals(
                404,
                admin.delete("/api/v1/services/" + serviceId + "/autoscaling").status());
    }

    // --- helpers -------------------------------------------------------------------------

    private static int replicasOf(JsonNode service) {
        return service.path("containers").path("replicas").asInt(-1);
    }

    /** Running containers of this agent, from Docker. */
    private List<String> containers() {
        try {
            Process p = new ProcessBuilder(
                            "docker",
                            "ps",
                            "-q",
                            "--filter",
                            "label=fleetgate.agent=" + agentId,
                            "--filter",
                            "status=running")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static int docker(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        return p.waitFor();
    }

    /** An answer of nginx: status and the replica that served it. */
    private record Answer(int status, String replica, String text) {}

    /** GET through the agent's nginx with the service's Host (one connection per request). */
    private static Answer get(String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + HOST + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            int head = text.indexOf("\r\n\r\n");
            String replica = null;
            for (String line : text.substring(0, Math.max(head, 0)).split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).equalsIgnoreCase("X-Replica")) {
                    replica = line.substring(colon + 1).strip();
                }
            }
            return new Answer(
                    Integer.parseInt(text.substring(9, 12)), replica, text.substring(0, Math.min(text.length(), 300)));
        } catch (IOException | RuntimeException e) {
            return new Answer(-1, null, e.toString());
        }
    }

    /** Clients calling {@code /api/data?delay=20} without pause; counts answers and the replicas seen. */
    private static final class Load implements AutoCloseable {
        final AtomicLong ok = new AtomicLong();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(int clients) {
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(
                        () -> {
                            while (running.get()) {
                                Answer a = get("/api/data?delay=20");
                                if (a.status == 200) {
                                    ok.incrementAndGet();
                                    if (a.replica != null) {
                                        seen.add(a.replica);
                                    }
                                } else {
                                    failures.add(a.status + " " + a.text);
                                }
                            }
                        },
                        "autoscaling-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        List<String> failures() {
            return List.copyOf(failures);
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
