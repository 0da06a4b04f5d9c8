package dev.fleetgate.proxy.internal;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ProxySpec;

/**
 * Edge specs list other agents' addresses: recompute the proxy section of the edge agents
 * (only theirs: a host agent's spec does not depend on other agents) when an agent comes
 * online or goes offline, as its address may have changed. Unchanged specs keep their
 * revision, so this costs no reload.
 *
 * <p>A burst of status events (thousands of agents coming back after a core restart) gives one
 * pass over the agents per {@link #COALESCE_MILLIS}, not one per event.
 */
@Component(property = EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_STATUS)
public final class AgentChanges implements EventHandler {
    static final long COALESCE_MILLIS = 200;

    private final DesiredStateService desiredState;
    private final AgentDirectory agents;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final ScheduledExecutorService executor = Threads.scheduler("fleetgate-proxy-agent-changes");

    @Activate
    public AgentChanges(@Reference DesiredStateService desiredState, @Reference AgentDirectory agents) {
        this.desiredState = desiredState;
        this.agents = agents;
    }

    @Deactivate
    void close() {
        executor.shutdownNow();
    }

    @Override
    public void handleEvent(Event event) {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.schedule(this::recompute, COALESCE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending.set(false); // deactivated
            }
        }
    }

    private void recompute() {
        pending.set(false);
        for (AgentInfo agent : agents.list()) {
            if (agent.role() == AgentInfo.Role.EDGE) {
                desiredState.changed(ProxySpec.SECTION, agent.id());
            }
        }
    }
}
