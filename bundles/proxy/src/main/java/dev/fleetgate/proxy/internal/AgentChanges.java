package dev.fleetgate.proxy.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ProxySpec;

/**
 * Edge specs list other agents' addresses: recompute the proxy section when an agent comes
 * online or goes offline (its address may have changed). Unchanged specs keep their
 * revision, so this costs no reload.
 */
@Component(property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_STATUS)
public final class AgentChanges implements EventHandler {
    private final DesiredStateService desiredState;

    @Activate
    public AgentChanges(@Reference DesiredStateService desiredState) {
        this.desiredState = desiredState;
    }

    @Override
    public void handleEvent(Event event) {
        desiredState.changed(ProxySpec.SECTION);
    }
}
