package dev.fleetgate.api.alerts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

class AlertEventTest {

    @Test
    void firingCarriesEveryProperty() {
        AlertEvent e = AlertEvent.firing("nginx.apply_failed", "agent-1")
                .severity(Severity.CRITICAL)
                .value(3)
                .message("nginx -t failed")
                .label("service", "shop")
                .occurredAt(1_700_000_000_000L);
        assertEquals(AlertTopics.FIRING, e.topic());
        assertEquals(
                Map.of(
                        "kind",
                        "nginx.apply_failed",
                        "subject",
                        "agent-1",
                        "state",
                        "firing",
                        "severity",
                        "critical",
                        "value",
                        3.0,
                        "message",
                        "nginx -t failed",
                        "labels",
                        Map.of("service", "shop"),
                        "occurredAt",
                        1_700_000_000_000L),
                e.toProperties());
    }

    @Test
    void clearedHasDefaultsAndNoOptionalKeys() {
        Map<String, Object> p = AlertEvent.cleared("agent.offline", "a").toProperties();
        assertEquals(
                AlertTopics.CLEARED, AlertEvent.cleared("agent.offline", "a").topic());
        assertEquals("cleared", p.get(AlertEvent.STATE));
        assertEquals("warning", p.get(AlertEvent.SEVERITY));
        assertFalse(p.containsKey(AlertEvent.VALUE));
        assertFalse(p.containsKey(AlertEvent.MESSAGE));
        assertEquals(Map.of(), p.get(AlertEvent.LABELS));
    }

    @Test
    void kindAndSubjectAreRequired() {
        assertThrows(NullPointerException.class, () -> AlertEvent.firing(null, "s"));
        assertThrows(NullPointerException.class, () -> AlertEvent.firing("k", null));
    }

    @Test
    void severities() {
        assertEquals(Severity.INFO, Severity.parse("Info"));
        assertNull(Severity.parse("fatal"));
        assertEquals("critical", Severity.CRITICAL.wire());
    }
}
