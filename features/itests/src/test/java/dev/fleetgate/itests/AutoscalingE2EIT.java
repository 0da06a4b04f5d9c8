package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
 * Autoscaling end to end: a service with managed containers (the demo image) behind the nginx of an agent of its own,
 * a policy on requests per second per replica with short windows, and a Java load generator on loopback. Load rises →
 * the loop adds replicas with no failed request; load stops → it goes back down after the scale-down window. Prints
 * the figure "threshold crossed → new replica serving traffic" (p50/p95 over the rounds).
 * Runs on the shared {@link Fleet}'s core (metrics every {@value Fleet#METRICS_INTERVAL} s) with a {@link DockerAgent}
 * of its own. Ports 22110–22199: nginx 22110 (http), 22111 (https), 22112 (admin), replicas 22120–22199.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AutoscalingE2EIT {
    private static final int HTTP = 22110;
    private static final String HOST = "demo.autoscaling.e2e.test";
    private static final String VIEWER = "autoscaling-vic";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int ROUNDS = Integer.getInteger("fleetgate.autoscaling.rounds", 3);

    private CoreProcess core;
    private DockerAgent agent;
    private Api admin;
    private String agentId;
    private String serviceId;

    @BeforeAll
    void start(Fleet fleet) throws Exception {
        DockerAgent.requireDemoImage();
        core = fleet.core();
        admin = fleet.admin();
        agent = new DockerAgent(fleet, "autoscaling-e2e", HTTP, 22120, 22199, 2000);
        agentId = agent.enrol(WAIT);
    }

    @AfterAll
    void stop() {
        if (admin != null) {
            if (serviceId != null) {
                admin.delete("/api/v1/services/" + serviceId);
            }
            admin.delete("/api/v1/users/" + VIEWER);
        }
        if (agent != null) {
            agent.close();
        }
    }

    @Test
    @Order(1)
    void aPolicyIsValidatedAndStored() {
        ObjectNode s = Services.demo(agentId, "autoscaled", HOST);
        serviceId =
                admin.post("/api/v1/services", s).expect(201).body().get("id").asText();
        Processes.await("the demo replica behind nginx", WAIT, () -> get("/").status() == 200);

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
                        Map.of("username", VIEWER, "password", "viewer-password-1", "roles", List.of("viewer")))
                .expect(201);
        Api viewer = core.api().login(VIEWER, "viewer-password-1");
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
                    () -> agent.running().size() == 1
                            && Services.replicasOf(admin.get("/api/v1/services/" + serviceId)
                                            .body())
                                    == 1);
            try (ProxyClient.Load load = load(6)) {
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
                    () -> agent.running().size() == 1
                            && Services.replicasOf(admin.get("/api/v1/services/" + serviceId)
                                            .body())
                                    == 1);
        }
        JsonNode decisions = admin.get("/api/v1/services/" + serviceId + "/autoscaling/decisions?limit=200")
                .expect(200)
                .body();
        boolean up = false;
        boolean down = false;
        for (JsonNode d : decisions) {
            // scaled up for the request rate: the rule is "max" when the rate asked for more than
            // maxReplicas (222–333 req/s against a target of 40 asks for 6–9), else rpsPerReplica
            up |= d.path("to").asInt() > d.path("from").asInt()
                    && d.path("reason").asText().startsWith("rpsPerReplica:")
                    && Set.of("rpsPerReplica", "max").contains(d.path("rule").asText());
            down |= d.path("to").asInt() < d.path("from").asInt();
            assertTrue(!d.path("reason").asText().isBlank() && d.has("at"), d.toString());
        }
        assertTrue(up && down, decisions.toString());
        List<Long> sorted = new ArrayList<>(toServing);
        Collections.sort(sorted);
        System.out.println("FIGURE autoscaling: load over the target → new replica serving traffic, " + sorted.size()
                + " rounds: p50 " + sorted.get((sorted.size() - 1) / 2) + " ms, p95 "
                + sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1) + " ms (all " + sorted + "; metrics interval"
                + " " + Fleet.METRICS_INTERVAL + " s, sync " + Fleet.SYNC_INTERVAL + " s, scale-up window 0 s)");
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

    /** GET through the agent's nginx with the service's Host (one connection per request). */
    private static ProxyClient.Reply get(String path) {
        return ProxyClient.get(HTTP, "127.0.0.1", HOST, path, "", Duration.ofSeconds(15));
    }

    /** Clients calling {@code /api/data?delay=20} without pause; counts answers and the replicas seen. */
    private static ProxyClient.Load load(int clients) {
        return new ProxyClient.Load(clients, () -> get("/api/data?delay=20"));
    }
}
