package dev.fleetgate.firewall.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.DesiredStateContributor;

/**
 * Section {@value FirewallService#SECTION}, the same for every agent: {@code {"settings":{…}, "neverBlock":[address]}};
 * the agent's live detection runs with them. The blocks go in their own section ({@link FirewallBlocksSection}), so
 * that a block does not restart the agents' detectors.
 */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + FirewallService.SECTION)
public final class FirewallSection extends FleetWideSection {
    private final FirewallService firewall;

    @Activate
    public FirewallSection(@Reference FirewallService firewall) {
        this.firewall = firewall;
    }

    @Override
    JsonNode body() {
        ObjectNode body = FirewallService.JSON.createObjectNode();
        body.set(
                "settings", FirewallService.JSON.valueToTree(firewall.settings().toMap()));
        ArrayNode never = body.putArray("neverBlock");
        firewall.neverBlock().forEach(never::add);
        return body;
    }
}
