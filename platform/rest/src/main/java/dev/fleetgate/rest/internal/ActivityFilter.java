package dev.fleetgate.rest.internal;

import java.net.URI;
import java.security.Principal;
import java.util.List;
import java.util.Set;

import javax.annotation.Priority;
import javax.ws.rs.Priorities;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerResponseContext;
import javax.ws.rs.container.ContainerResponseFilter;
import javax.ws.rs.core.MultivaluedMap;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.RestResource;

/**
 * Records every successful write through the API by a user (POST, PUT, PATCH, DELETE
 * answered 2xx): who, the method and path as the action, the id the path names (or the one
 * a creation answered in {@code Location}) as the target, and the status. Never a body,
 * never a query string (both may carry secrets). Calls without a user (agents with their
 * key, login) are not recorded. A failure to record is logged; it never fails the call.
 */
@Component(service = RestResource.class)
@Priority(Priorities.USER)
public final class ActivityFilter implements ContainerResponseFilter, RestResource {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityFilter.class);
    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");
    /** Path parameters that name the changed thing, in order of preference. */
    private static final List<String> ID_PARAMS = List.of("id", "username", "name", "ip", "status");

    private final ActivityStore store;

    @Activate
    public ActivityFilter(@Reference ActivityStore store) {
        this.store = store;
    }

    @Override
    public void filter(ContainerRequestContext request, ContainerResponseContext response) {
        if (!WRITES.contains(request.getMethod()) || response.getStatus() < 200 || response.getStatus() > 299) {
            return;
        }
        Principal user = request.getSecurityContext() == null
                ? null
                : request.getSecurityContext().getUserPrincipal();
        if (user == null) {
            return;
        }
        UriInfo uri = request.getUriInfo();
        String action = request.getMethod() + " /" + uri.getPath(false);
        try {
            store.record(user.getName(), action, target(uri, response.getLocation()), response.getStatus());
        } catch (RuntimeException e) {
            LOG.warn("Activity not recorded ({} by {}): {}", action, user.getName(), e.getMessage());
        }
    }

    /** The id a creation answered in Location, else the path parameter naming the thing changed. */
    static String target(UriInfo uri, URI location) {
        if (location != null && location.getRawPath() != null) {
            String p = location.getRawPath();
            String last = p.substring(p.lastIndexOf('/') + 1);
            if (!last.isEmpty()) {
                return last;
            }
        }
        MultivaluedMap<String, String> params = uri.getPathParameters(false);
        for (String name : ID_PARAMS) {
            String v = params.getFirst(name);
            if (v != null) {
                return v;
            }
        }
        return params.values().stream().flatMap(List::stream).findFirst().orElse(null);
    }
}
