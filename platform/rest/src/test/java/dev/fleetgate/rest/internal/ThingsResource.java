package dev.fleetgate.rest.internal;

import java.time.Instant;
import java.util.List;

import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.Caller;
import dev.fleetgate.api.RestResource;

/** A resource with one method per rule under test. */
@Path("things")
@Produces(MediaType.APPLICATION_JSON)
public class ThingsResource implements RestResource {

    public record Target(String host, int port) {}

    public record Thing(String name, List<Target> targets, Instant at, String error) {}

    @GET
    public List<Thing> list() {
        return List.of(
                new Thing("shop", List.of(new Target("127.0.0.1", 9001)), Instant.parse("2026-01-02T03:04:05Z"), null));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Thing create(Thing thing) {
        return thing;
    }

    @GET
    @Path("public")
    @PermitAll
    public String open() {
        return "\"open\"";
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed("admin")
    public void delete() {
        // accepted
    }

    @GET
    @Path("me")
    public String me(@Context SecurityContext security) {
        Caller c = (Caller) security.getUserPrincipal();
        return "\"" + c.name() + ":" + security.isUserInRole("operator") + "\"";
    }

    @GET
    @Path("missing")
    public String missing() {
        throw ApiException.notFound("Thing");
    }

    @POST
    @Path("invalid")
    @Consumes(MediaType.APPLICATION_JSON)
    public String invalid() {
        throw ApiException.invalid("upstream.targets[0].port", "must be between 1 and 65535");
    }

    @GET
    @Path("boom")
    public String boom() {
        throw new IllegalStateException("database password is hunter2");
    }
}
