package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.monitors.MonitorState;
import dev.fleetgate.persistence.testing.MutableClock;
import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * The runner on a real PostgreSQL, with an in-memory task service standing in for the agents:
 * due monitors become one task per online agent, results step the state through the
 * confirmations, DOWN fires {@code monitor.down} once and UP clears it, offline agents give UNKNOWN.
 */
class MonitorRunnerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static MonitorStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        MonitorStoreIT.migrate(db);
        store = new MonitorStore(db.dataSource());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Answers every task at once with the current {@code answer}; counts discards. */
    static final class Tasks implements TaskService {
        final List<TaskView> submitted = new CopyOnWriteArrayList<>();
        final Semaphore discarded = new Semaphore(0);
        volatile String answer = "{\"ok\":true,\"status\":200,\"latencyMs\":3}";
        /** Answers by task type instead of {@link #answer}; {@code PENDING}: never answered. */
        final Map<String, String> byType = new ConcurrentHashMap<>();

        private final AtomicInteger ids = new AtomicInteger();
        private final Map<String, TaskView> tasks = new ConcurrentHashMap<>();

        @Override
        public TaskView submit(String agentId, String type, JsonNode payload, Duration ttl) {
            Instant now = Instant.now();
            TaskView t = new TaskView(
                    "t" + ids.incrementAndGet(),
                    agentId,
                    type,
                    payload,
                    TaskStatus.PENDING,
                    null,
                    null,
                    0,
                    now,
                    null,
                    null,
                    now.plus(ttl));
            submitted.add(t);
            String a = byType.getOrDefault(type, answer);
            if (a.equals("PENDING")) {
                tasks.put(t.id(), t);
                return t;
            }
            try {
                tasks.put(
                        t.id(),
                        new TaskView(
                                t.id(),
                                agentId,
                                type,
                                payload,
                                TaskStatus.SUCCEEDED,
                                JSON.readTree(a),
                                null,
                                1,
                                now,
                                now,
                                now,
                                t.expiresAt()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            return t;
        }

        @Override
        public Optional<TaskView> get(String taskId) {
            return Optional.ofNullable(tasks.get(taskId));
        }

        @Override
        public CompletionStage<TaskView> completion(String taskId, Duration timeout) {
            return CompletableFuture.completedFuture(tasks.get(taskId));
        }

        @Override
        public boolean discard(String taskId) {
            boolean had = tasks.remove(taskId) != null;
            discarded.release();
            return had;
        }
    }

    static final class Agents implements AgentDirectory {
        final Map<String, AgentInfo.Status> status = new ConcurrentHashMap<>();

        @Override
        public List<AgentInfo> list() {
            List<AgentInfo> out = new ArrayList<>();
            status.forEach((id, s) ->
                    out.add(new AgentInfo(id, "name-" + id, "host", AgentInfo.Role.HOST, s, Instant.now(), "1", null)));
            return out;
        }

        @Override
        public Optional<AgentInfo> get(String agentId) {
            return list().stream().filter(a -> a.id().equals(agentId)).findFirst();
        }
    }

    static final class Events implements EventAdmin {
        final List<Event> posted = new CopyOnWriteArrayList<>();

        @Override
        public void postEvent(Event event) {
            posted.add(event);
        }

        @Override
        public void sendEvent(Event event) {
            posted.add(event);
        }
    }

    private static void awaitEvents(Events events, int n) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.posted.size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertEquals(
                n,
                events.posted.size(),
                "events posted: "
                        + events.posted.stream()
                                .map(e -> e.getTopic() + " " + e.getProperty(AlertEvent.MESSAGE))
                                .toList());
    }

    private static void runOnce(MonitorRunner runner, Tasks tasks, MutableClock clock) throws InterruptedException {
        int queued = runner.tick();
        assertTrue(tasks.discarded.tryAcquire(queued, 30, TimeUnit.SECONDS), "results recorded");
        clock.advance(Duration.ofSeconds(10));
    }

    @Test
    void downAfterConfirmationsFiresOnceAndUpClears() throws Exception {
        Tasks tasks = new Tasks();
        Agents agents = new Agents();
        agents.status.put("a1", AgentInfo.Status.ONLINE);
        agents.status.put("a2", AgentInfo.Status.OFFLINE);
        Events events = new Events();
        MutableClock clock = new MutableClock(Instant.now().plusSeconds(5));
        MonitorRunner runner = new MonitorRunner(store, tasks, agents, events, clock, Duration.ofSeconds(30));
        try {
            StoredMonitor m = store.create(MonitorStoreIT.input("runner", "a1", "a2"));
            runOnce(runner, tasks, clock);
            assertEquals(1, tasks.submitted.size(), "one task: a2 is offline");
            assertEquals("http.probe", tasks.submitted.get(0).type());
            assertEquals(
                    "http://127.0.0.1:1/",
                    tasks.submitted.get(0).payload().get("url").asText());
            assertEquals(MonitorState.UP, store.get(m.id()).orElseThrow().state());

            tasks.answer = "{\"ok\":false,\"status\":500,\"errorKind\":\"status\",\"error\":\"unexpected status 500\"}";
            runOnce(runner, tasks, clock);
            assertEquals(MonitorState.UP, store.get(m.id()).orElseThrow().state(), "one failure is not confirmed");
            assertTrue(events.posted.isEmpty());
            runOnce(runner, tasks, clock);
            assertEquals(MonitorState.DOWN, store.get(m.id()).orElseThrow().state());
            runOnce(runner, tasks, clock);
            assertEquals(1, events.posted.size(), "DOWN fires once");
            Event fired = events.posted.get(0);
            assertEquals(AlertTopics.FIRING, fired.getTopic());
            assertEquals("monitor.down", fired.getProperty(AlertEvent.KIND));
            assertEquals(m.id().toString(), fired.getProperty(AlertEvent.SUBJECT));

            tasks.answer = "{\"ok\":true,\"status\":200,\"latencyMs\":3}";
            runOnce(runner, tasks, clock);
            assertEquals(MonitorState.UP, store.get(m.id()).orElseThrow().state());
            assertEquals(2, events.posted.size());
            assertEquals(AlertTopics.CLEARED, events.posted.get(1).getTopic());

            agents.status.put("a1", AgentInfo.Status.OFFLINE);
            assertEquals(0, runner.tick(), "no task for offline agents");
            assertEquals(MonitorState.UNKNOWN, store.get(m.id()).orElseThrow().state());
            assertEquals(2, events.posted.size(), "UNKNOWN is not DOWN");
        } finally {
            runner.close();
        }
    }

    @Test
    void attachedMonitorsFollowTheServiceAndJsonFieldsReachTheSink() throws Exception {
        Tasks tasks = new Tasks();
        Agents agents = new Agents();
        agents.status.put("a1", AgentInfo.Status.ONLINE);
        MutableClock clock = new MutableClock(Instant.now().plusSeconds(5));
        MonitorRunner runner = new MonitorRunner(store, tasks, agents, new Events(), clock, Duration.ofSeconds(30));
        Map<String, ServiceLookup.Service> services = new ConcurrentHashMap<>();
        String serviceId = "0b6f7c2e-1d2a-4e1b-9a55-3c1f2a0b9d10";
        services.put(serviceId, new ServiceLookup.Service(serviceId, "shop", List.of("*.shop.test", "shop.test")));
        runner.services = id -> Optional.ofNullable(services.get(id));
        List<JsonNode> stored = new CopyOnWriteArrayList<>();
        runner.metrics = (agentId, series) -> stored.add(series);
        try {
            StoredMonitor m = store.create(MonitorInput.parse(JSON.readTree("{\"name\":\"attached\",\"type\":\"json\","
                    + "\"serviceId\":\"" + serviceId + "\",\"target\":\"/status\",\"intervalSeconds\":10,"
                    + "\"agentIds\":[\"a1\"]}")));
            tasks.answer = "{\"ok\":true,\"status\":200,\"latencyMs\":3,\"fields\":{\"cpu\":91,\"disk\":43}}";
            runOnce(runner, tasks, clock);
            assertEquals("json.probe", tasks.submitted.get(0).type());
            assertEquals(
                    "https://shop.test/status",
                    tasks.submitted.get(0).payload().get("url").asText());
            assertEquals(1, stored.size());
            assertEquals(4, stored.get(0).size(), stored.toString());

            services.put(serviceId, new ServiceLookup.Service(serviceId, "shop", List.of("*.shop.test")));
            assertEquals(0, runner.tick(), "no domain to check: no task");
            ProbeResult why = store.latest(m.id()).get(0);
            assertEquals("service", why.errorKind());
            assertTrue(why.error().contains("no domain"), why.error());

            runner.services = null;
            clock.advance(Duration.ofSeconds(10));
            int results = store.results(m.id(), 100).size();
            assertEquals(0, runner.tick());
            assertEquals(results, store.results(m.id(), 100).size(), "proxy module away: nothing recorded");
        } finally {
            runner.close();
        }
    }

    @Test
    void aDownOfAnAttachedMonitorQuotesTheServiceErrorLog() throws Exception {
        Tasks tasks = new Tasks();
        Agents agents = new Agents();
        agents.status.put("a1", AgentInfo.Status.ONLINE);
        Events events = new Events();
        MutableClock clock = new MutableClock(Instant.now().plusSeconds(5));
        MonitorRunner runner = new MonitorRunner(store, tasks, agents, events, clock, Duration.ofSeconds(30));
        String serviceId = "0b6f7c2e-1d2a-4e1b-9a55-3c1f2a0b9d11";
        ServiceLookup.Service shop = new ServiceLookup.Service(serviceId, "shop", List.of("shop.test"));
        runner.services = id -> Optional.of(shop).filter(s -> s.id().equals(id));
        store.list().forEach(other -> store.delete(other.id())); // the other tests' monitors would run too
        tasks.byType.put(
                "logs.nginx",
                "{\"lines\":[{\"timestamp\":\"2026-12-04T18:00:00Z\",\"stream\":\"error\","
                        + "\"text\":\"connect() failed (111: Connection refused) while connecting to upstream, host: \\\"shop.test\\\"\"}],"
                        + "\"cursor\":\"c\",\"truncated\":false}");
        try {
            StoredMonitor m = store.create(MonitorInput.parse(JSON.readTree("{\"name\":\"attached-down\",\"type\":"
                    + "\"http\",\"serviceId\":\"" + serviceId + "\",\"target\":\"/\",\"intervalSeconds\":10,"
                    + "\"agentIds\":[\"a1\"],\"confirmations\":1}")));
            tasks.answer = "{\"ok\":false,\"status\":502,\"errorKind\":\"status\",\"error\":\"unexpected status 502\"}";
            runOnce(runner, tasks, clock);
            assertEquals(MonitorState.DOWN, store.get(m.id()).orElseThrow().state());
            TaskView logs = tasks.submitted.stream()
                    .filter(t -> t.type().equals("logs.nginx"))
                    .findFirst()
                    .orElseThrow();
            assertEquals("a1", logs.agentId());
            assertEquals("error", logs.payload().get("log").asText());
            assertEquals("shop.test", logs.payload().get("filter").asText());
            assertEquals(5, logs.payload().get("tail").asInt());
            assertTrue(tasks.discarded.tryAcquire(1, 10, TimeUnit.SECONDS), "the log task deleted");
            awaitEvents(events, 1);
            String message =
                    events.posted.get(0).getProperty(AlertEvent.MESSAGE).toString();
            assertTrue(
                    message.endsWith("Error log (name-a1, last lines with shop.test):\n  connect() failed (111: "
                            + "Connection refused) while connecting to upstream, host: \"shop.test\""),
                    message);

            // an agent that does not answer: the event goes out without the lines, and UP follows it
            tasks.byType.put("logs.nginx", "PENDING");
            tasks.answer = "{\"ok\":true,\"status\":200,\"latencyMs\":3}";
            runOnce(runner, tasks, clock);
            tasks.answer = "{\"ok\":false,\"status\":502,\"errorKind\":\"status\",\"error\":\"unexpected status 502\"}";
            runOnce(runner, tasks, clock);
            tasks.answer = "{\"ok\":true,\"status\":200,\"latencyMs\":3}";
            runOnce(runner, tasks, clock);
            awaitEvents(events, 4);
            assertEquals(AlertTopics.FIRING, events.posted.get(2).getTopic(), "the DOWN first, though it waited");
            assertTrue(events.posted
                    .get(2)
                    .getProperty(AlertEvent.MESSAGE)
                    .toString()
                    .endsWith("\nError log (name-a1): no answer within 3 s"));
            assertEquals(
                    AlertTopics.CLEARED,
                    events.posted.get(3).getTopic(),
                    events.posted.stream()
                            .map(e -> e.getTopic() + " " + e.getProperty(AlertEvent.MESSAGE))
                            .toList()
                            .toString());
        } finally {
            runner.close();
        }
    }
}
