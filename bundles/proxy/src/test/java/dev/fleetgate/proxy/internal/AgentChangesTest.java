package dev.fleetgate.proxy.internal;

import static org.mockito.Mockito.mock;
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

    private static AgentInfo agent(String id, String role) {
        return new AgentInfo(id, id, id, role, AgentInfo.Status.ONLINE, null, "1", "127.0.0.1");
    }

    @Test
    void aStatusChangeRecomputesOnlyEdgeAgents() {
        DesiredStateService desired = mock(DesiredStateService.class);
        AgentDirectory agents = mock(AgentDirectory.class);
        when(agents.list())
                .thenReturn(List.of(
                        agent("h1", AgentInfo.ROLE_HOST),
                        agent("e1", AgentInfo.ROLE_EDGE),
                        agent("h2", AgentInfo.ROLE_HOST),
                        agent("e2", AgentInfo.ROLE_EDGE)));

        new AgentChanges(desired, agents)
                .handleEvent(new Event(Topics.AGENT_STATUS, Map.of("agentId", "h1", "status", "ONLINE")));

        verify(desired).changed(ProxySpec.SECTION, "e1");
        verify(desired).changed(ProxySpec.SECTION, "e2");
        verifyNoMoreInteractions(desired);
    }
}
