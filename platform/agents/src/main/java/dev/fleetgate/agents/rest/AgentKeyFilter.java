package dev.fleetgate.agents.rest;

import java.util.function.BiPredicate;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.agents.internal.AgentRegistry;
import dev.fleetgate.agents.internal.Ids;
import dev.fleetgate.api.RestResource;

/**
 * Checks the agent API key of {@link AgentKey} methods after matching and before the entity
 * is read (Jersey reads it only to invoke the method): an unknown agent or a wrong key gets
 * 401 without a byte of the body consumed. Unknown agent and wrong key answer alike.
 */
@Component(service = RestResource.class)
@AgentKey
@Priority(Priorities.AUTHENTICATION)
public final class AgentKeyFilter implements ContainerRequestFilter, RestResource {
    static final String DETAIL = "Unknown agent or invalid API key";

    private final BiPredicate<String, String> keys;

    @Activate
    public AgentKeyFilter(@Reference AgentRegistry registry) {
        this.keys = (agentId, key) -> registry.verify(agentId, key) == AgentRegistry.Check.OK;
    }

    /** For tests: {@code keys} says whether a key is right for an agent id. Not a public constructor (SCR). */
    static AgentKeyFilter of(BiPredicate<String, String> keys) {
        return new AgentKeyFilter(keys);
    }

    private AgentKeyFilter(BiPredicate<String, String> keys) {
        this.keys = keys;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String id = request.getUriInfo().getPathParameters().getFirst("id");
        String agentId = id == null ? null : Ids.canonical(id).orElse(null);
        String key = bearer(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (agentId == null || key == null || !keys.test(agentId, key)) {
            request.abortWith(Response.status(401)
                    .type("application/problem+json")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                    .entity("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + DETAIL
                            + "\"}")
                    .build());
        }
    }

    private static String bearer(String header) {
        if (header == null
                || !header.regionMatches(true, 0, "Bearer ", 0, 7)
                || header.substring(7).isBlank()) {
            return null;
        }
        return header.substring(7).trim();
    }
}
