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
 * Section {@value FirewallService#SECTION}, the same for every agent:
 * {@code {"settings":{…}, "neverBlock":[address], "blocks":[{"ip","serviceId"?,"action":"block"|"limit","expiresAt"}]}}
 * ({@code expiresAt} in epoch seconds; only enforced blocks). The agent runs the detectors with these settings and
 * loads the blocks into nginx's shared dictionary.
 */
@Component(service = DesiredStateContributor.class,
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
        body.set("settings", FirewallService.JSON.valueToTree(firewall.settings().toMap()));
        ArrayNode never = body.putArray("neverBlock");
        firewall.neverBlock().forEach(never::add);
        ArrayNode blocks = body.putArray("blocks");
        for (FirewallStore.Block b : firewall.blocks()) {
            if (!b.enforced()) {
                continue;
            }
            ObjectNode o = blocks.addObject();
            o.put("ip", b.ip());
            if (b.serviceId() != null) {
                o.put("serviceId", b.serviceId().toString());
            }
            o.put("action", b.action());
            o.put("expiresAt", b.expiresAt().getEpochSecond());
        }
        Map<String, JsonNode> out = new java.util.HashMap<>();
        for (AgentInfo a : agents) {
            out.put(a.id(), body);
        }
        return out;
    }
}
