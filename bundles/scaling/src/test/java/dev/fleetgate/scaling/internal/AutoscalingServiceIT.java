package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.metrics.MetricSeries;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.MutableClock;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * The module's loop on a real PostgreSQL, fed metric batches as the metrics module posts them; the proxy module's
 * directory and the agent directory are in-memory doubles (their own modules test them).
 */
class AutoscalingServiceIT {
    private static final String AGENT = "11111111-1111-1111-1111-111111111111";
    private static final String AGENT2 = "22222222-2222-2222-2222-222222222222";
    private static TestDatabase db;
    private static AutoscalingStore store;

    private final Directory directory = new Directory();
    private final Map<String, AgentInfo.Status> agentStatus = new ConcurrentHashMap<>();
    private final List<Event> posted = new CopyOnWriteArrayList<>();
    private MutableClock clock;
    private AutoscalingService scaling;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        try (InputStream in =
                AutoscalingServiceIT.class.getClassLoader().getResourceAsStream("db/scaling/V1__scaling.sql")) {
            Migrations.apply(
                    db.dataSource(),
                    "scaling",
                    List.of(new Migration(1, "scaling", new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        }
        store = new AutoscalingStore(db.dataSource());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void setUp() {
        clock = new MutableClock(Instant.now());
        agentStatus.put(AGENT, AgentInfo.Status.ONLINE);
        agentStatus.put(AGENT2, AgentInfo.Status.ONLINE);
        AgentDirectory agents = new AgentDirectory() {
            @Override
            public List<AgentInfo> list() {
                return agentStatus.keySet().stream()
                        .map(a -> get(a).orElseThrow())
                        .toList();
            }

            @Override
            public Optional<AgentInfo> get(String id) {
                AgentInfo.Status s = agentStatus.get(id);
                return s == null
                        ? Optional.empty()
                        : Optional.of(
                                new AgentInfo(id, "web-" + id.charAt(0), "h", AgentInfo.Role.HOST, s, null, "1", null));
            }
        };
        EventAdmin events = new EventAdmin() {
            @Override
            public void postEvent(Event e) {
                posted.add(e);
            }

            @Override
            public void sendEvent(Event e) {
                posted.add(e);
            }
        };
        scaling = new AutoscalingService(store, directory, agents, events, clock, Executors.newSingleThreadExecutor());
    }

    @AfterEach
    void tearDown() {
        scaling.deactivate();
    }

    /** A batch as an agent's collectors make it: request rate and p95 of a service, one container's CPU. */
    private void batch(String agent, String serviceId, long at, double rps, double errorPercent) throws Exception {
        List<MetricSeries> series = new ArrayList<>();
        series.add(new MetricSeries(
                "service_requests_per_second",
                Map.of("agent", agent, "service", serviceId),
                new long[] {at},
                new double[] {rps}));
        series.add(new MetricSeries(
                "service_5xx_ratio_percent",
                Map.of("agent", agent, "service", serviceId),
                new long[] {at},
                new double[] {errorPercent}));
        series.add(new MetricSeries(
                "service_response_time_seconds",
                Map.of("agent", agent, "service", serviceId, "quantile", "0.95"),
                new long[] {at},
                new double[] {0.05}));
        series.add(new MetricSeries(
                "service_response_time_seconds",
                Map.of("agent", agent, "service", serviceId, "quantile", "0.5"),
                new long[] {at},
                new double[] {0.02}));
        series.add(new MetricSeries("host_cpu_count", Map.of("agent", agent), new long[] {at}, new double[] {4}));
        series.add(new MetricSeries(
                "container_cpu_usage_percent",
                Map.of("agent", agent, "service", serviceId, "container", "c1"),
                new long[] {at},
                new double[] {200}));
        scaling.handleEvent(
                new Event(Topics.METRICS_BATCH, Map.of("agentId", agent, "series", series, "points", series.size())));
        scaling.drain();
    }

    private ServiceDirectory.ServiceInfo service(int replicas, String... agents) {
        String id = UUID.randomUUID().toString();
        ServiceDirectory.ServiceInfo s = new ServiceDirectory.ServiceInfo(
                id, "shop-" + id.substring(0, 4), 1, List.of(), List.of(agents), List.of(), true, replicas, null, null);
        directory.byId.put(id, s);
        return s;
    }

    private Policy policy(JsonNode json) {
        Fields in = new Fields();
        Policy p = PolicyJson.read(json, in);
        in.check();
        return p;
    }

    private Policy policy(String json) throws Exception {
        return policy(PolicyJson.MAPPER.readTree(json));
    }

    @Test
    void loadScalesUpThroughTheDirectoryAndRecordsWhy() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT);
        scaling.put(s, policy("{\"minReplicas\":1,\"maxReplicas\":5,\"targets\":{\"rpsPerReplica\":50}}"));
        long t = clock.millis();
        batch(AGENT, s.id(), t, 30, 0);
        assertEquals(1, directory.byId.get(s.id()).replicas());
        clock.advance(Duration.ofSeconds(10));
        batch(AGENT, s.id(), t + 10_000, 180, 0);
        assertEquals(4, directory.byId.get(s.id()).replicas(), "ceil(1 × 180/50)");
        assertEquals(List.of(AutoscalingService.USER), directory.changedBy);

        List<AutoscalingStore.StoredDecision> ds = scaling.decisions(UUID.fromString(s.id()), 10);
        Decision up = ds.get(0).decision();
        assertEquals(1, up.from());
        assertEquals(4, up.to());
        assertEquals("rpsPerReplica", up.rule());
        assertTrue(up.reason().contains("180 req/s over 1 replica(s)"), up.reason());
        assertEquals(180.0, up.signals().get("rps"));
        assertEquals(50.0, up.signals().get("cpuPercent"), "200 % of one core on a 4-core host = 50 %");
        assertEquals(50.0, up.signals().get("p95Ms"));
        assertEquals(3.6, up.signals().get("inFlight"), "180 req/s × 20 ms");
        assertFalse(ds.get(1).decision().changed(), "the first sample's no-change is recorded too");
    }

    @Test
    void replayedBatchesAndOldSamplesDecideNothing() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT);
        scaling.put(s, policy("{\"minReplicas\":1,\"maxReplicas\":5,\"targets\":{\"rpsPerReplica\":50}}"));
        long t = clock.millis();
        batch(AGENT, s.id(), t, 30, 0);
        batch(AGENT, s.id(), t, 500, 0);
        batch(AGENT, s.id(), t - 10_000, 500, 0);
        assertEquals(1, directory.byId.get(s.id()).replicas(), "a batch not newer than the last is ignored");
        clock.advance(Duration.ofSeconds(40));
        batch(AGENT, s.id(), t + 1_000, 500, 0);
        assertEquals(1, directory.byId.get(s.id()).replicas());
        Decision d = scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision();
        assertEquals("stale", d.rule(), d.reason());
    }

    @Test
    void anOfflineAgentFreezesItsServices() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT, AGENT2);
        scaling.put(s, policy("{\"minReplicas\":1,\"maxReplicas\":10,\"targets\":{\"rpsPerReplica\":50}}"));
        long t = clock.millis();
        agentStatus.put(AGENT2, AgentInfo.Status.OFFLINE);
        scaling.handleEvent(new Event(Topics.AGENT_STATUS, Map.of("agentId", AGENT2, "status", "OFFLINE")));
        batch(AGENT, s.id(), t, 150, 0);
        assertEquals(1, directory.byId.get(s.id()).replicas());
        Decision d = scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision();
        assertEquals("frozen", d.rule());
        assertTrue(d.reason().contains("web-2 is offline"), d.reason());

        agentStatus.put(AGENT2, AgentInfo.Status.ONLINE);
        clock.advance(Duration.ofSeconds(10));
        batch(AGENT2, s.id(), t + 10_000, 100, 0);
        // 250 req/s over 2 replicas (1 per agent), target 50 → 5, spread ceil(5/2) = 3 per agent
        assertEquals(3, directory.byId.get(s.id()).replicas());
        Decision up = scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision();
        assertEquals(6, up.to());
        assertTrue(up.reason().contains("3 per agent on 2 agents"), up.reason());
    }

    @Test
    void theGuardHoldsAScaleUpIntoAFailingBackend() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT);
        scaling.put(
                s,
                policy("{\"minReplicas\":1,\"maxReplicas\":5,\"targets\":{\"rpsPerReplica\":50},"
                        + "\"max5xxPercent\":20}"));
        batch(AGENT, s.id(), clock.millis(), 500, 60);
        assertEquals(1, directory.byId.get(s.id()).replicas());
        assertEquals(
                "guard5xx",
                scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision().rule());
    }

    @Test
    void aManualChangePausesThePolicy() throws Exception {
        ServiceDirectory.ServiceInfo s = service(2, AGENT);
        scaling.put(
                s,
                policy("{\"minReplicas\":1,\"maxReplicas\":5,\"targets\":{\"rpsPerReplica\":50},"
                        + "\"manualPauseSeconds\":120}"));
        long t = clock.millis();
        batch(AGENT, s.id(), t, 100, 0);
        directory.byId.put(
                s.id(),
                new ServiceDirectory.ServiceInfo(
                        s.id(), s.name(), 2, List.of(), s.agentIds(), List.of(), true, 5, null, null));
        scaling.handleEvent(new Event(
                ServiceDirectory.TOPIC_CHANGED,
                Map.of("serviceId", s.id(), "action", "UPDATED", "revision", 2L, "changedBy", "alice")));
        scaling.drain();
        AutoscalingStore.StoredPolicy p =
                scaling.policy(UUID.fromString(s.id())).orElseThrow();
        assertEquals("alice", p.pausedBy());
        assertEquals(
                clock.instant().plusSeconds(120).toEpochMilli() / 1000,
                p.pausedUntil().toEpochMilli() / 1000);
        Decision manual = scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision();
        assertEquals("manual", manual.rule());
        assertEquals(2, manual.from());
        assertEquals(5, manual.to());
        assertTrue(manual.reason().contains("by alice: the policy pauses until"), manual.reason());

        clock.advance(Duration.ofSeconds(10));
        batch(AGENT, s.id(), t + 10_000, 10, 0);
        assertEquals(5, directory.byId.get(s.id()).replicas(), "paused: the manual count stays");
        assertEquals(
                "paused",
                scaling.decisions(UUID.fromString(s.id()), 1).get(0).decision().rule());

        clock.advance(Duration.ofSeconds(130));
        batch(AGENT, s.id(), t + 140_000, 600, 0);
        assertEquals(5, directory.byId.get(s.id()).replicas(), "at maxReplicas 5 after the pause");
        assertTrue(scaling.decisions(UUID.fromString(s.id()), 1)
                .get(0)
                .decision()
                .rule()
                .equals("max"));
    }

    @Test
    void atMaxForTenMinutesPostsAnAlertEvent() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT);
        scaling.put(s, policy("{\"minReplicas\":1,\"maxReplicas\":2,\"targets\":{\"rpsPerReplica\":50}}"));
        long t = clock.millis();
        for (int i = 0; i <= 62; i++) {
            batch(AGENT, s.id(), t + i * 10_000L, 1000, 0);
            clock.advance(Duration.ofSeconds(10));
        }
        Event e = posted.stream()
                .filter(p -> "scaling.at-max".equals(p.getProperty(AlertEvent.KIND)))
                .findFirst()
                .orElse(null);
        assertNotNull(e, "posted: " + posted);
        assertEquals(AlertEvent.FIRING, e.getProperty(AlertEvent.STATE));
        assertEquals(s.name(), e.getProperty(AlertEvent.SUBJECT));
        assertTrue(
                scaling.decisions(UUID.fromString(s.id()), 1000).size() < 10,
                "a repeated no-change is recorded at most every 5 minutes");
    }

    @Test
    void deletingTheServiceForgetsItsPolicy() throws Exception {
        ServiceDirectory.ServiceInfo s = service(1, AGENT);
        scaling.put(s, policy("{\"minReplicas\":1,\"maxReplicas\":2,\"targets\":{\"cpuPercent\":70}}"));
        batch(AGENT, s.id(), clock.millis(), 10, 0);
        assertFalse(scaling.decisions(UUID.fromString(s.id()), 10).isEmpty());
        scaling.handleEvent(new Event(
                ServiceDirectory.TOPIC_CHANGED, Map.of("serviceId", s.id(), "action", "DELETED", "revision", -1L)));
        scaling.drain();
        assertTrue(scaling.policy(UUID.fromString(s.id())).isEmpty());
        assertTrue(scaling.decisions(UUID.fromString(s.id()), 10).isEmpty());
    }

    @Test
    void policiesAreValidatedWithEveryField() throws Exception {
        Fields in = new Fields();
        PolicyJson.read(
                PolicyJson.MAPPER.readTree(
                        "{\"minReplicas\":0,\"maxReplicas\":\"x\",\"targets\":"
                                + "{\"rpsPerReplica\":-1,\"cpuPercent\":150,\"nope\":1},\"scaleToZeroAfterSeconds\":1,\"extra\":true}"),
                in);
        List<String> fields =
                in.errors().stream().map(FieldError::field).sorted().toList();
        assertEquals(
                List.of(
                        "extra",
                        "maxReplicas",
                        "minReplicas",
                        "scaleToZeroAfterSeconds",
                        "targets.cpuPercent",
                        "targets.nope",
                        "targets.rpsPerReplica"),
                fields);
        Fields none = new Fields();
        PolicyJson.read(PolicyJson.MAPPER.readTree("{\"minReplicas\":3,\"maxReplicas\":2}"), none);
        assertEquals(
                List.of("maxReplicas"),
                none.errors().stream().map(FieldError::field).toList());
        Fields noTarget = new Fields();
        PolicyJson.read(PolicyJson.MAPPER.readTree("{\"minReplicas\":1,\"maxReplicas\":2}"), noTarget);
        assertEquals(
                List.of("targets"),
                noTarget.errors().stream().map(FieldError::field).toList());

        Policy p = policy("{\"minReplicas\":1,\"maxReplicas\":3,\"targets\":{\"p95Ms\":200},\"max5xxPercent\":null}");
        assertEquals(p, policy(PolicyJson.write(p)), "the written form reads back the same");
        assertEquals(null, p.max5xxPercent());

        ServiceDirectory.ServiceInfo plain = new ServiceDirectory.ServiceInfo(
                UUID.randomUUID().toString(), "plain", 1, List.of(), List.of(AGENT), List.of(), false, 0);
        ApiException e = assertThrows(ApiException.class, () -> scaling.put(plain, p));
        assertEquals("enabled", e.errors().get(0).field());
    }

    /** The proxy module's directory, in memory: {@code setReplicas} changes the count as the module would. */
    static final class Directory implements ServiceDirectory {
        final Map<String, ServiceInfo> byId = new ConcurrentHashMap<>();
        final List<String> changedBy = new CopyOnWriteArrayList<>();

        @Override
        public List<ServiceInfo> services() {
            return List.copyOf(byId.values());
        }

        @Override
        public Optional<ServiceInfo> service(String id) {
            return Optional.ofNullable(id == null ? null : byId.get(id));
        }

        @Override
        public ServiceInfo setReplicas(String id, int replicas, String by) {
            ServiceInfo s = byId.get(id);
            ServiceInfo n = new ServiceInfo(
                    s.id(),
                    s.name(),
                    s.revision() + 1,
                    s.domains(),
                    s.agentIds(),
                    s.targets(),
                    true,
                    replicas,
                    s.tls(),
                    s.cpus());
            byId.put(id, n);
            changedBy.add(by);
            return n;
        }
    }
}
