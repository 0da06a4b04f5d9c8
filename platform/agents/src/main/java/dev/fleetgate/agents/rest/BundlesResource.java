package dev.fleetgate.agents.rest;

import java.io.InputStream;
import java.util.List;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.BundleRepository;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;

/** {@code /api/v1/bundles}: bundle jars for agents and their deployments. */
@Component(service = RestResource.class)
@Path("bundles")
@Produces(MediaType.APPLICATION_JSON)
public final class BundlesResource implements RestResource {
    private final BundleRepository bundles;

    @Activate
    public BundlesResource(@Reference BundleRepository bundles) {
        this.bundles = bundles;
    }

    /** 201 with the new artifact; 200 with the existing one when the same jar was uploaded before. */
    @POST
    @Consumes({AgentsResource.JAR, MediaType.APPLICATION_OCTET_STREAM})
    @RolesAllowed(Roles.ADMIN)
    public Response upload(InputStream jar, @Context SecurityContext security) {
        String by = security == null || security.getUserPrincipal() == null
                ? null
                : security.getUserPrincipal().getName();
        BundleRepository.Upload u = bundles.upload(jar, by);
        return Response.status(u.created() ? 201 : 200)
                .entity(Views.Bundle.of(u.artifact()))
                .build();
    }

    @GET
    public List<Views.Bundle> list() {
        return bundles.list().stream().map(Views.Bundle::of).toList();
    }

    @GET
    @Path("{id}")
    public Views.Bundle get(@PathParam("id") String id) {
        return Views.Bundle.of(
                bundles.get(Input.id(id, "id")).orElseThrow(() -> ApiException.notFound("Bundle " + id)));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        bundles.delete(Input.id(id, "id"));
        return Response.noContent().build();
    }

    /** {@code {"agentIds"?: [...]}}: absent or empty deploys to every agent. */
    @POST
    @Path("{id}/deployments")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    public Views.Bundle deploy(@PathParam("id") String id, JsonNode body) {
        String bundleId = Input.id(id, "id");
        Input in = new Input(body);
        List<String> agentIds = in.strings("agentIds");
        in.check();
        return Views.Bundle.of(bundles.deploy(bundleId, agentIds));
    }

    @DELETE
    @Path("{id}/deployments")
    @RolesAllowed(Roles.ADMIN)
    public Response undeploy(@PathParam("id") String id) {
        bundles.undeploy(Input.id(id, "id"));
        return Response.noContent().build();
    }
}
