package dev.fleetgate.rest.internal;

import java.util.Optional;
import java.util.function.Supplier;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;

/** Checks the bearer token and the caller's roles against the matched method's {@link AccessPolicy}. */
@Priority(Priorities.AUTHENTICATION)
public final class AuthFilter implements ContainerRequestFilter {
    private static final Logger LOG = LoggerFactory.getLogger(AuthFilter.class);
    private static final String BEARER = "Bearer ";

    private final Supplier<Authenticator> authenticator;

    @Context
    private ResourceInfo resourceInfo;

    public AuthFilter(Supplier<Authenticator> authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        AccessPolicy policy =
                AccessPolicy.of(resourceInfo.getResourceMethod(), resourceInfo.getResourceClass(), request.getMethod());
        if (policy.open()) {
            return;
        }
        Authenticator auth = authenticator.get();
        if (auth == null) {
            request.abortWith(Problems.response(503, "Authentication service unavailable"));
            return;
        }
        Optional<Caller> caller;
        try {
            caller = token(request.getHeaderString(HttpHeaders.AUTHORIZATION)).flatMap(auth::authenticate);
        } catch (RuntimeException e) {
            if (DatabaseErrors.unavailable(e)) { // the token may be fine: we cannot tell now
                LOG.debug("Token not checked: database unavailable", e);
                request.abortWith(
                        Response.fromResponse(Problems.response(503, "The database is unavailable; try again shortly"))
                                .header(HttpHeaders.RETRY_AFTER, DatabaseErrors.RETRY_AFTER_SECONDS)
                                .build());
                return;
            }
            LOG.debug("Token rejected", e); // a broken token must not become a 500
            caller = Optional.empty();
        }
        if (caller.isEmpty()) {
            request.abortWith(Response.fromResponse(Problems.response(401, "A valid bearer token is required"))
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .build());
            return;
        }
        if (!policy.allows(caller.get())) {
            request.abortWith(Problems.response(403, "Your role does not allow this"));
            return;
        }
        boolean secure = request.getSecurityContext() != null
                && request.getSecurityContext().isSecure();
        request.setSecurityContext(new CallerSecurityContext(caller.get(), secure));
    }

    static Optional<String> token(String header) {
        if (header == null
                || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return Optional.empty();
        }
        String t = header.substring(BEARER.length()).strip();
        return t.isEmpty() ? Optional.empty() : Optional.of(t);
    }
}
