package dev.fleetgate.security.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.security.internal.JwtCodec;
import dev.fleetgate.security.internal.LoginService;
import dev.fleetgate.security.internal.LoginThrottledException;

/** {@code /auth}: password login, logout and who-am-I. */
@Component(service = RestResource.class)
@Path("auth")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AuthResource implements RestResource {
    private final LoginService logins;

    @Activate
    public AuthResource(@Reference LoginService logins) {
        this.logins = logins;
    }

    @POST
    @Path("login")
    @PermitAll
    public Response login(Bodies.LoginRequest body, @Context HttpServletRequest request) {
        return loginFrom(body, request == null ? null : request.getRemoteAddr());
    }

    /** The login, given the client address (also the entry point for tests). */
    Response loginFrom(Bodies.LoginRequest body, String clientAddress) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || body.username() == null || body.username().isBlank()) {
            errors.add(new FieldError("username", "is required"));
        }
        if (body == null || body.password() == null || body.password().isEmpty()) {
            errors.add(new FieldError("password", "is required"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        try {
            JwtCodec.IssuedToken token = logins.login(body.username(), body.password(), clientAddress);
            return Response.ok(new Bodies.LoginResponse(token.token(), "Bearer", token.expiresInSeconds()))
                    .header("Cache-Control", "no-store")
                    .build();
        } catch (LoginThrottledException e) {
            return tooManyRequests(e);
        }
    }

    /** 429 problem with {@code Retry-After}. */
    static Response tooManyRequests(LoginThrottledException e) {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", "Too Many Requests");
        problem.put("status", 429);
        problem.put("detail", e.getMessage());
        return Response.status(429)
                .header("Retry-After", e.retryAfterSeconds())
                .type("application/problem+json")
                .entity(problem)
                .build();
    }

    /** Revokes every access token of the caller, this one included (on every device). */
    @POST
    @Path("logout")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public Response logout(@Context SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            throw new ApiException(401, "Not authenticated");
        }
        logins.logout(security.getUserPrincipal().getName());
        return Response.noContent().build();
    }

    @GET
    @Path("me")
    public Bodies.Me me(@Context SecurityContext security) {
        if (security == null || security.getUserPrincipal() == null) {
            throw new ApiException(401, "Not authenticated");
        }
        List<String> roles = new ArrayList<>();
        for (String role : List.of(Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER)) {
            if (security.isUserInRole(role)) {
                roles.add(role);
            }
        }
        return new Bodies.Me(security.getUserPrincipal().getName(), roles);
    }
}
