package dev.fleetgate.agent.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentServiceObjects;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.MetricsOutbox;
import dev.fleetgate.agent.ServiceEndpoints;
import dev.fleetgate.agent.sdk.MetricSource;

/** The component as a POJO: collects this machine every second, runs a plugin source and scrapes, buffers batches. */
class MetricsAgentTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger syncRequests = new AtomicInteger();
    private final List<HttpServer> servers = new ArrayList<>();
    private MetricsAgent agent;

    @TempDir
    Path state;

    @AfterEach
    void stop() {
        if (agent != null) {
            agent.deactivate();
        }
        servers.forEach(s -> s.stop(0));
    }

    static MetricsConfig config(Map<String, Object> values) {
        return (MetricsConfig) Proxy.newProxyInstance(
                MetricsConfig.class.getClassLoader(),
                new Class<?>[] {MetricsConfig.class},
                (proxy, method, args) -> method.getName().equals("annotationType")
                        ? MetricsConfig.class
                        : values.getOrDefault(method.getName(), method.getDefaultValue()));
    }

    private AgentContext context() {
        return new AgentContext() {
            public String agentId() {
                return "agent-1";
            }

            public URI coreUrl() {
                return URI.create("http://127.0.0.1:1");
            }

            public String name() {
                return "web-1";
            }

            public String role() {
                return "host";
            }

            public Path stateDir() {
                return state;
            }

            public InputStream download(String relativeUrl) {
                throw new UnsupportedOperationException();
            }

            public void requestSync() {
                syncRequests.incrementAndGet();
            }
        };
    }

    private MetricsAgent start() throws Exception {
        agent = new MetricsAgent(
                context(),
                config(Map.of(
                        "intervalSeconds",
                        1,
                        "dockerHost",
                        "unix://" + state.resolve("no-docker.sock"),
                        "adminPort",
                        1)));
        return agent;
    }

    /** Polls batches (acknowledging them) until one holds a series matching, within 15 s. */
    private JsonNode awaitSeries(Predicate<JsonNode> matching) throws InterruptedException {
        long end = System.nanoTime() + 15_000_000_000L;
        while (System.nanoTime() < end) {
            MetricsOutbox.Batch batch = agent.poll();
            if (batch == null) {
                Thread.sleep(50);
                continue;
            }
            agent.acknowledge(batch);
            for (JsonNode series : batch.series()) {
                if (matching.test(series)) {
                    return series;
                }
            }
        }
        throw new AssertionError("no matching series within 15 s");
    }

    private static Predicate<JsonNode> named(String name, String label, String value) {
        return s -> s.path("name").asText().equals(name)
                && (label == null || s.path("labels").path(label).asText().equals(value));
    }

    private int serve(String path, String body) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }

    @Test
    void collectsTheHostAndAsksForASyncWhenABatchIsReady() throws Exception {
        start();
        JsonNode memory = awaitSeries(named("host_memory_total_bytes", null, null));
        assertTrue(memory.at("/points/0/1").asDouble() > 0);
        assertTrue(memory.at("/points/0/0").asLong() > 1_700_000_000_000L, "epoch millis");
        awaitSeries(named("host_cpu_usage_percent", "cpu", "total"));
        awaitSeries(named("agent_metrics_dropped_total", null, null));
        assertTrue(syncRequests.get() > 0);
        JsonNode status = agent.status();
        assertEquals(1, status.get("intervalSeconds").asInt());
        assertTrue(status.at("/errors/containers").asText().contains("no-docker.sock"), status.toString());
        assertTrue(status.at("/errors/nginx").asText().contains("127.0.0.1:1"), status.toString());
    }

    @Test
    void runsPluginSourcesAtTheirInterval() throws Exception {
        start();
        MetricSource source = sink -> sink.gauge("sample_entropy_available_bits", 256, "pool", "input");
        Map<String, Object> props =
                new HashMap<>(Map.of("service.id", 42L, MetricSource.NAME, "sample", MetricSource.INTERVAL, 1));
        agent.addSource(objects(source), props);
        JsonNode series = awaitSeries(named("sample_entropy_available_bits", "pool", "input"));
        assertEquals(256, series.at("/points/0/1").asDouble());
        MetricSource failing = sink -> {
            throw new IllegalStateException("no such file");
        };
        agent.addSource(objects(failing), Map.of("service.id", 43L, MetricSource.NAME, "broken"));
        JsonNode errors = awaitSeries(named("agent_metric_source_errors_total", "source", "broken")
                .and(s -> s.at("/points/0/1").asDouble() > 0));
        assertTrue(errors.at("/points/0/1").asDouble() >= 1);
        JsonNode sources = agent.status().get("sources");
        assertTrue(sources.toString().contains("\"error\":\"no such file\""), sources.toString());
        agent.removeSource(objects(source), props);
        assertEquals(1, agent.status().get("sources").size());
    }

    @Test
    void scrapesTheSectionsTargetsAndTheServicesContainerEndpoints() throws Exception {
        start();
        int json = serve("/status", "{\"cpu\": 60, \"mem\": \"30%\"}");
        int prom = serve("/metrics", "jobs_total{queue=\"mail\"} 42\n");
        agent.addEndpoints(() -> Map.of("svc-p", List.of(new ServiceEndpoints.Endpoint("c1", "127.0.0.1", prom, 1))));
        agent.apply(
                3,
                mapper.readTree(
                        "{\"intervalSeconds\": 2, \"scrapes\": ["
                                + "{\"serviceId\": \"svc-j\", \"format\": \"json\", \"path\": \"/status\", \"intervalSeconds\": 1,"
                                + " \"targets\": [{\"host\": \"127.0.0.1\", \"port\": " + json + "}]},"
                                + "{\"serviceId\": \"svc-p\", \"format\": \"prometheus\", \"path\": \"/metrics\", \"intervalSeconds\": 1, \"targets\": []}]}"));
        JsonNode cpu = awaitSeries(named("custom_cpu", "service", "svc-j"));
        assertEquals("127.0.0.1:" + json, cpu.at("/labels/target").asText());
        assertEquals(60, cpu.at("/points/0/1").asDouble());
        JsonNode jobs = awaitSeries(named("jobs_total", "service", "svc-p"));
        assertEquals("127.0.0.1:" + prom, jobs.at("/labels/target").asText(), "the container endpoint was scraped");
        assertEquals("mail", jobs.at("/labels/queue").asText());
        JsonNode status = agent.status();
        assertEquals(3, status.get("revision").asLong());
        assertEquals(2, status.get("intervalSeconds").asInt());
        assertTrue(status.get("scrapes").toString().contains("\"up\":true"));
        assertThrows(
                IllegalArgumentException.class, () -> agent.apply(4, mapper.readTree("{\"intervalSeconds\": -1}")));
        assertEquals(3, agent.status().get("revision").asLong(), "a rejected revision changes nothing");
    }

    @Test
    void aStopKeepsUnsentBatchesOnDiskForTheNextStart() throws Exception {
        start();
        awaitSeries(named("host_memory_total_bytes", null, null));
        long end = System.nanoTime() + 15_000_000_000L;
        while (!agent.hasPending() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
        assertTrue(agent.hasPending());
        agent.deactivate();
        agent = null;
        try (Stream<Path> files = Files.list(state.resolve("metrics"))) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".json.gz")));
        }
        start();
        MetricsOutbox.Batch replayed = agent.poll();
        assertTrue(replayed != null && replayed.series().size() > 0, "replayed after the restart");
    }

    private static ComponentServiceObjects<MetricSource> objects(MetricSource source) {
        return new ComponentServiceObjects<>() {
            public MetricSource getService() {
                return source;
            }

            public void ungetService(MetricSource service) {}

            public ServiceReference<MetricSource> getServiceReference() {
                return null;
            }
        };
    }
}
