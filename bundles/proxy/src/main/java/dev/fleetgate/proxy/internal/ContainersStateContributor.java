package dev.fleetgate.proxy.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;

/**
 * The {@code containers} section of every agent's desired state (see
 * {@link ContainersSection}); {@link ProxyServices} signals it after every write.
 */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + ContainersSection.SECTION)
public final class ContainersStateContributor implements DesiredStateContributor {
    private final ServiceStore store;

    @Activate
    public ContainersStateContributor(@Reference ServiceStore store) {
        this.store = store;
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        return computeAll(List.of(agent)).get(agent.id());
    }

    /** Reads the services once for all the agents. */
    @Override
    public Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        List<StoredService> services = store.list();
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo agent : agents) {
            out.put(agent.id(), ContainersSection.build(agent.id(), services));
        }
        return out;
    }
}
