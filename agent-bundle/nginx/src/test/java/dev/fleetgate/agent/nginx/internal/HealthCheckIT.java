package dev.fleetgate.agent.nginx.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** Active health checks against a real nginx (ports 19040–19059): targets leave and rejoin, clients see no 5xx. */
class HealthCheckIT extends WithNginx {
    static final int HTTP = 19040;
    static final int ADMIN = 19042;

    private Backend a;
    private Backend b;

    HealthCheckIT() {
        super(HTTP, ADMIN);
    }

    @BeforeEach
    void start() throws Exception {
        a = backend("A", 19050);
        b = backend("B", 19051);
    }

    @Test
    void aStoppedTargetLeavesRotationWithoutClientErrorsAndReturns() throws Exception {
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port, b.port).healthCheck("/health", 1, 2, 2)));
        assertEquals(2, healthy(), driver.status().toString());
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (running.get()) {
                statuses.merge(Http.get(HTTP, "a.test", "/").status(), 1, Integer::sum);
            }
        });
        load.start();
        try {
            int syncsBefore = syncRequests.get();
            b.stop();
            Await.until("B unhealthy", Duration.ofSeconds(15), () -> healthy() == 1);
            // The transition is visible in the status a moment before the sync request is made.
            Await.until(
                    "a health transition asks for a sync",
                    Duration.ofSeconds(5),
                    () -> syncRequests.get() > syncsBefore);
            JsonNode check =
                    Spec.JSON.readTree(new AdminClient(driver.settings().adminSocket())
                            .get("/check")
                            .body());
            assertEquals(1, check.path("upstreams").get(0).path("down").asInt(), check.toString());
            b.start();
            int before = b.requests.get();
            Await.until("B healthy again", Duration.ofSeconds(15), () -> healthy() == 2);
            Await.until("B serves again", Duration.ofSeconds(15), () -> b.requests.get() > before);
        } finally {
            running.set(false);
            load.join();
        }
        int total = statuses.values().stream().mapToInt(Integer::intValue).sum();
        assertEquals(Map.of(200, total), statuses, "every request answered 200 (retried on another target)");
        assertTrue(total > 20, "load ran: " + total);
    }

    @Test
    void aNewTargetEntersRotationOnlyAfterASuccessfulCheck() throws Exception {
        b.healthy = false;
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port, b.port).healthCheck("/health", 1, 1, 1)));
        for (int i = 0; i < 20; i++) {
            assertEquals("A", Http.get(HTTP, "a.test", "/").body());
        }
        assertEquals(0, b.requests.get());
        b.healthy = true;
        Await.until("B in rotation", Duration.ofSeconds(10), () -> healthy() == 2);
        Await.until("B serves", Duration.ofSeconds(10), () -> "B"
                .equals(Http.get(HTTP, "a.test", "/").body()));
    }

    @Test
    void noHealthyTargetAnswers503() throws Exception {
        a.healthy = false;
        driver.apply(1, Specs.spec(Specs.service("s1", "a.test", a.port).healthCheck("/health", 1, 1, 1)));
        assertEquals(503, Http.get(HTTP, "a.test", "/").status());
        a.healthy = true;
        Await.until(
                "A in rotation",
                Duration.ofSeconds(10),
                () -> Http.get(HTTP, "a.test", "/").status() == 200);
    }

    private int healthy() {
        int n = 0;
        for (JsonNode t : driver.status().path("targets")) {
            n += t.path("healthy").asBoolean() ? 1 : 0;
        }
        return n;
    }
}
