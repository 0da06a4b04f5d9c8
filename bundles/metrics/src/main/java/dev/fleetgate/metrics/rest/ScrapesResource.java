package dev.fleetgate.metrics.rest;

import java.util.List;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.metrics.internal.Json;
import dev.fleetgate.metrics.internal.ScrapeStore;
import dev.fleetgate.metrics.internal.Scrapes;

/**
 * {@code /api/v1/metrics/scrapes}: what agents scrape per service. Reads for every signed-in
 * user; PUT/DELETE for operators and admins (the REST host's default for writes).
 */
@Component(service = RestResource.class)
@Path("metrics/scrapes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ScrapesResource implements RestResource {
    private final Scrapes scrapes;

    @Activate
    public ScrapesResource(@Reference Scrapes scrapes) {
        this.scrapes = scrapes;
    }

    @GET
    public List<ObjectNode> list() {
        return scrapes.list().stream().map(this::json).toList();
    }

    @GET
    @Path("{serviceId}")
    public ObjectNode get(@PathParam("serviceId") String serviceId) {
        return json(scrapes.get(serviceId));
    }

    @PUT
    @Path("{serviceId}")
    public ObjectNode put(@PathParam("serviceId") String serviceId, JsonNode body) {
        return json(scrapes.put(serviceId, body));
    }

    @DELETE
    @Path("{serviceId}")
    public Response delete(@PathParam("serviceId") String serviceId) {
        scrapes.delete(serviceId);
        return Response.noContent().build();
    }

    private ObjectNode json(ScrapeStore.Scrape s) {
        ObjectNode o = Json.object().put("serviceId", s.serviceId());
        o.put("serviceName", scrapes.serviceName(s.serviceId()).orElse(null));
        return o.put("format", s.format())
                .put("path", s.path())
                .put("intervalSeconds", s.intervalSeconds())
                .put("updatedAt", s.updatedAt().toString());
    }
}
