package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Module 7 end to end: the agent distribution collects the host, a running container, a JSON
 * and a Prometheus endpoint and a remotely deployed plugin; the core stores them and answers
 * {@code /api/v1/metrics/query}; while the core is down for six collection intervals the agent buffers and
 * then delivers every sample. The core sends the agent a {@value #INTERVAL_SECONDS} s collection interval (10 s by
 * default). Needs PostgreSQL and the Docker engine (fails without them).
 * Ports 20150–20179. Keeps a core of its own (not the shared {@link Fleet}): it stops the core for an outage and
 * starts it again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsE2EIT {
    private static final int CORE_PORTS = 20150;
    private static final int JSON_PORT = 20160;
    private static final int PROMETHEUS_PORT = 20161;
    private static final int PROXY_HTTP = 20170;
    private static final int PROXY_HTTPS = 20171;
    private static final int PROXY_ADMIN = 20172;
    private static final int INTERVAL_SECONDS = 5;
    /** The sample plugin's own interval ({@code EntropySource}: {@code MetricSource.INTERVAL} 10). */
    private static final int PLUGIN_INTERVAL_SECONDS = 10;
    /** How long the core is down: six collection intervals. */
    private static final int OUTAGE_SECONDS = 6 * INTERVAL_SECONDS;

    private static final String LABEL = "fleetgate.test=metrics-e2e";
    private static final String IMAGE = "fleetgate-metrics-test/busybox:latest";
    private static final String CONTAINER = "fgm-e2e-busy";

    private Path work;
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private Api admin;
    private String agentId;
    private HttpServer endpoints;
    private final long started = System.currentTimeMillis();

    @BeforeAll
    void start() throws Exception {
        work = Files.createDirectories(Path.of("target/e2e").toAbsolutePath())
                .resolve("metrics-" + System.currentTimeMillis());
        Files.createDirectories(work);
        removeContainers();
        ensureImage();
        docker(
                "run",
                "-d",
                "--init",
                "--network",
                "host",
                "--label",
                LABEL,
                "--name",
                CONTAINER,
                IMAGE,
                "sh",
                "-c",
                "while true; do :; done");
        endpoints = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), JSON_PORT), 0);
        endpoints.createContext(
                "/status",
                exchange ->
                        reply(exchange, "{\"cpu\": 60, \"mem\": \"30%\", \"disk\": \"43%\", \"uptime\": \"1d 2h\"}"));
        endpoints.start();
        HttpServer prometheus =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), PROMETHEUS_PORT), 0);
        prometheus.createContext("/metrics", exchange -> reply(exchange, """
                # TYPE e2e_jobs_total counter
                e2e_jobs_total{queue="mail"} 42
                # TYPE e2e_latency_seconds histogram
                e2e_latency_seconds_bucket{le="0.1"} 7
                e2e_latency_seconds_bucket{le="+Inf"} 9
                e2e_latency_seconds_count 9
                """));
        prometheus.start();
        servers.add(prometheus);

        db = TestDatabase.create();
        core = CoreProcess.install(work, CORE_PORTS, db, Map.of("syncIntervalSeconds", "5"));
        core.configure("dev.fleetgate.metrics", Map.of("intervalSeconds", String.valueOf(INTERVAL_SECONDS)));
        core.start();
        admin = core.admin();
        agent = new AgentProcess(work).proxyPorts(PROXY_HTTP, PROXY_HTTPS, PROXY_ADMIN);
        agentId = agent.enrol(admin, core.url(), "metrics-e2e", Duration.ofSeconds(60));
    }

    private final List<HttpServer> servers = new ArrayList<>();

    @AfterAll
    void stop() throws Exception {
        Processes.stopAll(agent, core, db);
        if (endpoints != null) {
            endpoints.stop(0);
        }
        servers.forEach(s -> s.stop(0));
        removeContainers();
    }

    @Test
    @Order(1)
    void hostAndContainerSeriesAreStoredAndQueried() throws Exception {
        JsonNode cpu = awaitSeries("host_cpu_usage_percent", Map.of("cpu", "total"), started, Duration.ofSeconds(60));
        double value = lastValue(cpu);
        assertTrue(value >= 0 && value <= 100, "host CPU " + value);
        assertEquals(agentId, cpu.at("/labels/agent").asText(), "the core labels the agent");

        JsonNode memory = awaitSeries("host_memory_total_bytes", Map.of(), started, Duration.ofSeconds(30));
        long memTotal = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memTotal = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        assertEquals(memTotal, lastValue(memory), 0.0, "same host");
        awaitSeries("host_memory_used_bytes", Map.of(), started, Duration.ofSeconds(30));

        JsonNode containerCpu = awaitSeries(
                "container_cpu_usage_percent", Map.of("container", CONTAINER), started, Duration.ofSeconds(60));
        assertTrue(lastValue(containerCpu) > 10, "a busy loop uses CPU: " + containerCpu);
        JsonNode containerMemory = awaitSeries(
                "container_memory_used_bytes", Map.of("container", CONTAINER), started, Duration.ofSeconds(30));
        assertTrue(lastValue(containerMemory) > 0);
    }

    @Test
    @Order(2)
    void jsonAndPrometheusEndpointsOfServicesAppearAsSeries() {
        String json = createService("e2e-json", JSON_PORT);
        String prom = createService("e2e-prom", PROMETHEUS_PORT);
        admin.put("/api/v1/metrics/scrapes/" + json, Map.of("format", "json", "path", "/status", "intervalSeconds", 5))
                .expect(200);
        admin.put(
                        "/api/v1/metrics/scrapes/" + prom,
                        Map.of("format", "prometheus", "path", "/metrics", "intervalSeconds", 5))
                .expect(200);
        long since = System.currentTimeMillis() - 1_000;
        JsonNode cpu = awaitSeries("custom_cpu", Map.of("service", json), since, Duration.ofSeconds(60));
        assertEquals(60, lastValue(cpu), 0.0);
        assertEquals("127.0.0.1:" + JSON_PORT, cpu.at("/labels/target").asText());
        assertEquals(
                30, lastValue(awaitSeries("custom_mem", Map.of("service", json), since, Duration.ofSeconds(20))), 0.0);
        assertEquals(
                93_600,
                lastValue(awaitSeries("custom_uptime", Map.of("service", json), since, Duration.ofSeconds(20))),
                0.0);
        JsonNode jobs =
                awaitSeries("e2e_jobs_total", Map.of("service", prom, "queue", "mail"), since, Duration.ofSeconds(60));
        assertEquals(42, lastValue(jobs), 0.0);
        JsonNode bucket = awaitSeries(
                "e2e_latency_seconds_bucket", Map.of("service", prom, "le", "+Inf"), since, Duration.ofSeconds(20));
        assertEquals(9, lastValue(bucket), 0.0);
    }

    @Test
    @Order(3)
    void aPluginDeployedRemotelyReportsWithinTwoIntervals() throws Exception {
        Path jar = Path.of(System.getProperty("fleetgate.dist", "target/dist")).resolve("sample-plugin.jar");
        JsonNode bundle = admin.upload("/api/v1/bundles", jar).expect(201).body();
        assertEquals("dev.fleetgate.agent.sample", bundle.get("symbolicName").asText());
        admin.post(
                        "/api/v1/bundles/" + bundle.get("id").asText() + "/deployments",
                        Map.of("agentIds", List.of(agentId)))
                .expect(200);
        Processes.await("sample plugin ACTIVE on the agent", Duration.ofSeconds(60), () -> {
            for (JsonNode b :
                    admin.get("/api/v1/agents/" + agentId + "/bundles").body()) {
                if ("dev.fleetgate.agent.sample".equals(b.path("symbolicName").asText())) {
                    return "ACTIVE".equals(b.path("state").asText());
                }
            }
            return false;
        });
        long active = System.currentTimeMillis();
        // two collection intervals, plus the time a batch takes to reach the core (one sync)
        JsonNode entropy = awaitSeries(
                "sample_entropy_available_bits",
                Map.of(),
                active - 5_000,
                Duration.ofSeconds(2L * PLUGIN_INTERVAL_SECONDS + 5));
        assertTrue(lastValue(entropy) >= 0);
        assertTrue(lastValue(awaitSeries("sample_open_files", Map.of(), active - 5_000, Duration.ofSeconds(10))) > 0);
        System.out.println("plugin ACTIVE -> first sample queryable: " + (System.currentTimeMillis() - active) + " ms");
    }

    @Test
    @Order(4)
    void samplesCollectedWhileTheCoreIsDownArriveAfterItsRestart() throws Exception {
        awaitSeries("host_memory_total_bytes", Map.of(), System.currentTimeMillis() - 15_000, Duration.ofSeconds(30));
        long down = System.currentTimeMillis();
        core.stop();
        long until = down + OUTAGE_SECONDS * 1000L;
        while (System.currentTimeMillis() < until) {
            Thread.sleep(1_000); // the outage itself (not synchronisation): the agent keeps collecting
        }
        long restarted = System.currentTimeMillis();
        core.start();
        admin = core.admin();
        // every interval of the outage must be there, once the buffer is replayed
        int expected = (int) ((restarted - down) / 1000 / INTERVAL_SECONDS) - 1;
        List<Long> times = new ArrayList<>();
        Processes.await(expected + " points of the outage for host_memory_total_bytes", Duration.ofSeconds(90), () -> {
            times.clear();
            JsonNode series = query("host_memory_total_bytes", Map.of(), down, restarted, "1s");
            for (JsonNode s : series) {
                s.get("points").forEach(p -> times.add(p.get(0).asLong()));
            }
            return times.size() >= expected;
        });
        times.sort(null);
        for (int i = 1; i < times.size(); i++) {
            long gap = times.get(i) - times.get(i - 1);
            assertTrue(
                    gap <= 2L * INTERVAL_SECONDS * 1000 - 1000,
                    "no interval lost during the outage: gap " + gap + " ms in " + times);
        }
        System.out.println("outage " + (restarted - down) / 1000 + " s: " + times.size()
                + " points of host_memory_total_bytes delivered after the restart");
    }

    // --- helpers ---

    private String createService(String name, int port) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("domains", List.of(name + ".e2e.test"));
        body.put("agentIds", List.of(agentId));
        body.put("upstream", Map.of("targets", List.of(Map.of("host", "127.0.0.1", "port", port, "weight", 1))));
        return admin.post("/api/v1/services", body).expect(201).body().get("id").asText();
    }

    /** Series of {@code name} matching {@code labels} (plus this agent) between the times, at {@code step}. */
    private JsonNode query(String name, Map<String, String> labels, long from, long to, String step) {
        StringBuilder path = new StringBuilder("/api/v1/metrics/query?name=")
                .append(name)
                .append("&from=")
                .append(from)
                .append("&to=")
                .append(to)
                .append("&step=")
                .append(step)
                .append("&agent=")
                .append(agentId);
        labels.forEach(
                (k, v) -> path.append('&').append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return admin.get(path.toString()).expect(200).body().get("series");
    }

    /** Waits for a series with at least one point since {@code from}; returns it. */
    private JsonNode awaitSeries(String name, Map<String, String> labels, long from, Duration timeout) {
        JsonNode[] found = new JsonNode[1];
        Processes.await(name + labels + " in /api/v1/metrics/query (agent log " + agent.log() + ")", timeout, () -> {
            for (JsonNode s : query(name, labels, from, System.currentTimeMillis() + 1_000, "10s")) {
                if (s.get("points").size() > 0) {
                    found[0] = s;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    private static double lastValue(JsonNode series) {
        JsonNode points = series.get("points");
        return points.get(points.size() - 1).get(1).asDouble();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private static String docker(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(
                    "docker " + String.join(" ", args) + " failed (is the Docker engine running?): " + out);
        }
        return out;
    }

    /** The busybox image of the metrics tests, built from the host's busybox-static (no registry here). */
    private static void ensureImage() throws Exception {
        if (!docker("images", "-q", IMAGE).isEmpty()) {
            return;
        }
        Path dir = Files.createTempDirectory("fg-busybox");
        Files.copy(Path.of("/bin/busybox"), dir.resolve("busybox"));
        Files.writeString(
                dir.resolve("Dockerfile"),
                "FROM scratch\nCOPY busybox /bin/busybox\n" + "RUN [\"/bin/busybox\",\"--install\",\"-s\",\"/bin\"]\n");
        docker("build", "-q", "--label", "fleetgate.test=metrics", "-t", IMAGE, dir.toString());
    }

    private static void removeContainers() throws Exception {
        String ids = docker("ps", "-aq", "--filter", "label=" + LABEL);
        if (!ids.isEmpty()) {
            List<String> args = new ArrayList<>(List.of("rm", "-f"));
            args.addAll(List.of(ids.split("\\s+")));
            docker(args.toArray(String[]::new));
        }
    }
}
