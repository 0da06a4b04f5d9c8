package dev.fleetgate.agents.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;

/** The {@code bundles} section: the jars deployed to an agent, with their download URLs and signatures. */
@Component(service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + BundleRepository.SECTION)
public final class BundlesContributor implements DesiredStateContributor {
    private final BundleRepository repository;

    @Activate
    public BundlesContributor(@Reference BundleRepository repository) {
        this.repository = repository;
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("bundles");
        for (BundleRepository.Artifact a : repository.forAgent(agent.id())) {
            list.addObject()
                    .put("symbolicName", a.symbolicName())
                    .put("version", a.version())
                    .put("sha256", a.sha256())
                    .put("size", a.size())
                    .put("url", "/api/v1/agents/" + agent.id() + "/bundles/" + a.sha256())
                    .put("signature", repository.signature(a));
        }
        // for agents enrolled before bundles were signed: adopted once when they have no key (trust on first use)
        body.put("signingKey", repository.signingKey());
        return body;
    }
}
