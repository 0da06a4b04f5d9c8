package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.monitors.MonitorState;

class MonitorRunnerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2026-12-04T18:00:00Z");

    private static TaskView task(String status, String result, String error) throws Exception {
        return new TaskView("t", "a", "http.probe", null, status, result == null ? null : JSON.readTree(result), error,
                1, NOW, NOW, NOW, NOW.plusSeconds(60));
    }

    @Test
    void downFiresAndUpClears() {
        UUID id = UUID.randomUUID();
        Map<String, Object> fire = MonitorRunner.alert(new Transition(id, "shop", MonitorState.UP, MonitorState.DOWN))
                .toProperties();
        assertEquals("monitor.down", fire.get(AlertEvent.KIND));
        assertEquals(id.toString(), fire.get(AlertEvent.SUBJECT));
        assertEquals(AlertEvent.FIRING, fire.get(AlertEvent.STATE));
        ProbeResult cause = new ProbeResult("agent-1", NOW, false, 500, 4, "status", "unexpected status 500", null,
                null);
        Map<String, Object> report = MonitorRunner.alert(new Transition(id, "shop", "https://shop.test/",
                MonitorState.UP, MonitorState.DOWN, cause)).toProperties();
        assertEquals("Monitor shop (https://shop.test/) is DOWN: status — unexpected status 500 (agent agent-1)",
                report.get(AlertEvent.MESSAGE));
        assertEquals(Map.of("monitor", "shop", "target", "https://shop.test/", "errorKind", "status", "agent",
                "agent-1"), report.get(AlertEvent.LABELS));
        AlertEvent clear = MonitorRunner.alert(new Transition(id, "shop", MonitorState.DOWN, MonitorState.UP));
        assertEquals(AlertTopics.CLEARED, clear.topic());
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.UP, MonitorState.DEGRADED)));
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.PENDING, MonitorState.UP)));
        assertNull(MonitorRunner.alert(new Transition(id, "shop", MonitorState.DOWN, MonitorState.UNKNOWN)));
    }

    @Test
    void taskOutcomesBecomeResults() throws Exception {
        ProbeResult ok = MonitorRunner.toResult("a", task("SUCCEEDED", "{\"ok\":true,\"status\":200,\"latencyMs\":12,"
                + "\"tlsExpiresAt\":\"2027-01-01T00:00:00Z\"}", null), null, NOW).orElseThrow();
        assertTrue(ok.ok());
        assertEquals(200, ok.status());
        assertEquals(Instant.parse("2027-01-01T00:00:00Z"), ok.tlsExpiresAt());
        assertNull(ok.errorKind());

        ProbeResult bad = MonitorRunner.toResult("a", task("SUCCEEDED", "{\"ok\":false,\"status\":null,"
                + "\"errorKind\":\"tls\",\"error\":\"expired\"}", null), null, NOW).orElseThrow();
        assertFalse(bad.ok());
        assertEquals("tls", bad.errorKind());
        assertNull(bad.status());

        ProbeResult failed = MonitorRunner.toResult("a", task("FAILED", null, "no handler for task type http.probe"),
                null, NOW).orElseThrow();
        assertEquals("agent", failed.errorKind());

        assertTrue(MonitorRunner.toResult("a", task("EXPIRED", null, null), null, NOW).isEmpty());
        assertTrue(MonitorRunner.toResult("a", task("DELIVERED", null, null), null, NOW).isEmpty());
        assertTrue(MonitorRunner.toResult("a", null, new IllegalStateException(), NOW).isEmpty());
    }
}
