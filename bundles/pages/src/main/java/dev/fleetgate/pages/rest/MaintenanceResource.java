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
 * {@code /api/v1/services/{id}/maintenance}: {@code {"enabled", "message"?, "retryAfterSeconds"?, "allow"?:[cidr],
 * "startsAt"?, "endsAt"?}}; the answer adds {@code active} (in force now).
 */
@Component(service = RestResource.class)
@Path("services/{id}/maintenance")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MaintenanceResource implements RestResource {
    private final PagesService pages;

    @Activate
    public MaintenanceResource(@Reference PagesService pages) {
        this.pages = pages;
    }

    @GET
    public ObjectNode get(@PathParam("id") String id) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        return PageInput.maintenance(id, pages.maintenance(service).orElse(null), pages.now());
    }

    @PUT
    public ObjectNode put(@PathParam("id") String id, JsonNode body) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        PagesStore.Maintenance m = PageInput.maintenance(service, body);
        pages.putMaintenance(m);
        return PageInput.maintenance(id, m, pages.now());
    }
}
