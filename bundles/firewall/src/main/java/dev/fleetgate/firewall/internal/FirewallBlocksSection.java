package dev.fleetgate.firewall.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.DesiredStateContributor;

/**
 * Section {@value FirewallService#BLOCKS_SECTION}, the same for every agent (a fleet-wide block is enforced on every
 * agent): {@code {"blocks":[{"ip","serviceId"?,"action":"block"|"limit"|"challenge","expiresAt"}]}} — enforced blocks only,
 * {@code expiresAt} in epoch seconds. The agent's nginx bundle loads them into the Lua shared dictionary.
 */
@Component(
        service = DesiredStateContributor.class,
        property = DesiredStateContributor.SECTION + "=" + FirewallService.BLOCKS_SECTION)
public final class FirewallBlocksSection extends FleetWideSection {
    private final FirewallService firewall;

    @Activate
    public FirewallBlocksSection(@Reference FirewallService firewall) {
        this.firewall = firewall;
    }

    @Override
    JsonNode body() {
        ObjectNode body = FirewallService.JSON.createObjectNode();
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
        return body;
    }
}
