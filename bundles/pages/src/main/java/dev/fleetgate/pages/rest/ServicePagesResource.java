package dev.fleetgate.pages.rest;

import java.util.Map;
import java.util.UUID;

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
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.pages.internal.PageRenderer;
import dev.fleetgate.pages.internal.PageTemplates;
import dev.fleetgate.pages.internal.PagesService;
import dev.fleetgate.pages.internal.PagesStore;

/**
 * {@code /api/v1/services/{id}/pages}: a service's pages. A service override of a status also makes the agent
 * replace that status (403, 404, 429, 500 are replaced only then; 502, 503, 504 always).
 */
@Component(service = RestResource.class)
@Path("services/{id}/pages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ServicePagesResource implements RestResource {
    private final PagesService pages;

    @Activate
    public ServicePagesResource(@Reference PagesService pages) {
        this.pages = pages;
    }

    @GET
    public ArrayNode list(@PathParam("id") String id) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        Map<String, String> own = pages.store().templates(service.toString());
        Map<String, String> defaults = pages.store().templates(PagesStore.DEFAULT_SCOPE);
        ArrayNode out = PageInput.JSON.createArrayNode();
        for (String key : PageTemplates.KEYS) {
            out.add(one(key, own, defaults));
        }
        return out;
    }

    @GET
    @Path("{status}")
    public ObjectNode get(@PathParam("id") String id, @PathParam("status") String status) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        String key = PageInput.key(status);
        return one(
                key, pages.store().templates(service.toString()), pages.store().templates(PagesStore.DEFAULT_SCOPE));
    }

    @PUT
    @Path("{status}")
    public ObjectNode put(@PathParam("id") String id, @PathParam("status") String status, JsonNode body) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        String key = PageInput.key(status);
        String html = PageInput.html(body, key, pages.templates());
        pages.putTemplate(service.toString(), key, html);
        ObjectNode n = PageInput.page(key, html, "service");
        n.put("replaced", true);
        return n;
    }

    /** Back to the fleet-wide page (and, for 403/404/429/500, to passing the upstream's answer through). */
    @DELETE
    @Path("{status}")
    public Response delete(@PathParam("id") String id, @PathParam("status") String status) {
        UUID service = PageInput.serviceId(id);
        pages.requireService(id);
        String key = PageInput.key(status);
        if (!pages.deleteTemplate(service.toString(), key)) {
            throw ApiException.notFound("Custom page " + key + " of service " + id);
        }
        return Response.noContent().build();
    }

    private ObjectNode one(String key, Map<String, String> own, Map<String, String> defaults) {
        String html = own.get(key);
        String source = "service";
        if (html == null) {
            html = defaults.get(key);
            source = html == null ? "shipped" : "default";
        }
        if (html == null) {
            html = pages.templates().shipped(key);
        }
        ObjectNode n = PageInput.page(key, html, source);
        n.put(
                "replaced",
                PageTemplates.MAINTENANCE.equals(key)
                        || PageRenderer.DEFAULT_REPLACED.contains(key)
                        || own.containsKey(key));
        return n;
    }
}
