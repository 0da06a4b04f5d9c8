package dev.fleetgate.agents.rest;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.StreamingOutput;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.AgentDistribution;
import dev.fleetgate.agents.internal.AgentRegistry;
import dev.fleetgate.agents.internal.BundleRepository;
import dev.fleetgate.agents.internal.ContainerInventory;
import dev.fleetgate.agents.internal.CoreCertificate;
import dev.fleetgate.agents.internal.DesiredStateEngine;
import dev.fleetgate.agents.internal.Enrolment;
import dev.fleetgate.agents.internal.InstallScript;
import dev.fleetgate.agents.internal.Json;
import dev.fleetgate.agents.internal.SealedValues;
import dev.fleetgate.agents.internal.TaskQueue;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;

/**
 * {@code /api/v1/agents}, the endpoints people and the web admin call: enrolment tokens, the agent directory, state,
 * tasks, reported bundles and containers, the agent distribution and its install script. What agents call (enrol,
 * sync, bundle downloads) is {@link AgentProtocolResource}, on the same path.
 */
@Component(service = RestResource.class)
@Path("agents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AgentsResource implements RestResource {
    static final String JAR = "application/java-archive";
    static final String TGZ = "application/gzip";
    static final String SCRIPT = "text/x-shellscript; charset=utf-8";
    /** The header a new host sends its enrolment token in (the query parameter {@code token} also works). */
    public static final String TOKEN_HEADER = "X-Fleetgate-Token";

    static final String SHA256_HEADER = "X-Fleetgate-Sha256";

    private final AgentRegistry registry;
    private final Enrolment enrolment;
    private final DesiredStateEngine desiredState;
    private final TaskQueue tasks;
    private final BundleRepository bundles;
    private final ContainerInventory containers;
    private final AgentDistribution distribution;
    private final CoreCertificate certificate;
    /** Checks an admin's JWT on the download endpoints, which also take an enrolment token (so they are @PermitAll). */
    private volatile Authenticator authenticator;

    @Activate
    public AgentsResource(
            @Reference AgentRegistry registry,
            @Reference Enrolment enrolment,
            @Reference DesiredStateEngine desiredState,
            @Reference TaskQueue tasks,
            @Reference BundleRepository bundles,
            @Reference ContainerInventory containers,
            @Reference AgentDistribution distribution,
            @Reference CoreCertificate certificate) {
        this.registry = registry;
        this.enrolment = enrolment;
        this.desiredState = desiredState;
        this.tasks = tasks;
        this.bundles = bundles;
        this.containers = containers;
        this.distribution = distribution;
        this.certificate = certificate;
    }

    /** Binds the token checker of the security bundle (the REST host's own; optional so no cycle can form). */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            unbind = "unsetAuthenticator")
    public void setAuthenticator(Authenticator a) {
        this.authenticator = a;
    }

    public void unsetAuthenticator(Authenticator a) {
        if (authenticator == a) {
            authenticator = null;
        }
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
        String host = requestHost(headers);
        return Response.status(201)
                .entity(new Views.Token(
                        t.token(),
                        Views.time(t.expiresAt()),
                        t.coreFingerprint(),
                        t.command(host),
                        t.installCommand(host)))
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
        if (SealedValues.contains(payload)) {
            // the sync opens sealed values for the agent: a user's task must not have a stored secret opened
            throw ApiException.invalid(
                    "payload", "must not contain {\"" + DesiredStateContributor.SEALED + "\": …} values");
        }
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

    /**
     * The agent distribution (the tarball a new host installs), streamed. For a new host with its enrolment
     * token ({@code X-Fleetgate-Token} header or {@code token} query parameter; the token stays open) or for an
     * admin (JWT). {@code ETag} is the SHA-256 in quotes, also in {@code X-Fleetgate-Sha256}.
     */
    @GET
    @Path("distribution")
    @PermitAll
    @Produces(TGZ)
    public Response distribution(
            @QueryParam("token") String token,
            @HeaderParam(TOKEN_HEADER) String tokenHeader,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        authorize(token, tokenHeader, authorization);
        AgentDistribution.Info d = servedDistribution();
        String etag = "\"" + d.sha256() + "\"";
        if (etag.equals(ifNoneMatch)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        StreamingOutput body = out -> java.nio.file.Files.copy(d.file(), out);
        return Response.ok(body, TGZ)
                .header(HttpHeaders.CONTENT_LENGTH, d.size())
                .header(HttpHeaders.ETAG, etag)
                .header(SHA256_HEADER, d.sha256())
                .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                .header("Content-Disposition", "attachment; filename=\"" + AgentDistribution.FILE_NAME + "\"")
                .build();
    }

    /** Size and SHA-256 of the agent distribution (same access as the download). */
    @GET
    @Path("distribution/info")
    @PermitAll
    public Views.Distribution distributionInfo(
            @QueryParam("token") String token,
            @HeaderParam(TOKEN_HEADER) String tokenHeader,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        authorize(token, tokenHeader, authorization);
        AgentDistribution.Info d = servedDistribution();
        return new Views.Distribution(AgentDistribution.FILE_NAME, d.size(), d.sha256(), Views.time(d.modified()));
    }

    /**
     * The install script a new host pipes into {@code sh}: downloads the distribution (pinned to the core's
     * key, SHA-256 checked), unpacks it, enrols with the token and starts the agent. With an admin JWT and no
     * token the script takes the token from {@code FLEETGATE_AGENT_TOKEN} when it runs.
     */
    @GET
    @Path("install.sh")
    @PermitAll
    @Produces(SCRIPT)
    public Response installScript(
            @QueryParam("token") String token,
            @HeaderParam(TOKEN_HEADER) String tokenHeader,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @Context HttpHeaders headers) {
        Enrolment.OpenToken open = authorize(token, tokenHeader, authorization);
        String host = requestHost(headers);
        if (host == null) {
            throw ApiException.invalid(
                    "Host",
                    "the request's Host header must be a host name or an IP address:"
                            + " the script reaches the core by it");
        }
        AgentDistribution.Info d = servedDistribution();
        String pin = certificate.publicKeyPin().orElse(null);
        String fingerprint = certificate.fingerprint().orElse(null);
        if (pin == null || fingerprint == null) {
            throw ApiException.conflict("This core serves no HTTPS: the install script needs it (docs/security.md)");
        }
        String core = "https://" + host + ":" + certificate.httpsPort();
        String script = InstallScript.render(new InstallScript.Values(
                core,
                pin,
                fingerprint,
                d.sha256(),
                open == null ? null : tokenOf(token, tokenHeader),
                open == null ? null : open.name()));
        return Response.ok(script, SCRIPT)
                .header(HttpHeaders.CACHE_CONTROL, "no-store")
                .build();
    }

    private AgentDistribution.Info servedDistribution() {
        return distribution
                .info()
                .orElseThrow(() -> ApiException.notFound(
                        "The agent distribution on this core (agent/" + AgentDistribution.FILE_NAME + ")"));
    }

    private static String tokenOf(String query, String header) {
        return header != null && !header.isBlank() ? header.trim() : query == null ? null : query.trim();
    }

    /**
     * @return the open enrolment token presented, or null for an admin's JWT
     * @throws ApiException 401 without either, 400 for a malformed token, 403 for a token used, revoked or
     *                      expired, or a JWT of a non-admin
     */
    private Enrolment.OpenToken authorize(String query, String header, String authorization) {
        String token = tokenOf(query, header);
        if (token != null && !token.isEmpty()) {
            if (!Enrolment.TOKEN.matcher(token).matches()) {
                throw ApiException.invalid(
                        header != null && !header.isBlank() ? TOKEN_HEADER : "token", "is not an enrolment token");
            }
            return enrolment
                    .open(token)
                    .orElseThrow(() -> new ApiException(
                            403, "This enrolment token was used, revoked or has expired: create a new one"));
        }
        String bearer = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim()
                : null;
        Authenticator auth = authenticator;
        Optional<Caller> caller = Optional.empty();
        if (bearer != null && !bearer.isEmpty() && auth != null) {
            try {
                caller = auth.authenticate(bearer);
            } catch (RuntimeException e) {
                caller = Optional.empty(); // a broken token must not become a 500
            }
        }
        if (caller.isEmpty()) {
            throw new ApiException(
                    401, "An enrolment token (X-Fleetgate-Token or ?token=) or an admin's bearer token is required");
        }
        if (!caller.get().hasRole(Roles.ADMIN)) {
            throw new ApiException(403, "Only an admin (or a host with an enrolment token) may download the agent");
        }
        return null;
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
