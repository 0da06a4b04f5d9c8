package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ServiceDirectory;

/** Which events lead to a reconcile pass: only those that change what DNS publishes. */
class ReconcilerEventsTest {
    private static final String A = "a1000000-0000-0000-0000-000000000001";
    private static final String B = "b2000000-0000-0000-0000-000000000002";

    private final List<AgentInfo> agents = new CopyOnWriteArrayList<>(
            List.of(Fixtures.agent(A, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "127.0.0.11")));
    // No engine: the debounce is far longer than the test, so no pass ever runs.
    private final Reconciler reconciler = Reconciler.of(null, () -> List.copyOf(agents), 600_000);

    @AfterEach
    void close() {
        reconciler.close();
    }

    private static Event event(String topic, String agentId) {
        return new Event(topic, Map.of("agentId", agentId, "status", "ONLINE"));
    }

    private void replace(String id, AgentInfo.Role role, AgentInfo.Status status, String address) {
        agents.removeIf(a -> a.id().equals(id));
        agents.add(Fixtures.agent(id, role, status, address));
    }

    @Test
    void aReportThatChangesNothingIsSkipped() {
        assertTrue(reconciler.agentEventChangesNothing(event(Topics.AGENT_REPORT, A)));
        assertTrue(reconciler.agentEventChangesNothing(event(Topics.AGENT_STATUS, A)));
    }

    @Test
    void aNewAddressStatusOrRoleOfThatAgentCounts() {
        replace(A, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "127.0.0.12");
        assertFalse(reconciler.agentEventChangesNothing(event(Topics.AGENT_REPORT, A)));
        assertTrue(reconciler.agentEventChangesNothing(event(Topics.AGENT_REPORT, A)), "seen once, then unchanged");
        replace(A, AgentInfo.Role.HOST, AgentInfo.Status.OFFLINE, "127.0.0.12");
        assertFalse(reconciler.agentEventChangesNothing(event(Topics.AGENT_STATUS, A)));
        replace(A, AgentInfo.Role.EDGE, AgentInfo.Status.OFFLINE, "127.0.0.12");
        assertFalse(reconciler.agentEventChangesNothing(event(Topics.AGENT_STATUS, A)));
    }

    @Test
    void aNewOrRemovedAgentCounts() {
        replace(B, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "127.0.0.13");
        assertFalse(reconciler.agentEventChangesNothing(event(Topics.AGENT_REPORT, B)));
        agents.removeIf(a -> a.id().equals(A));
        assertFalse(reconciler.agentEventChangesNothing(event(Topics.AGENT_STATUS, A)));
        assertTrue(reconciler.agentEventChangesNothing(event(Topics.AGENT_STATUS, A)), "gone, and still gone");
    }

    @Test
    void otherEventsAndEventsWithoutAnAgentAlwaysCount() {
        assertFalse(reconciler.agentEventChangesNothing(new Event(ServiceDirectory.TOPIC_CHANGED, Map.of())));
        assertFalse(reconciler.agentEventChangesNothing(new Event(Topics.AGENT_STATUS, Map.of())));
    }
}
