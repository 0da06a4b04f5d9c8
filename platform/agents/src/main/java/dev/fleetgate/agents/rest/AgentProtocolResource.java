package dev.fleetgate.agents.rest;

import java.util.concurrent.TimeUnit;

import javax.annotation.security.PermitAll;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.BundleRepository;
import dev.fleetgate.agents.internal.Enrolment;
import dev.fleetgate.agents.internal.SyncBody;
import dev.fleetgate.agents.internal.SyncService;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.BodyLimit;
import dev.fleetgate.api.RestResource;

/**
 * The agent protocol under {@code /api/v1/agents}, what agents call (docs/protocol.md): enrolment with an enrolment
 * token, then sync and bundle downloads with the agent's API key, checked once by {@link AgentKeyFilter} before the
 * body is read. The endpoints people call are {@link AgentsResource}, on the same path (Jersey merges resources
 * of one path). Mounted only with the key filter: it is a mandatory reference, so that no REST application holds
 * the key-checked methods without their check.
 */
@Component(service = RestResource.class)
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentProtocolResource implements RestResource {
    private static final int MAX_WAIT_SECONDS = 3600;
    /** Largest sync body: a report with metrics and task results (e.g. fetched logs). */
    public static final long SYNC_MAX_BODY_BYTES = 32L << 20;

    private final Enrolment enrolment;
    private final SyncService sync;
    private final BundleRepository bundles;

    @Activate
    public AgentProtocolResource(
            @Reference Enrolment enrolment,
            @Reference SyncService sync,
            @Reference BundleRepository bundles,
            @Reference(target = "(component.name=dev.fleetgate.agents.rest.AgentKeyFilter)") RestResource keyFilter) {
        this.enrolment = enrolment;
        this.sync = sync;
        this.bundles = bundles;
    }

    @POST
    @Path("enroll")
    @PermitAll
    public Response enroll(JsonNode body) {
        Input in = new Input(body);
        Enrolment.Request r = new Enrolment.Request(
                in.text("token", true, 200),
                in.text("name", false, 63),
                in.text("hostname", true, 253),
                in.text("role", false, 16),
                in.text("version", false, 64));
        in.check();
        Enrolment.Enrolled e = enrolment.enroll(r);
        return Response.status(201)
                .entity(new Views.Enrolled(e.agentId(), e.apiKey(), sync.syncIntervalSeconds(), e.bundleSigningKey()))
                .build();
    }

    /**
     * The agent's sync (API key, not a user token); long-polls when there is nothing to send.
     * The key is checked once, before the body is read ({@link AgentKey}); the body may carry text
     * PostgreSQL refuses (U+0000), which the sync sanitises instead of refusing the report. The
     * body is read as bytes and split in one streaming pass ({@link SyncBody}): the metrics
     * array goes to the sink as raw JSON, never as a tree.
     */
    @POST
    @Path("{id}/sync")
    @PermitAll
    @AgentKey
    @BodyLimit(SYNC_MAX_BODY_BYTES)
    public void sync(
            @PathParam("id") String id,
            @QueryParam("wait") String wait,
            byte[] body,
            @Suspended AsyncResponse response) {
        try {
            String agentId = Input.id(id, "id");
            int waitSeconds = waitSeconds(wait);
            response.setTimeoutHandler(r -> r.resume(Views.SyncAnswer.of(sync.emptyAnswer())));
            sync.syncVerified(
                    agentId, SyncBody.parse(body), waitSeconds, answer -> response.resume(Views.SyncAnswer.of(answer)));
            // A sync answered at once (wait=0, or a change was waiting) needs no timeout: scheduling
            // and cancelling one woke Jersey's timer thread twice per sync.
            if (response.isSuspended()) {
                try {
                    response.setTimeout(Math.min(waitSeconds, sync.syncIntervalSeconds()) + 15L, TimeUnit.SECONDS);
                } catch (IllegalStateException answeredMeanwhile) {
                    // resumed between the check and the call: nothing left to time
                }
            }
        } catch (RuntimeException e) { // ApiException included: rendered as problem+json
            response.resume(e);
        }
    }

    private static int waitSeconds(String wait) {
        if (wait == null || wait.isBlank()) {
            return 0;
        }
        try {
            int w = Integer.parseInt(wait.trim());
            if (w >= 0 && w <= MAX_WAIT_SECONDS) {
                return w;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw ApiException.invalid("wait", "must be an integer between 0 and " + MAX_WAIT_SECONDS);
    }

    /** Bundle download for agents, with their API key. */
    @GET
    @Path("{id}/bundles/{sha256}")
    @PermitAll
    @AgentKey
    @Produces(AgentsResource.JAR)
    public Response download(@PathParam("id") String id, @PathParam("sha256") String sha256) {
        String agentId = Input.id(id, "id"); // the key was checked by AgentKeyFilter (@AgentKey)
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        byte[] jar = bundles.content(agentId, sha256)
                .orElseThrow(() -> ApiException.notFound("Bundle " + sha256 + " for agent " + id));
        return Response.ok(jar, AgentsResource.JAR)
                .header("Content-Length", jar.length)
                .build();
    }
}
