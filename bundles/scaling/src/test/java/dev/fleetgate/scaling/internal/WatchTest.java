package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.scaling.ScalingEvents;

class WatchTest {
    private static final long T0 = 1_800_000_000_000L;

    private static Decision d(int from, int to) {
        return new Decision(0, from, to, to, "rpsPerReplica", "r", Map.of());
    }

    @Test
    void atMaxFiresAfterTenMinutesAndClears() {
        Watch w = new Watch("s1");
        assertTrue(w.observe(d(3, 4), 4, "shop", T0).isEmpty());
        assertTrue(w.observe(d(4, 4), 4, "shop", T0 + 9 * 60_000).isEmpty());
        List<AlertEvent> fired = w.observe(d(4, 4), 4, "shop", T0 + 10 * 60_000);
        assertEquals(1, fired.size());
        Map<String, Object> p = fired.get(0).toProperties();
        assertEquals(ScalingEvents.AT_MAX_KIND, p.get(AlertEvent.KIND));
        assertEquals(AlertEvent.FIRING, p.get(AlertEvent.STATE));
        assertEquals(Map.of("service", "s1"), p.get(AlertEvent.LABELS));
        assertTrue(w.observe(d(4, 4), 4, "shop", T0 + 11 * 60_000).isEmpty(), "fires once");
        List<AlertEvent> cleared = w.observe(d(4, 3), 4, "shop", T0 + 12 * 60_000);
        assertEquals(AlertEvent.CLEARED, cleared.get(0).toProperties().get(AlertEvent.STATE));
    }

    @Test
    void flappingFiresOnThreeReversalsAndClearsWhenCalm() {
        Watch w = new Watch("s1");
        assertTrue(w.observe(d(2, 3), 10, "shop", T0).isEmpty());
        assertTrue(w.observe(d(3, 2), 10, "shop", T0 + 60_000).isEmpty());
        assertTrue(w.observe(d(2, 3), 10, "shop", T0 + 120_000).isEmpty());
        List<AlertEvent> fired = w.observe(d(3, 2), 10, "shop", T0 + 180_000);
        assertEquals(ScalingEvents.FLAPPING_KIND, fired.get(0).toProperties().get(AlertEvent.KIND));
        assertEquals(AlertEvent.FIRING, fired.get(0).toProperties().get(AlertEvent.STATE));
        List<AlertEvent> cleared = w.observe(d(2, 2), 10, "shop", T0 + 180_000 + 11 * 60_000);
        assertEquals(AlertEvent.CLEARED, cleared.get(0).toProperties().get(AlertEvent.STATE));
    }
}
