package dev.fleetgate.firewall.internal;

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

/**
 * Section {@value FirewallService#SECTION}, the same for every agent: {@code {"settings":{…}, "neverBlock":[address]}};
 * the agent's live detection runs with them. The blocks go in their own section ({@link FirewallBlocksSection}), so
 * that a block does not restart the agents' detectors.
 */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + FirewallService.SECTION)
public final class FirewallSection implements DesiredStateContributor {
    private final FirewallService firewall;

    @Activate
    public FirewallSection(@Reference FirewallService firewall) {
        this.firewall = firewall;
    }

    @Override
    public JsonNode compute(AgentInfo agent) {
        return computeAll(List.of(agent)).get(agent.id());
    }

    @Override
    public Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
        ObjectNode body = FirewallService.JSON.createObjectNode();
        body.set(
                "settings", FirewallService.JSON.valueToTree(firewall.settings().toMap()));
        ArrayNode never = body.putArray("neverBlock");
        firewall.neverBlock().forEach(never::add);
        return everyAgent(agents, body);
    }

    static Map<String, JsonNode> everyAgent(List<AgentInfo> agents, JsonNode body) {
        Map<String, JsonNode> out = new java.util.HashMap<>();
        for (AgentInfo a : agents) {
            out.put(a.id(), body);
        }
        return out;
    }
}
