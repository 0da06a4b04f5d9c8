package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Scale to zero end to end: a service with managed containers (the demo image) behind the agent's nginx and a policy
 * with {@code scaleToZeroAfterSeconds}. Idle → the loop stops the last replica (no container runs); then concurrent
 * first requests are held by nginx while the agent starts a replica and all get 200 (no 502); the core takes the
 * woken replica over without stopping it. The hold's bound and the starting page answer 503 with Retry-After. Prints
 * the figure "first request from zero → 200" (p50/p95 over {@code fleetgate.scaletozero.wakes} wakes, default 3;
 * {@code bench/run-scaling.sh} runs 10).
 * Runs on the shared {@link Fleet}'s core (agents collect metrics every {@value Fleet#METRICS_INTERVAL} s: the core
 * hears of a wake sooner) with a {@link DockerAgent} of its own.
 * Ports 22610–22699: nginx 22610 (http), 22611 (https), 22612 (admin), replicas 22620–22699.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScaleToZeroE2EIT {
    private static final int HTTP = 22610;
    private static final String HOST = "demo.scaletozero.e2e.test";
    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final int WAKES = Integer.getInteger("fleetgate.scaletozero.wakes", 3);
    private static final int CONCURRENT = 8;

    private DockerAgent agent;
    private Api admin;
    private String agentId;
    private String serviceId;
    private String policyPath;

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        DockerAgent.requireDemoImage();
        admin = fleet.admin();
        agent = new DockerAgent(fleet, "scaletozero-e2e", HTTP, 22620, 22699, 1000);
        agentId = agent.enrol(WAIT);
    }

    @AfterAll
    void stop() {
        if (admin != null && serviceId != null) {
            admin.delete("/api/v1/services/" + serviceId);
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Order(1)
    void aScaleToZeroPolicyIsValidatedAndStored() {
        ObjectNode s = Services.demo(agentId, "sleeper", HOST);
        serviceId =
                admin.post("/api/v1/services", s).expect(201).body().get("id").asText();
        Processes.await("the demo replica behind nginx", WAIT, () -> get("/").status() == 200);
        policyPath = "/api/v1/services/" + serviceId + "/autoscaling";

        Api.Response bad = admin.put(
                policyPath,
                Map.of(
                        "minReplicas",
                        0,
                        "maxReplicas",
                        2,
                        "targets",
                        Map.of("rpsPerReplica", 100),
                        "maxHeldRequests",
                        0,
                        "startingPageAfterMs",
                        50));
        assertEquals(400, bad.status(), bad.body().toString());
        List<String> fields = new ArrayList<>();
        bad.body().path("errors").forEach(e -> fields.add(e.path("field").asText()));
        Collections.sort(fields);
        assertEquals(List.of("maxHeldRequests", "minReplicas", "startingPageAfterMs"), fields);
        assertEquals(400, admin.put(policyPath, policy(5, 100, 20_000)).status(), "scaleToZeroAfterSeconds below 10");

        JsonNode stored =
                admin.put(policyPath, policy(10, 100, 20_000)).expect(200).body();
        assertEquals(10, stored.path("scaleToZeroAfterSeconds").asInt());
        assertEquals(0, stored.path("minReplicas").asInt());
        assertEquals(100, stored.path("maxHeldRequests").asInt());
        assertEquals(20_000, stored.path("startingPageAfterMs").asInt());
    }

    @Test
    @Order(2)
    void idleGoesToZeroAndConcurrentFirstRequestsAllGet200() throws Exception {
        List<Long> firstTo200 = new ArrayList<>();
        for (int wake = 1; wake <= WAKES; wake++) {
            awaitZero("before wake " + wake);
            int clients = wake == 1 ? CONCURRENT : 1;
            List<ProxyClient.Reply> answers = concurrently(clients, "/api/data");
            List<String> failed = new ArrayList<>();
            long slowest = 0;
            for (ProxyClient.Reply a : answers) {
                if (a.status() != 200) {
                    failed.add(a.status() + " " + a.text());
                }
                slowest = Math.max(slowest, a.millis());
            }
            assertEquals(List.of(), failed, "first requests from zero (wake " + wake + ")");
            firstTo200.add(slowest);
            System.out.println("wake " + wake + ": " + clients + " first request(s) from zero → 200 after "
                    + answers.stream().map(a -> a.millis()).toList() + " ms");

            // the core takes the woken replica over (its wake decision) without stopping it
            List<String> woken = agent.running();
            assertEquals(1, woken.size(), "one replica started by the wake");
            Processes.await(
                    "the core's wake decision",
                    WAIT,
                    () -> Services.replicasOf(
                                    admin.get("/api/v1/services/" + serviceId).body())
                            == 1);
            assertEquals(woken, agent.running(), "the replica the agent woke is kept by the core's count");
            assertEquals(200, get("/api/data").status());
        }
        Map<String, Integer> rules = new HashMap<>();
        for (JsonNode d :
                admin.get(policyPath + "/decisions?limit=500").expect(200).body()) {
            if (d.path("changed").asBoolean()) {
                rules.merge(d.path("rule").asText(), 1, Integer::sum);
            }
        }
        assertTrue(rules.getOrDefault("idle", 0) >= WAKES, rules.toString());
        assertTrue(rules.getOrDefault("wake", 0) >= WAKES, rules.toString());
        List<Long> sorted = new ArrayList<>(firstTo200);
        Collections.sort(sorted);
        System.out.println("FIGURE scale-to-zero: first request from zero → 200, " + sorted.size() + " wakes: p50 "
                + sorted.get((sorted.size() - 1) / 2) + " ms, p95 "
                + sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1) + " ms (all " + sorted
                + "; wake 1 = slowest of "
                + CONCURRENT + " concurrent first requests; fleetgate/demo:latest, health check interval 1 s)");
    }

    @Test
    @Order(3)
    void beyondTheBoundHeldRequestsGet503WithRetryAfter() throws Exception {
        admin.put(policyPath, policy(10, 1, 30_000)).expect(200);
        awaitZero("before the bound");
        List<ProxyClient.Reply> answers = concurrently(4, "/api/data");
        long ok = answers.stream().filter(a -> a.status() == 200).count();
        List<ProxyClient.Reply> refused =
                answers.stream().filter(a -> a.status() == 503).toList();
        assertEquals(1, ok, answers.toString());
        assertEquals(3, refused.size(), answers.toString());
        refused.forEach(a -> assertTrue(a.text().contains("Retry-After: 5"), a.text()));
    }

    @Test
    @Order(4)
    void aRequestStillWaitingAfterStartingPageAfterMsGetsTheStartingPage() throws Exception {
        admin.put(policyPath, policy(10, 100, 100)).expect(200);
        awaitZero("before the starting page");
        ProxyClient.Reply a = get("/api/data");
        assertEquals(503, a.status(), a.text());
        assertTrue(a.text().contains("Retry-After: 5") && a.text().contains("text/html"), a.text());
        // the wake went on: the replica started and serves
        Processes.await(
                "the woken replica serving", WAIT, () -> get("/api/data").status() == 200);
        admin.delete(policyPath).expect(204);
    }

    // --- helpers -------------------------------------------------------------------------

    private static Map<String, Object> policy(int zeroAfter, int maxHeld, int startingPageAfterMs) {
        return Map.of(
                "minReplicas",
                0,
                "maxReplicas",
                2,
                "targets",
                Map.of("rpsPerReplica", 100),
                "cooldownSeconds",
                0,
                "scaleDownStabilizationSeconds",
                10,
                "scaleToZeroAfterSeconds",
                zeroAfter,
                "maxHeldRequests",
                maxHeld,
                "startingPageAfterMs",
                startingPageAfterMs);
    }

    private void awaitZero(String when) {
        Processes.await(
                "scaled to zero " + when + " (no container, 0 replicas)",
                WAIT,
                () -> agent.running().isEmpty()
                        && Services.replicasOf(admin.get("/api/v1/services/" + serviceId)
                                        .body())
                                == 0);
    }

    /** {@code clients} GETs sent at once (released together), each answer with its time. */
    private static List<ProxyClient.Reply> concurrently(int clients, String path) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<ProxyClient.Reply>> futures = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return get(path);
                }));
            }
            go.countDown();
            List<ProxyClient.Reply> out = new ArrayList<>();
            for (Future<ProxyClient.Reply> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** GET through the agent's nginx with the service's Host, one connection per request. */
    private static ProxyClient.Reply get(String path) {
        return ProxyClient.get(HTTP, "127.0.0.1", HOST, path, "", Duration.ofSeconds(60));
    }
}
