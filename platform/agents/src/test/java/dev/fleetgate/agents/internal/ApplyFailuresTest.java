package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;

/** proxy.apply.failed from the applied state rows as reports move them ({@link ReportStore#next}). */
class ApplyFailuresTest {

    @Test
    void failedProxyApplyFiresOnceAndALaterRevisionClearsIt() {
        ReportStore.AppliedRow applied4 = ReportStore.next(null, new SyncReport.Applied(4, null));
        assertNull(ApplyFailures.alert("a-1", "web-1", "proxy", null, applied4), "applied: nothing");

        ReportStore.AppliedRow failed5 = ReportStore.next(
                applied4, new SyncReport.Applied(5, "nginx: [emerg] unknown directive \"foo\"\nnginx: test failed"));
        AlertEvent fired = ApplyFailures.alert("a-1", "web-1", "proxy", applied4, failed5);
        assertEquals(AlertTopics.FIRING, fired.topic());
        Map<String, Object> p = fired.toProperties();
        assertEquals("proxy.apply.failed", p.get(AlertEvent.KIND));
        assertEquals("a-1", p.get(AlertEvent.SUBJECT));
        assertEquals("critical", p.get(AlertEvent.SEVERITY));
        assertEquals(
                "Agent web-1 failed to apply proxy revision 5: nginx: [emerg] unknown directive \"foo\"",
                p.get(AlertEvent.MESSAGE));
        assertEquals(Map.of("agent", "a-1", "agentName", "web-1", "section", "proxy"), p.get(AlertEvent.LABELS));

        ReportStore.AppliedRow failedAgain = ReportStore.next(failed5, new SyncReport.Applied(5, "nginx: [emerg] x"));
        assertNull(ApplyFailures.alert("a-1", "web-1", "proxy", failed5, failedAgain), "no repeat while failing");
        ReportStore.AppliedRow failed6 = ReportStore.next(failedAgain, new SyncReport.Applied(6, "still broken"));
        assertNull(ApplyFailures.alert("a-1", "web-1", "proxy", failedAgain, failed6), "a newer failure: still one");

        ReportStore.AppliedRow applied7 = ReportStore.next(failed6, new SyncReport.Applied(7, null));
        AlertEvent cleared = ApplyFailures.alert("a-1", "web-1", "proxy", failed6, applied7);
        assertEquals(AlertTopics.CLEARED, cleared.topic());
        assertEquals("a-1", cleared.toProperties().get(AlertEvent.SUBJECT));
        assertNull(
                ApplyFailures.alert(
                        "a-1", "web-1", "proxy", applied7, ReportStore.next(applied7, new SyncReport.Applied(8, null))),
                "cleared once");
    }

    @Test
    void anOlderRevisionAppliedDoesNotClearANewerFailure() {
        ReportStore.AppliedRow failed5 = new ReportStore.AppliedRow(4, 5, "boom");
        ReportStore.AppliedRow after = ReportStore.next(failed5, new SyncReport.Applied(4, null));
        assertNull(ApplyFailures.alert("a-1", "web-1", "proxy", failed5, after));
    }

    @Test
    void otherSectionsPostNothing() {
        assertNull(ApplyFailures.alert("a-1", "web-1", "firewall", null, new ReportStore.AppliedRow(0, 3, "iptables")));
    }
}
