package dev.fleetgate.proxy.internal;

import static org.mockito.Mockito.atMost;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoMoreInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ProxySpec;

class AgentChangesTest {

    private static AgentInfo agent(String id, AgentInfo.Role role) {
        return new AgentInfo(id, id, id, role, AgentInfo.Status.ONLINE, null, "1", "127.0.0.1");
    }

    private static Event status(String agentId) {
        return new Event(Topics.AGENT_STATUS, Map.of("agentId", agentId, "status", "ONLINE"));
    }

    @Test
    void aStatusChangeRecomputesOnlyEdgeAgents() {
        DesiredStateService desired = mock(DesiredStateService.class);
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.list())
                .thenReturn(List.of(
                        agent("h1", AgentInfo.Role.HOST),
                        agent("e1", AgentInfo.Role.EDGE),
                        agent("h2", AgentInfo.Role.HOST),
                        agent("e2", AgentInfo.Role.EDGE)));
        AgentChanges changes = new AgentChanges(desired, agents);
        try {
            changes.handleEvent(status("h1"));

            verify(desired, timeout(5_000)).changed(ProxySpec.SECTION, "e1");
            verify(desired, timeout(5_000)).changed(ProxySpec.SECTION, "e2");
            verifyNoMoreInteractions(desired);
        } finally {
            changes.close();
        }
    }

    @Test
    void aBurstOfStatusEventsListsTheAgentsOnceNotOncePerEvent() throws Exception {
        DesiredStateService desired = mock(DesiredStateService.class);
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.list()).thenReturn(List.of(agent("e1", AgentInfo.Role.EDGE)));
        AgentChanges changes = new AgentChanges(desired, agents);
        try {
            for (int i = 0; i < 5_000; i++) {
                changes.handleEvent(status("h" + i));
            }
            verify(desired, timeout(5_000)).changed(ProxySpec.SECTION, "e1");
            Thread.sleep(3 * AgentChanges.COALESCE_MILLIS);
            // The burst took far less than a coalescing period or two; each period costs one pass.
            verify(agents, atMost(3)).list();
        } finally {
            changes.close();
        }
    }
}
