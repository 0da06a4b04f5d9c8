package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.api.DesiredStateService;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;

/**
 * The {@code proxy} section of every agent's desired state: the services placed on it,
 * passed through the {@link ProxySpecContributor} whiteboard.
 *
 * <p>The agent directory and the desired-state service are optional dynamic references so
 * that this component never forms a static cycle with the platform that consumes it.
 */
@Component(
        service = DesiredStateContributor.class,
        configurationPid = ProxyConfig.PID,
        property = DesiredStateContributor.SECTION + "=" + ProxySpec.SECTION)
@Designate(ocd = ProxyConfig.class)
public final class ProxyStateContributor implements DesiredStateContributor {
    private final ServiceStore store;
    private final SpecBuilder builder;
    private final Map<ContributorKey, ProxySpecContributor> contributors = new ConcurrentSkipListMap<>();

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile AgentDirectory agents;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile DesiredStateService desiredState;

    @Activate
    public ProxyStateContributor(@Reference ServiceStore store, ProxyConfig config) {
        this.store = store;
        this.builder = new SpecBuilder(config.edgeTargetPort());
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        return computeAll(List.of(agent)).get(agent.id());
    }

    /** Reads the services and the contributors once for all the agents. */
    @Override
    public Map<String, JsonNode> computeAll(List<AgentInfo> targets) {
        AgentDirectory dir = agents;
        List<StoredService> services = store.list();
        List<ProxySpecContributor> extra = new ArrayList<>(contributors.values());
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo agent : targets) {
            ProxySpec spec = builder.build(agent, services, id -> dir == null ? Optional.empty() : dir.get(id));
            out.put(agent.id(), Json.MAPPER.valueToTree(SpecBuilder.contribute(agent, spec, extra)));
        }
        return out;
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY,
            unbind = "removeContributor",
            updated = "updatedContributor")
    void addContributor(ProxySpecContributor contributor, Map<String, Object> properties) {
        contributors.put(ContributorKey.of(properties), contributor);
        signal();
    }

    void updatedContributor(ProxySpecContributor contributor, Map<String, Object> properties) {
        contributors.values().removeIf(c -> c == contributor);
        contributors.put(ContributorKey.of(properties), contributor);
        signal();
    }

    void removeContributor(ProxySpecContributor contributor, Map<String, Object> properties) {
        contributors.remove(ContributorKey.of(properties));
        signal();
    }

    private void signal() {
        DesiredStateService d = desiredState;
        if (d != null) {
            d.changed(ProxySpec.SECTION);
        }
    }
}
