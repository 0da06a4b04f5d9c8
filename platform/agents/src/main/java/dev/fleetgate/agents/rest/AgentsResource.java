package dev.fleetgate.agents.rest;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.annotation.security.PermitAll;
import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.container.Suspended;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.AgentRegistry;
import dev.fleetgate.agents.internal.BundleRepository;
import dev.fleetgate.agents.internal.ContainerInventory;
import dev.fleetgate.agents.internal.DesiredStateEngine;
import dev.fleetgate.agents.internal.Enrolment;
import dev.fleetgate.agents.internal.Json;
import dev.fleetgate.agents.internal.SyncBody;
import dev.fleetgate.agents.internal.SyncService;
import dev.fleetgate.agents.internal.TaskQueue;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.BodyLimit;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;

/** {@code /api/v1/agents}: enrolment, the agent directory, sync, state, tasks and bundle downloads. */
@Component(service = RestResource.class)
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentsResource implements RestResource {
    static final String JAR = "application/java-archive";
    private static final int MAX_WAIT_SECONDS = 3600;
    /** Largest sync body: a report with metrics and task results (e.g. fetched logs). */
    public static final long SYNC_MAX_BODY_BYTES = 32L << 20;

    private final AgentRegistry registry;
    private final Enrolment enrolment;
    private final DesiredStateEngine desiredState;
    private final TaskQueue tasks;
    private final SyncService sync;
    private final BundleRepository bundles;
    private final ContainerInventory containers;

    @Activate
    public AgentsResource(
            @Reference AgentRegistry registry,
            @Reference Enrolment enrolment,
            @Reference DesiredStateEngine desiredState,
            @Reference TaskQueue tasks,
            @Reference SyncService sync,
            @Reference BundleRepository bundles,
            @Reference ContainerInventory containers) {
        this.registry = registry;
        this.enrolment = enrolment;
        this.desiredState = desiredState;
        this.tasks = tasks;
        this.sync = sync;
        this.bundles = bundles;
        this.containers = containers;
    }

    @POST
    @Path("enrollment-tokens")
    @RolesAllowed(Roles.ADMIN)
    public Response createToken(JsonNode body, @Context SecurityContext security, @Context HttpHeaders headers) {
        Input in = new Input(body);
        String name = in.text("name", false, 63);
        Integer ttl = in.integer("ttlMinutes", 1, Enrolment.MAX_TTL_MINUTES);
        in.check();
        String by = security == null || security.getUserPrincipal() == null
                ? null
                : security.getUserPrincipal().getName();
        Enrolment.Token t = enrolment.createToken(name, ttl, by);
        return Response.status(201)
                .entity(new Views.Token(
                        t.token(), Views.time(t.expiresAt()), t.coreFingerprint(), t.command(requestHost(headers))))
                .build();
    }

    @GET
    @Path("enrollment-tokens")
    @RolesAllowed(Roles.ADMIN)
    public List<Views.OpenToken> openTokens() {
        return enrolment.openTokens().stream().map(Views.OpenToken::of).toList();
    }

    @DELETE
    @Path("enrollment-tokens/{tokenId}")
    @RolesAllowed(Roles.ADMIN)
    public Response revokeToken(@PathParam("tokenId") String tokenId) {
        enrolment.revoke(tokenId);
        return Response.noContent().build();
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

    @GET
    public List<Views.Agent> list() {
        return registry.list().stream().map(Views.Agent::of).toList();
    }

    @GET
    @Path("{id}")
    public Views.Agent get(@PathParam("id") String id) {
        return Views.Agent.of(registry.get(known(id)).orElseThrow(() -> ApiException.notFound("Agent " + id)));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response delete(@PathParam("id") String id) {
        if (!registry.delete(known(id))) {
            throw ApiException.notFound("Agent " + id);
        }
        return Response.noContent().build();
    }

    /**
     * The agent's sync (API key, not a user token); long-polls when there is nothing to send.
     * The key is checked before the body is read ({@link AgentKey}); the body may carry text
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
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            byte[] body,
            @Suspended AsyncResponse response) {
        try {
            String agentId = Input.id(id, "id");
            int waitSeconds = waitSeconds(wait);
            response.setTimeout(Math.min(waitSeconds, sync.syncIntervalSeconds()) + 15L, TimeUnit.SECONDS);
            response.setTimeoutHandler(r -> r.resume(Views.SyncAnswer.of(sync.emptyAnswer())));
            sync.sync(
                    agentId,
                    Input.bearer(authorization),
                    SyncBody.parse(body),
                    waitSeconds,
                    answer -> response.resume(Views.SyncAnswer.of(answer)));
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
    @Produces(JAR)
    public Response download(@PathParam("id") String id, @PathParam("sha256") String sha256) {
        String agentId = Input.id(id, "id"); // the key was checked by AgentKeyFilter (@AgentKey)
        if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
            throw ApiException.invalid("sha256", "must be 64 lower-case hex digits");
        }
        byte[] jar = bundles.content(agentId, sha256)
                .orElseThrow(() -> ApiException.notFound("Bundle " + sha256 + " for agent " + id));
        return Response.ok(jar, JAR).header("Content-Length", jar.length).build();
    }

    @GET
    @Path("{id}/bundles")
    public JsonNode reportedBundles(@PathParam("id") String id) {
        JsonNode states = bundles.reportedStates(known(id));
        return states == null ? Json.MAPPER.createArrayNode() : states;
    }

    /** Every container of the agent's host as the agent last reported it ([] before any report). */
    @GET
    @Path("{id}/containers")
    public JsonNode containers(@PathParam("id") String id) {
        return containers.containers(known(id));
    }

    @GET
    @Path("{id}/state")
    public Views.State state(@PathParam("id") String id) {
        return Views.State.of(desiredState.state(known(id)));
    }

    @POST
    @Path("{id}/tasks")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response submitTask(@PathParam("id") String id, JsonNode body) {
        String agentId = known(id);
        Input in = new Input(body);
        String type = in.text("type", true, 64);
        JsonNode payload = in.json("payload");
        Integer ttl = in.integer("ttlSeconds", 1, TaskQueue.MAX_TTL.toSeconds());
        in.check();
        Duration d = ttl == null ? null : Duration.ofSeconds(ttl);
        return Response.status(201)
                .entity(Views.Task.of(tasks.submit(agentId, type, payload, d)))
                .build();
    }

    @GET
    @Path("{id}/tasks")
    public List<Views.Task> listTasks(@PathParam("id") String id, @QueryParam("limit") String limit) {
        String agentId = known(id);
        int n = 50;
        if (limit != null) {
            try {
                n = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 1 || n > 500) {
                throw ApiException.invalid("limit", "must be an integer between 1 and 500");
            }
        }
        return tasks.list(agentId, n).stream().map(Views.Task::of).toList();
    }

    /** @return the canonical id of an existing agent; 400 malformed, 404 unknown */
    private String known(String id) {
        String agentId = Input.id(id, "id");
        if (!registry.exists(agentId)) {
            throw ApiException.notFound("Agent " + id);
        }
        return agentId;
    }

    /** The host name the admin reached the core by (for the agent command line), without port; null when unusable. */
    private static String requestHost(HttpHeaders headers) {
        String host = headers == null ? null : headers.getHeaderString(HttpHeaders.HOST);
        if (host == null
                || host.length() > 255
                || !host.matches("[A-Za-z0-9.\\-]+(:\\d+)?|\\[[0-9A-Fa-f:.]+\\](:\\d+)?")) {
            return null;
        }
        return host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1) : host.replaceFirst(":\\d+$", "");
    }
}
