package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * Containers end to end: a service with managed containers (the demo image) created through the
 * core's REST API runs on the agent's Docker engine behind the agent's nginx. Scaling through
 * {@code PUT /services/{id}/replicas} under load loses no request; a killed replica is replaced;
 * a restarted agent adopts its replicas; container logs come through the core API.
 * Ports 19900–19999: core 19900–19903, nginx 19910 (http), 19911 (https), 19912 (admin),
 * replicas 19920–19999.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainersE2EIT {
    private static final int CORE = 19900;
    private static final int HTTP = 19910;
    private static final int ADMIN = 19912;
    private static final String HOST = "demo.containers.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(60);

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
        assertEquals(0, docker("version").exit(), "a running Docker engine is required");
        Path root = Path.of(System.getProperty("fleetgate.root", "../.."));
        Process build = new ProcessBuilder(
                        "bash", root.resolve("scripts/demo-image.sh").toString())
                .inheritIO()
                .start();
        assertEquals(0, build.waitFor(), "scripts/demo-image.sh");

        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("containers-" + System.currentTimeMillis());
        Files.createDirectories(work);
        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE, db, Map.of("syncIntervalSeconds", "5"));
        core.start();
        admin = core.admin();
        agent = new AgentProcess(work);
        agent.proxyPorts(HTTP, 19911, ADMIN);
        Files.writeString(
                work.resolve("agent/etc/dev.fleetgate.agent.docker.cfg"),
                "# written by ContainersE2EIT\n"
                        + "portRangeStart = 19920\nportRangeEnd = 19999\nbindAddress = 127.0.0.1\n"
                        + "reconcileIntervalSeconds = 2\ndrainMillis = 2000\nstopTimeoutSeconds = 5\n");
    }

    @AfterAll
    void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (agent != null) {
            agent.stopNginx();
        }
        if (agentId != null) {
            for (String id : containerIds()) {
                docker("rm", "-f", id);
            }
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
    void agentEnrolsAndReportsItsDockerEngine() throws Exception {
        String token = admin.post("/api/v1/agents/enrollment-tokens", Map.of("name", "containers-e2e"))
                .expect(201)
                .body()
                .get("token")
                .asText();
        agent.start(core.url(), "containers-e2e", token);
        agentId = agent.awaitOnline(admin, "containers-e2e", WAIT);
        Processes.await(
                "the agent's nginx on " + HTTP,
                WAIT,
                () -> get("nobody.e2e.test", "/").status() == 404);
        Processes.await(
                "the container list of the agent",
                WAIT,
                () -> admin.get("/api/v1/agents/" + agentId + "/containers").status() == 200);
    }

    @Test
    @Order(2)
    void aServiceWithContainersIsServedByItsReplica() {
        JsonNode created = admin.post("/api/v1/services", service()).expect(201).body();
        serviceId = created.get("id").asText();
        Processes.await("the demo replica behind nginx", WAIT, () -> {
            Reply r = get(HOST, "/");
            return r.status() == 200 && r.body().contains("Fleetgate demo");
        });
        assertEquals(1, containerIds().size());
        Processes.await(
                "the replica in the agent's container list",
                WAIT,
                () -> managed().size() == 1);
        JsonNode c = managed().get(0);
        assertEquals(serviceId, c.path("serviceId").asText());
        assertEquals("running", c.path("state").asText());
    }

    @Test
    @Order(3)
    void scalingOneThreeOneUnderLoadLosesNoRequest() throws Exception {
        try (Load load = new Load(4)) {
            Processes.await("load flowing", WAIT, () -> load.ok.get() > 50);
            admin.put("/api/v1/services/" + serviceId + "/replicas", Map.of("replicas", 3))
                    .expect(200);
            Processes.await(
                    "3 replicas serving",
                    WAIT,
                    () -> load.replicasSince(3) && containerIds().size() == 3);
            long atThree = load.ok.get();
            admin.put("/api/v1/services/" + serviceId + "/replicas", Map.of("replicas", 1))
                    .expect(200);
            Processes.await("back to 1 replica", WAIT, () -> containerIds().size() == 1);
            load.seen.clear();
            long mark = load.ok.get();
            Processes.await("traffic after scaling down", WAIT, () -> load.ok.get() > mark + 100);
            load.stop();
            assertEquals(List.of(), load.failures(), "failed requests while scaling (" + load.ok.get() + " ok)");
            assertTrue(atThree > 0 && load.seen.size() == 1, "one replica answers now: " + load.seen);
            System.out.println("scale 1 -> 3 -> 1 under load: " + load.ok.get() + " requests, 0 failed");
        }
    }

    @Test
    @Order(4)
    void aKilledReplicaIsReplacedAndTrafficFlows() {
        admin.put("/api/v1/services/" + serviceId + "/replicas", Map.of("replicas", 2))
                .expect(200);
        Processes.await("2 replicas ready", WAIT, () -> containerIds().size() == 2 && readyReplicas() == 2);
        String victim = containerIds().get(1);
        assertEquals(0, docker("kill", victim).exit());
        Processes.await("the killed replica replaced", WAIT, () -> {
            List<String> ids = containerIds();
            return ids.size() == 2 && !ids.contains(victim) && readyReplicas() == 2;
        });
        Set<String> replicas = new HashSet<>();
        Processes.await("both replicas answer through nginx", WAIT, () -> {
            Reply r = get(HOST, "/api/status");
            if (r.status() == 200) {
                replicas.add(r.replica());
            }
            return replicas.size() == 2;
        });
    }

    @Test
    @Order(5)
    void aRestartedAgentAdoptsItsReplicasWithoutDuplicates() throws Exception {
        Set<String> before = new HashSet<>(containerIds());
        assertEquals(2, before.size());
        long applied = appliedContainerSections();
        agent.close();
        agent.start(core.url(), "containers-e2e", null);
        // the core still holds the old process's report: wait for the new process's first sync
        Processes.await(
                "the restarted agent synced (it applies the containers section again)",
                WAIT,
                () -> appliedContainerSections() > applied);
        Processes.await("replicas reported ready again", WAIT, () -> readyReplicas() == 2);
        Processes.await(
                "served through nginx", WAIT, () -> get(HOST, "/api/status").status() == 200);
        assertEquals(before, new HashSet<>(containerIds()), "same containers: none added, none replaced");
    }

    @Test
    @Order(6)
    void containerLogsComeThroughTheCoreApi() {
        String container = managed().get(0).path("id").asText();
        String base = "/api/v1/agents/" + agentId + "/containers/" + container + "/logs";
        JsonNode tail = admin.get(base + "?tail=5").expect(200).body();
        assertTrue(tail.path("lines").size() > 0 && tail.path("lines").size() <= 5, tail.toString());
        String marker = "marker-" + UUID.randomUUID();
        Processes.await("a request with the marker reaches " + container, WAIT, () -> {
            get(HOST, "/" + marker);
            JsonNode page = admin.get(base + "?cursor=" + tail.path("cursor").asText() + "&filter=" + marker)
                    .expect(200)
                    .body();
            return page.path("lines").size() > 0;
        });
        JsonNode page = admin.get(base + "?cursor=" + tail.path("cursor").asText() + "&filter=" + marker)
                .expect(200)
                .body();
        for (JsonNode line : page.path("lines")) {
            assertTrue(line.path("text").asText().contains(marker), line.toString());
            assertEquals("stdout", line.path("stream").asText());
        }
        assertEquals(
                404,
                admin.get("/api/v1/agents/" + agentId + "/containers/fg-no-such-container/logs")
                        .status());
    }

    @Test
    @Order(7)
    void replicasRunHardenedSecretsAreWriteOnlyAndOnlyAdminsMayLoosenAnything() {
        // the replica the demo service runs: no capability, no new privileges (and the demo app serves with them)
        JsonNode inspect = Api.JSON.createObjectNode();
        try {
            inspect = Api.JSON
                    .readTree(docker("inspect", containerIds().get(0)).out())
                    .get(0);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        assertEquals("[\"ALL\"]", inspect.path("HostConfig").path("CapDrop").toString());
        assertEquals(
                "[\"no-new-privileges\"]",
                inspect.path("HostConfig").path("SecurityOpt").toString());
        assertEquals(200, get(HOST, "/health").status());

        // a secret variable reaches the replica but no read shows it, to no role
        ObjectNode body = service();
        ((ObjectNode) body.get("containers")).putObject("secretEnv").put("DEMO_SECRET", "e2e-secret-value");
        JsonNode updated =
                admin.put("/api/v1/services/" + serviceId, body).expect(200).body();
        assertEquals(
                "{\"DEMO_SECRET\":{\"set\":true}}",
                updated.path("containers").path("secretEnv").toString());
        admin.post(
                        "/api/v1/users",
                        Map.of("username", "otto", "password", "operator-password-1", "roles", List.of("operator")))
                .expect(201);
        Api operator = core.api().login("otto", "operator-password-1");
        String read =
                operator.get("/api/v1/services/" + serviceId).expect(200).body().toString();
        assertFalse(read.contains("e2e-secret-value") || read.contains("v1:"), read);
        Processes.await("a replica with the secret in its environment", WAIT, () -> {
            List<String> ids = containerIds();
            return ids.size() == 1
                    && docker("inspect", "--format", "{{json .Config.Env}}", ids.get(0))
                            .out()
                            .contains("DEMO_SECRET=e2e-secret-value")
                    && get(HOST, "/health").status() == 200;
        });
        // an operator's update giving the read shape back keeps the secret
        ((ObjectNode) body.get("containers"))
                .putObject("secretEnv")
                .putObject("DEMO_SECRET")
                .put("set", true);
        operator.put("/api/v1/services/" + serviceId, body).expect(200);

        // only an admin may add capabilities or allow a reserved port; nobody may target link-local addresses
        ObjectNode caps = service().put("name", "caps");
        caps.putArray("domains").add("caps.e2e.test");
        ((ObjectNode) caps.get("containers")).putArray("capAdd").add("NET_BIND_SERVICE");
        Api.Response refused = operator.post("/api/v1/services", caps);
        assertEquals(400, refused.status(), refused.body().toString());
        assertEquals(
                "containers.capAdd",
                refused.body().path("errors").get(0).path("field").asText());
        ObjectNode reserved = service().put("name", "reserved");
        reserved.putArray("domains").add("reserved.e2e.test");
        reserved.remove("containers");
        ((ObjectNode) reserved.get("upstream"))
                .putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", CORE);
        ObjectNode reservedCore = reserved.deepCopy();
        ((ObjectNode) reservedCore.get("upstream").get("targets").get(0)).put("port", 5432);
        Api.Response toPostgres = operator.post("/api/v1/services", reservedCore);
        assertEquals(400, toPostgres.status(), toPostgres.body().toString());
        assertEquals(
                "upstream.targets[0]",
                toPostgres.body().path("errors").get(0).path("field").asText());
        Api.Response operatorUnsafe =
                operator.post("/api/v1/services", reservedCore.deepCopy().put("allowUnsafeTargets", true));
        assertEquals(
                "allowUnsafeTargets",
                operatorUnsafe.body().path("errors").get(0).path("field").asText());
        ObjectNode metadata = reserved.deepCopy().put("allowUnsafeTargets", true);
        ((ObjectNode) metadata.get("upstream").get("targets").get(0))
                .put("host", "169.254.169.254")
                .put("port", 80);
        assertEquals(400, admin.post("/api/v1/services", metadata).status());
        reservedCore.putArray("agentIds"); // placed nowhere: only the validation is under test
        admin.post("/api/v1/services", reservedCore.put("allowUnsafeTargets", true))
                .expect(201);

        // logs: only of managed containers, unless an admin asks for others
        String base = "/api/v1/agents/" + agentId + "/containers/";
        assertEquals(
                403,
                operator.get(base + containerIds().get(0) + "/logs?unmanaged=true")
                        .status());
        operator.get(base + containerIds().get(0) + "/logs?tail=1").expect(200);
    }

    // --- helpers -------------------------------------------------------------------------

    private ObjectNode service() {
        ObjectNode s = Api.JSON.createObjectNode().put("name", "demo");
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
        ObjectNode c =
                s.putObject("containers").put("image", "fleetgate/demo:latest").put("replicas", 1);
        c.putObject("env").put("DELAY_MS", "1");
        return s;
    }

    private List<JsonNode> managed() {
        List<JsonNode> list = new ArrayList<>();
        for (JsonNode c : admin.get("/api/v1/agents/" + agentId + "/containers")
                .expect(200)
                .body()) {
            if (serviceId != null && serviceId.equals(c.path("serviceId").asText())) {
                list.add(c);
            }
        }
        return list;
    }

    private int readyReplicas() {
        int ready = 0;
        for (JsonNode c : managed()) {
            ready += c.path("ready").asBoolean(false) ? 1 : 0;
        }
        return ready;
    }

    /** @return how many times the agent log says it applied a containers section */
    private long appliedContainerSections() {
        try (var lines = Files.lines(agent.log())) {
            return lines.filter(l -> l.contains("section containers revision") && l.endsWith("applied"))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Running containers that this agent manages, from Docker itself. */
    private List<String> containerIds() {
        Exec ps = docker(
                "ps", "-q", "--no-trunc", "--filter", "label=fleetgate.agent=" + agentId, "--filter", "status=running");
        return Arrays.stream(ps.out().split("\\s+"))
                .filter(s -> !s.isBlank())
                .sorted()
                .toList();
    }

    private record Exec(int exit, String out) {}

    private static Exec docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Exec(p.waitFor(), out);
        } catch (IOException e) {
            return new Exec(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(-1, e.toString());
        }
    }

    private record Reply(int status, String body, String replica) {}

    /** One request on its own connection, with a Host header (java.net.http refuses to set Host). */
    private static Reply get(String host, String path) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String replica = null;
            for (String line : text.substring(0, Math.max(0, end)).split("\r\n")) {
                if (line.regionMatches(true, 0, "X-Replica:", 0, 10)) {
                    replica = line.substring(10).trim();
                }
            }
            return new Reply(Integer.parseInt(text.split(" ", 3)[1]), end < 0 ? "" : text.substring(end + 4), replica);
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, e.toString(), null);
        }
    }

    /** Clients sending GET /api/data through nginx without pause, counting answers. */
    private static final class Load implements AutoCloseable {
        final AtomicLong ok = new AtomicLong();
        final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final List<String> failures = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(int clients) {
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(this::run, "e2e-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void run() {
            while (running.get()) {
                Reply r = get(HOST, "/api/data?delay=2");
                if (r.status() == 200) {
                    ok.incrementAndGet();
                    if (r.replica() != null) {
                        seen.add(r.replica());
                    }
                } else {
                    synchronized (failures) {
                        failures.add(r.status() + " " + r.body().strip());
                    }
                }
            }
        }

        boolean replicasSince(int n) {
            return seen.size() >= n;
        }

        List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(15_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
