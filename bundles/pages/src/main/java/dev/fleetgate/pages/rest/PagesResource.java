package dev.fleetgate.pages.rest;

import java.util.Map;
import java.util.Set;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
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
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.pages.internal.PageTemplates;
import dev.fleetgate.pages.internal.PagesService;
import dev.fleetgate.pages.internal.PagesStore;

/**
 * {@code /api/v1/pages}: the fleet-wide templates ({@code 403 404 429 500 502 503 504 maintenance}), each the
 * operator's or the shipped one; {@code POST /pages/preview} renders a template with sample data.
 */
@Component(service = RestResource.class)
@Path("pages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class PagesResource implements RestResource {
    private final PagesService pages;

    @Activate
    public PagesResource(@Reference PagesService pages) {
        this.pages = pages;
    }

    @GET
    public ArrayNode list() {
        Map<String, String> stored = pages.store().templates(PagesStore.DEFAULT_SCOPE);
        ArrayNode out = PageInput.JSON.createArrayNode();
        for (String key : PageTemplates.KEYS) {
            out.add(one(key, stored));
        }
        return out;
    }

    @GET
    @Path("variables")
    public ObjectNode variables() {
        ObjectNode n = PageInput.JSON.createObjectNode();
        PageTemplates.VARIABLES.forEach(n::put);
        return n;
    }

    @GET
    @Path("{status}")
    public ObjectNode get(@PathParam("status") String status) {
        String key = PageInput.key(status);
        return one(key, pages.store().templates(PagesStore.DEFAULT_SCOPE));
    }

    @PUT
    @Path("{status}")
    public ObjectNode put(@PathParam("status") String status, JsonNode body) {
        String key = PageInput.key(status);
        String html = PageInput.html(body, key, pages.templates());
        pages.putTemplate(PagesStore.DEFAULT_SCOPE, key, html);
        return PageInput.page(key, html, "default");
    }

    /** Back to the shipped template. */
    @DELETE
    @Path("{status}")
    public Response delete(@PathParam("status") String status) {
        String key = PageInput.key(status);
        if (!pages.deleteTemplate(PagesStore.DEFAULT_SCOPE, key)) {
            throw ApiException.notFound("Custom page " + key);
        }
        return Response.noContent().build();
    }

    /** {@code {"html", "status"?, "message"?, "service"?, "domain"?}} → {@code {"html"}} rendered with sample data. */
    @POST
    @Path("preview")
    public ObjectNode preview(JsonNode body) {
        PageInput.requireObject(body);
        Fields f = new Fields();
        String status = f.choice(body, "status", "status", PageTemplates.KEYS, "503");
        String html = f.text(body, "html", "html", true);
        String message = f.plainText(body, "message", "message", false, PageInput.MAX_MESSAGE);
        String service = f.plainText(body, "service", "service", false, 200);
        String domain = f.plainText(body, "domain", "domain", false, 253);
        f.unknown(body, Set.of("html", "status", "message", "service", "domain"), "");
        f.check();
        String reason = pages.templates().validate(status, html);
        if (reason != null) {
            throw ApiException.invalid("html", reason);
        }
        Map<String, Object> scope = PageTemplates.sample(status);
        if (message != null) {
            scope.put("message", message);
        }
        if (service != null) {
            scope.put("service", service);
        }
        if (domain != null) {
            scope.put("domain", domain);
        }
        ObjectNode n = PageInput.JSON.createObjectNode();
        n.put("status", status);
        n.put("html", pages.templates().render(html, scope));
        return n;
    }

    private ObjectNode one(String key, Map<String, String> stored) {
        String html = stored.get(key);
        return PageInput.page(
                key, html == null ? pages.templates().shipped(key) : html, html == null ? "shipped" : "default");
    }
}
