package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;

class MaintenanceAlertTest {

    @Test
    void offlineFiresAndOnlineClearsTheAgentOfflineAlert() {
        AlertEvent off = Maintenance.alert(new StatusWatch.Transition("a-1", AgentInfo.Status.OFFLINE));
        assertEquals(AlertTopics.FIRING, off.topic());
        Map<String, Object> p = off.toProperties();
        assertEquals("agent.offline", p.get(AlertEvent.KIND));
        assertEquals("a-1", p.get(AlertEvent.SUBJECT));
        assertEquals("critical", p.get(AlertEvent.SEVERITY));
        assertEquals(AlertEvent.FIRING, p.get(AlertEvent.STATE));
        assertEquals(Map.of("agent", "a-1"), p.get(AlertEvent.LABELS));

        AlertEvent on = Maintenance.alert(new StatusWatch.Transition("a-1", AgentInfo.Status.ONLINE));
        assertEquals(AlertTopics.CLEARED, on.topic());
        assertEquals(AlertEvent.CLEARED, on.toProperties().get(AlertEvent.STATE));
    }
}
