package dev.fleetgate.proxy.rest;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.internal.ProxyServices;
import dev.fleetgate.proxy.internal.ServiceHealth;
import dev.fleetgate.proxy.internal.ServiceStatus;
import dev.fleetgate.proxy.internal.StoredService;

/**
 * {@code /api/v1/services}: reads for every signed-in user, writes for operators and
 * admins (the REST host's default for POST/PUT/DELETE).
 */
@Component(service = RestResource.class)
@Path("services")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class ServicesResource implements RestResource {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ProxyServices services;
    private final ServiceStatus status;

    @Activate
    public ServicesResource(@Reference ProxyServices services, @Reference ServiceStatus status) {
        this.services = services;
        this.status = status;
    }

    @GET
    public List<ObjectNode> list() {
        List<StoredService> all = services.list();
        Map<UUID, String> health = status.health(all);
        return all.stream()
                .map(s -> {
                    ObjectNode n = ServiceJson.of(s);
                    n.put("health", health.getOrDefault(s.id(), ServiceHealth.UNKNOWN));
                    return n;
                })
                .toList();
    }

    @POST
    public Response create(JsonNode body, @Context UriInfo uri, @Context SecurityContext caller) {
        StoredService s = services.create(body, admin(caller), user(caller));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(s.id().toString()).build())
                .entity(ServiceJson.written(s))
                .build();
    }

    @GET
    @Path("{id}")
    public ObjectNode get(@PathParam("id") String id) {
        return ServiceJson.of(services.get(id(id)));
    }

    @PUT
    @Path("{id}")
    public ObjectNode update(@PathParam("id") String id, JsonNode body, @Context SecurityContext caller) {
        return ServiceJson.written(services.update(id(id), body, admin(caller), user(caller)));
    }

    /** @return whether the caller is an admin (who alone may set allowUnsafeTargets and containers.capAdd) */
    static boolean admin(SecurityContext caller) {
        return caller != null && caller.isUserInRole(Roles.ADMIN);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        services.delete(id(id));
        return Response.noContent().build();
    }

    /** {@code {"replicas": n}} for a service with managed containers → the service. */
    @PUT
    @Path("{id}/replicas")
    public ObjectNode replicas(@PathParam("id") String id, JsonNode body, @Context SecurityContext caller) {
        return ServiceJson.of(services.scale(id(id), body, user(caller)));
    }

    /** The kept revisions, newest first: {@code [{"revision","changedAt","changedBy","action","sourceRevision"}]}. */
    @GET
    @Path("{id}/revisions")
    public List<ObjectNode> revisions(@PathParam("id") String id) {
        return services.revisions(id(id)).stream().map(ServiceJson::revision).toList();
    }

    /** One kept revision with its {@code config} (the service's shape, secret variables masked). */
    @GET
    @Path("{id}/revisions/{revision}")
    public ObjectNode revision(@PathParam("id") String id, @PathParam("revision") String revision) {
        Fields in = new Fields();
        UUID sid = in.uuid(id, "id", "is not a service id (a UUID)");
        Integer n = in.integer(revision, "revision", 1, Integer.MAX_VALUE, null);
        if (n == null && in.ok()) {
            in.error("revision", "is required");
        }
        in.check();
        return ServiceJson.revision(services.revision(sid, n));
    }

    /** {@code {"revision": n}}: applies a kept revision's configuration as a new revision → the service. */
    @POST
    @Path("{id}/rollback")
    public ObjectNode rollback(@PathParam("id") String id, JsonNode body, @Context SecurityContext caller) {
        return ServiceJson.written(services.rollback(id(id), body, admin(caller), user(caller)));
    }

    /** @return the caller's user name, for the revision history */
    static String user(SecurityContext caller) {
        return caller == null || caller.getUserPrincipal() == null
                ? null
                : caller.getUserPrincipal().getName();
    }

    @GET
    @Path("{id}/status")
    public ServiceStatus.View status(@PathParam("id") String id) {
        return status.status(id(id));
    }

    static UUID id(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiException.invalid("id", "is not a service id (a UUID)");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }
}
