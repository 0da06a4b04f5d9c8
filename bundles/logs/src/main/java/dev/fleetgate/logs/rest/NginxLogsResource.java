package dev.fleetgate.logs.rest;

import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.logs.internal.LogFetcher;
import dev.fleetgate.logs.internal.LogQuery;

/**
 * {@code GET /api/v1/agents/{agentId}/nginx/logs/{access|error}?tail&cursor&filter&limit}: the
 * agent's nginx log lines ({@code stream} = the log's name), read on request.
 */
@Component(service = RestResource.class)
@Path("agents/{agentId}/nginx/logs/{log}")
@Produces(MediaType.APPLICATION_JSON)
public final class NginxLogsResource implements RestResource {
    private final LogFetcher fetcher;

    @Activate
    public NginxLogsResource(@Reference LogFetcher fetcher) {
        this.fetcher = fetcher;
    }

    @GET
    public void logs(
            @PathParam("agentId") String agentId,
            @PathParam("log") String log,
            @QueryParam("tail") String tail,
            @QueryParam("cursor") String cursor,
            @QueryParam("filter") String filter,
            @QueryParam("limit") String limit,
            @Suspended AsyncResponse response) {
        try {
            Fields errors = new Fields();
            String agent = LogQuery.agentId(agentId, errors);
            String which = LogQuery.nginxLog(log, errors);
            LogQuery q = LogQuery.parse(tail, cursor, filter, null, limit, errors);
            errors.check();
            Answers.resumeWith(response, fetcher, fetcher.nginx(agent, which, q));
        } catch (RuntimeException e) { // ApiException included: rendered as problem+json
            response.resume(e);
        }
    }
}
