package dev.fleetgate.security.rest;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import javax.annotation.security.RolesAllowed;
import javax.servlet.http.HttpServletRequest;
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

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;
import dev.fleetgate.security.internal.LoginService;
import dev.fleetgate.security.internal.LoginThrottledException;
import dev.fleetgate.security.internal.TokenService;

/** {@code /users}: user administration (admin), and changing one's own password. */
@Component(service = RestResource.class)
@Path("users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class UsersResource implements RestResource {
    private final UserService users;
    private final TokenService tokens;
    private final LoginService logins;

    @Activate
    public UsersResource(@Reference UserService users, @Reference TokenService tokens, @Reference LoginService logins) {
        this.users = users;
        this.tokens = tokens;
        this.logins = logins;
    }

    @GET
    @RolesAllowed(Roles.ADMIN)
    public List<Bodies.UserView> list() {
        return users.list().stream().map(Bodies.UserView::of).toList();
    }

    @GET
    @Path("{username}")
    @RolesAllowed(Roles.ADMIN)
    public Bodies.UserView get(@PathParam("username") String username) {
        return users.find(username)
                .map(Bodies.UserView::of)
                .orElseThrow(() -> ApiException.notFound("User " + username));
    }

    @POST
    @RolesAllowed(Roles.ADMIN)
    public Response create(Bodies.CreateUser body, @Context UriInfo uri) {
        Bodies.CreateUser b = body == null ? new Bodies.CreateUser(null, null, null) : body;
        Set<String> roles = b.roles() == null ? null : new LinkedHashSet<>(b.roles());
        User created = users.create(b.username(), b.password(), roles);
        URI location = uri == null
                ? URI.create(created.username())
                : uri.getAbsolutePathBuilder().path(created.username()).build();
        return Response.created(location).entity(Bodies.UserView.of(created)).build();
    }

    @DELETE
    @Path("{username}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("username") String username) {
        users.delete(username);
        tokens.forget(username);
        return Response.noContent().build();
    }

    /**
     * Replaces a user's roles and revokes their tokens (which carry the old roles): the user
     * signs in again with the new ones.
     */
    @PUT
    @Path("{username}/roles")
    @RolesAllowed(Roles.ADMIN)
    public Bodies.UserView changeRoles(@PathParam("username") String username, Bodies.NewRoles body) {
        Set<String> roles = body == null || body.roles() == null ? null : new LinkedHashSet<>(body.roles());
        User changed = users.changeRoles(username, roles);
        tokens.forget(username);
        return Bodies.UserView.of(changed);
    }

    /**
     * Changes a password and revokes the user's tokens (the caller logs in again when it was
     * their own). One's own password needs the current one, admins included: a stolen token
     * alone must not take the account over.
     */
    @PUT
    @Path("{username}/password")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public Response changePassword(
            @PathParam("username") String username,
            Bodies.NewPassword body,
            @Context SecurityContext security,
            @Context HttpServletRequest request) {
        boolean self = security != null
                && security.getUserPrincipal() != null
                && security.getUserPrincipal().getName().equals(username);
        boolean admin = security != null && security.isUserInRole(Roles.ADMIN);
        if (!self && !admin) {
            throw new ApiException(403, "Only an admin may change another user's password");
        }
        if (self) {
            String current = body == null ? null : body.currentPassword();
            if (current == null || current.isEmpty()) {
                throw ApiException.invalid(
                        List.of(new FieldError("currentPassword", "is required to change your own password")));
            }
            try {
                if (!logins.checkPassword(username, current, request == null ? null : request.getRemoteAddr())) {
                    throw new ApiException(403, "The current password is wrong");
                }
            } catch (LoginThrottledException e) {
                return AuthResource.tooManyRequests(e);
            }
        }
        users.changePassword(username, body == null ? null : body.password());
        tokens.forget(username);
        return Response.noContent().build();
    }
}
