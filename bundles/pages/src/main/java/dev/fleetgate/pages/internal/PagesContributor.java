package dev.fleetgate.pages.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.proxy.ProxySpec;
import dev.fleetgate.proxy.ProxySpecContributor;

/** Adds the rendered pages and maintenance (the service's or its agent's) to every service site ({@link PageRenderer}). */
@Component(service = ProxySpecContributor.class)
public final class PagesContributor implements ProxySpecContributor {
    private final PagesService pages;
    private final PageRenderer renderer;

    @Activate
    public PagesContributor(@Reference PagesService pages) {
        this.pages = pages;
        this.renderer = new PageRenderer(pages.templates());
    }

    @Override
    public ProxySpec contribute(AgentInfo agent, ProxySpec spec) {
        Map<String, PagesStore.Maintenance> maintenance = new HashMap<>();
        for (PagesStore.Maintenance m : pages.store().maintenances()) {
            maintenance.put(m.serviceId().toString(), m);
        }
        return renderer.render(spec, pages.store().allTemplates(), maintenance, agentMaintenance(agent), pages.now());
    }

    private PagesStore.Maintenance agentMaintenance(AgentInfo agent) {
        try {
            return agent == null || agent.id() == null
                    ? null
                    : pages.store()
                            .agentMaintenance(java.util.UUID.fromString(agent.id()))
                            .orElse(null);
        } catch (IllegalArgumentException e) {
            return null; // not a UUID: no setting can name it
        }
    }
}
