package dev.fleetgate.pages.rest;

import java.util.UUID;

import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.pages.internal.PagesService;
import dev.fleetgate.pages.internal.PagesStore;

/**
 * {@code /api/v1/agents/{id}/maintenance}: a whole agent's maintenance, the same body as a service's
 * ({@link MaintenanceResource}); while active, every service site the agent serves answers 503 with its maintenance
 * page and Retry-After to every client not in {@code allow} (a service's own active maintenance wins).
 */
@Component(service = RestResource.class)
@Path("agents/{id}/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentMaintenanceResource implements RestResource {
    private final PagesService pages;

    @Activate
    public AgentMaintenanceResource(@Reference PagesService pages) {
        this.pages = pages;
    }

    @GET
    public ObjectNode get(@PathParam("id") String id) {
        UUID agent = PageInput.agentId(id);
        pages.requireAgent(id);
        return PageInput.maintenance(
                "agentId", id, pages.agentMaintenance(agent).orElse(null), pages.now());
    }

    @PUT
    public ObjectNode put(@PathParam("id") String id, JsonNode body) {
        UUID agent = PageInput.agentId(id);
        pages.requireAgent(id);
        PagesStore.Maintenance m = PageInput.maintenance(agent, body);
        pages.putAgentMaintenance(m);
        return PageInput.maintenance("agentId", id, m, pages.now());
    }
}
