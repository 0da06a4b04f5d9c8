package dev.fleetgate.proxy.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ProxySpec;

/**
 * Edge specs list other agents' addresses: recompute the proxy section of the edge agents
 * (only theirs: a host agent's spec does not depend on other agents) when an agent comes
 * online or goes offline, as its address may have changed. Unchanged specs keep their
 * revision, so this costs no reload.
 */
@Component(property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_STATUS)
public final class AgentChanges implements EventHandler {
    private final DesiredStateService desiredState;
    private final AgentDirectory agents;

    @Activate
    public AgentChanges(@Reference DesiredStateService desiredState, @Reference AgentDirectory agents) {
        this.desiredState = desiredState;
        this.agents = agents;
    }

    @Override
    public void handleEvent(Event event) {
        for (AgentInfo agent : agents.list()) {
            if (AgentInfo.ROLE_EDGE.equals(agent.role())) {
                desiredState.changed(ProxySpec.SECTION, agent.id());
            }
        }
    }
}
