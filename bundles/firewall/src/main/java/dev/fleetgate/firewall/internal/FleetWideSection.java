package dev.fleetgate.firewall.internal;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;

/** A section that is the same for every agent: its body is computed once per computation and given to each. */
abstract class FleetWideSection implements DesiredStateContributor {

    /** @return the section's body, for every agent */
    abstract JsonNode body();

    @Override
    public final JsonNode compute(AgentInfo agent) {
        return body();
    }

    @Override
    public final Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        JsonNode body = body();
        Map<String, JsonNode> out = new HashMap<>();
        for (AgentInfo a : agents) {
            out.put(a.id(), body);
        }
        return out;
    }
}
