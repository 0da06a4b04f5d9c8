package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.Site;
import dev.fleetgate.scaling.ScalingEvents;

/** Scale to zero in the policy's JSON, the proxy extension for the agents, the loop's floor and the events. */
class ScaleToZeroTest {
    private static final Policy.Targets RPS_100 = new Policy.Targets(100.0, null, null, null, null);

    private static Policy read(String json, List<String> errors) throws Exception {
        Fields in = new Fields();
        Policy p = PolicyJson.read(PolicyJson.MAPPER.readTree(json), in);
        in.errors().stream().map(FieldError::field).sorted().forEach(errors::add);
        return p;
    }

    @Test
    void minReplicasZeroOnlyWithScaleToZeroAndTheHoldIsBounded() throws Exception {
        List<String> errors = new ArrayList<>();
        Policy p = read(
                "{\"minReplicas\":0,\"maxReplicas\":3,\"targets\":{\"rpsPerReplica\":10},"
                        + "\"scaleToZeroAfterSeconds\":60,\"maxHeldRequests\":20,\"startingPageAfterMs\":5000}",
                errors);
        assertEquals(List.of(), errors);
        assertEquals(0, p.minReplicas());
        assertEquals(60, p.scaleToZeroAfterSeconds());
        assertEquals(20, p.maxHeldRequests());
        assertEquals(5000, p.startingPageAfterMs());
        Fields in = new Fields();
        assertEquals(p, PolicyJson.read(PolicyJson.write(p), in), "the written form reads back the same");

        errors.clear();
        read(
                "{\"minReplicas\":0,\"maxReplicas\":3,\"targets\":{\"rpsPerReplica\":10},"
                        + "\"maxHeldRequests\":0,\"startingPageAfterMs\":99}",
                errors);
        assertEquals(List.of("maxHeldRequests", "minReplicas", "startingPageAfterMs"), errors);

        errors.clear();
        Policy defaults = read("{\"minReplicas\":1,\"maxReplicas\":3,\"targets\":{\"rpsPerReplica\":10}}", errors);
        assertNull(defaults.scaleToZeroAfterSeconds());
        assertEquals(Policy.DEFAULT_MAX_HELD, defaults.maxHeldRequests());
        assertEquals(Policy.DEFAULT_STARTING_PAGE_AFTER_MS, defaults.startingPageAfterMs());
    }

    private static Site site(String id, String serviceId) {
        return new Site(
                id, serviceId, "svc", List.of("a.test"), null, null, null, null, null, 0, null, null, null, false);
    }

    @Test
    void sitesOfScaleToZeroServicesHoldRequestsOnTheAgents() {
        ProxySpec spec = ProxySpec.EMPTY.withSites(List.of(site("s-1", "svc-1"), site("s-2", "svc-2")));
        Policy zero = Policy.of(0, 2, RPS_100).withScaleToZero(30);
        ProxySpec out = ScaleToZeroContributor.contribute(spec, Map.of("svc-2", zero));
        JsonNode wake = out.extensions().get("scaling").get("wake");
        assertEquals(1, wake.size(), wake.toString());
        assertEquals(Policy.DEFAULT_MAX_HELD, wake.path("s-2").path("maxHeld").asInt());
        assertEquals(
                Policy.DEFAULT_STARTING_PAGE_AFTER_MS,
                wake.path("s-2").path("startingPageAfterMs").asInt());
        assertEquals(
                ScaleToZeroContributor.RETRY_AFTER_SECONDS,
                wake.path("s-2").path("retryAfterSeconds").asInt());
        assertSame(spec, ScaleToZeroContributor.contribute(spec, Map.of()), "nothing to add: the same spec");
        assertSame(spec, ScaleToZeroContributor.contribute(spec, Map.of("other", zero)));
        assertEquals(out, ScaleToZeroContributor.contribute(spec, Map.of("svc-2", zero)), "deterministic");
        assertTrue(AutoscalingService.wakes(zero));
        assertFalse(AutoscalingService.wakes(Policy.of(1, 2, RPS_100)));
    }

    @Test
    void minReplicasZeroNeverComesFromASignal() {
        ControlLoop loop = new ControlLoop();
        Policy p = Policy.of(0, 4, RPS_100).withWindows(0, 0).withCooldown(0).withScaleToZero(600);
        long t = 1_000_000;
        // 1 req/s over 2 replicas: the signal alone would say ceil(2 × 0.005) = 1, and 0 never before the idle period
        Decision d = loop.evaluate(p, 2, Signals.rps(t, 1.0), t);
        assertEquals(1, d.to(), d.toString());
        for (int i = 1; i <= 5; i++) {
            Decision next = loop.evaluate(p, 1, Signals.rps(t + i * 10_000L, 0.0), t + i * 10_000L);
            assertEquals(1, next.to(), next.toString());
        }
    }

    @Test
    void goingToZeroAndWakingArePostedAndAreNotFlapping() {
        Watch w = new Watch("svc-1");
        List<AlertEvent> events = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 4; i++) {
            events.addAll(w.observe(new Decision(t, 1, 0, 0, "idle", "idle", Map.of()), 3, "web", t));
            t += 1000;
            events.addAll(w.observe(new Decision(t, 0, 1, 1, "wake", "a request", Map.of()), 3, "web", t));
            t += 1000;
        }
        List<String> kinds = events.stream()
                .map(e -> e.toProperties().get(AlertEvent.KIND) + " "
                        + e.toProperties().get(AlertEvent.STATE))
                .toList();
        assertEquals(ScalingEvents.TO_ZERO_KIND + " " + AlertEvent.FIRING, kinds.get(0));
        assertEquals(ScalingEvents.TO_ZERO_KIND + " " + AlertEvent.CLEARED, kinds.get(1));
        assertEquals(ScalingEvents.WOKEN_KIND + " " + AlertEvent.FIRING, kinds.get(2));
        assertEquals(ScalingEvents.WOKEN_KIND + " " + AlertEvent.CLEARED, kinds.get(3));
        assertTrue(
                kinds.stream().noneMatch(k -> k.startsWith(ScalingEvents.FLAPPING_KIND)),
                "sleeping between visits is not flapping: " + kinds);
    }
}
