package dev.fleetgate.scaling.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;
import dev.fleetgate.proxy.Site;

/**
 * Scale to zero on the agents: every site of a service whose enabled policy has {@code scaleToZeroAfterSeconds}
 * gets {@code extensions.scaling.wake.<siteId>} = {@code {"maxHeld", "startingPageAfterMs", "retryAfterSeconds"}}.
 * The agent's nginx then holds a request while the service has no ready replica and asks the agent to start one
 * (agent-bundle/nginx, "Scale to zero"). References the store only (no {@code AgentDirectory}: see CONTRIBUTING,
 * contributors and restarts).
 */
@Component(service = ProxySpecContributor.class)
public final class ScaleToZeroContributor implements ProxySpecContributor {
    /** Retry-After of the starting page and of the 503 beyond the hold's bound. */
    static final int RETRY_AFTER_SECONDS = 5;

    private final AutoscalingStore store;

    @Activate
    public ScaleToZeroContributor(@Reference AutoscalingStore store) {
        this.store = store;
    }

    @Override
    public ProxySpec contribute(AgentInfo agent, ProxySpec spec) {
        if (spec.sites().isEmpty()) {
            return spec;
        }
        Map<String, Policy> zero = new HashMap<>();
        for (AutoscalingStore.StoredPolicy p : store.all()) {
            if (p.policy().enabled() && p.policy().scaleToZeroAfterSeconds() != null) {
                zero.put(p.serviceId().toString(), p.policy());
            }
        }
        return contribute(spec, zero);
    }

    /** @param zero the scale-to-zero policies by service id */
    static ProxySpec contribute(ProxySpec spec, Map<String, Policy> zero) {
        if (zero.isEmpty()) {
            return spec;
        }
        ObjectNode wake = PolicyJson.MAPPER.createObjectNode();
        for (Site site : spec.sites()) {
            Policy p = site.serviceId() == null ? null : zero.get(site.serviceId());
            if (p != null && site.id() != null) {
                wake.putObject(site.id())
                        .put("maxHeld", p.maxHeldRequests())
                        .put("startingPageAfterMs", p.startingPageAfterMs())
                        .put("retryAfterSeconds", RETRY_AFTER_SECONDS);
            }
        }
        if (wake.isEmpty()) {
            return spec;
        }
        ObjectNode scaling = PolicyJson.MAPPER.createObjectNode();
        scaling.set("wake", wake);
        return spec.withExtension("scaling", scaling);
    }
}
