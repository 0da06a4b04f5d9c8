package dev.fleetgate.logs.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.logs.internal.LogFetcher;
import dev.fleetgate.logs.internal.LogQuery;

/**
 * {@code GET /api/v1/agents/{agentId}/containers/{containerId}/logs?tail&cursor&filter&stream&limit}:
 * a container's log lines, read by the agent on request. The request is suspended while
 * the agent answers (no thread held); polling with the returned cursor gives only newer lines.
 * Only containers Fleetgate manages are readable (404 for any other, as for a missing one); an admin may add
 * {@code unmanaged=true} to read any container on the agent's host (403 for other roles).
 */
@Component(service = RestResource.class)
@Path("agents/{agentId}/containers/{containerId}/logs")
@Produces(MediaType.APPLICATION_JSON)
public final class ContainerLogsResource implements RestResource {
    private final LogFetcher fetcher;

    @Activate
    public ContainerLogsResource(@Reference LogFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @GET
    public void logs(
            @PathParam("agentId") String agentId,
            @PathParam("containerId") String containerId,
            @QueryParam("tail") String tail,
            @QueryParam("cursor") String cursor,
            @QueryParam("filter") String filter,
            @QueryParam("stream") String stream,
            @QueryParam("limit") String limit,
            @QueryParam("unmanaged") String unmanaged,
            @Context SecurityContext caller,
            @Suspended AsyncResponse response) {
        try {
            boolean any = unmanaged != null && !unmanaged.equals("false");
            if (any && !unmanaged.equals("true")) {
                throw ApiException.invalid("unmanaged", "must be true or false");
            }
            if (any && (caller == null || !caller.isUserInRole(Roles.ADMIN))) {
                throw new ApiException(403, "Only an admin may read the logs of containers Fleetgate does not manage");
            }
            Fields errors = new Fields();
            String agent = LogQuery.agentId(agentId, errors);
            String container = LogQuery.container(containerId, errors);
            LogQuery q = LogQuery.parse(tail, cursor, filter, stream, limit, errors);
            errors.check();
            Answers.resumeWith(response, fetcher, fetcher.container(agent, container, q, any));
        } catch (RuntimeException e) { // ApiException included: rendered as problem+json
            response.resume(e);
        }
    }
}
