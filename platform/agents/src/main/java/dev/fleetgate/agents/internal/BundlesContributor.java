package dev.fleetgate.agents.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;

/** The {@code bundles} section: the jars deployed to an agent, with their download URLs and signatures. */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + BundleRepository.SECTION)
public final class BundlesContributor implements DesiredStateContributor {
    private final BundleRepository repository;

    @Activate
    public BundlesContributor(@Reference BundleRepository repository) {
        this.repository = repository;
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        return body(agent.id(), repository.forAgent(agent.id()), new HashMap<>());
    }

    /** The whole fleet with one read of the deployments, each artifact signed once. */
    @Override
    public Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        Map<String, List<BundleRepository.Artifact>> all =
                repository.forAgents(agents.stream().map(AgentInfo::id).toList());
        Map<String, String> signatures = new HashMap<>();
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo agent : agents) {
            out.put(agent.id(), body(agent.id(), all.get(agent.id()), signatures));
        }
        return out;
    }

    private JsonNode body(String agentId, List<BundleRepository.Artifact> artifacts, Map<String, String> signatures) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("bundles");
        for (BundleRepository.Artifact a : artifacts) {
            list.addObject()
                    .put("symbolicName", a.symbolicName())
                    .put("version", a.version())
                    .put("sha256", a.sha256())
                    .put("size", a.size())
                    .put("url", "/api/v1/agents/" + agentId + "/bundles/" + a.sha256())
                    .put("signature", signatures.computeIfAbsent(a.id(), k -> repository.signature(a)));
        }
        // for agents enrolled before bundles were signed: adopted once when they have no key (trust on first use)
        body.put("signingKey", repository.signingKey());
        return body;
    }
}
