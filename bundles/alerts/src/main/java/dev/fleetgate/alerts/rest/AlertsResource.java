package dev.fleetgate.alerts.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.AlertsRuntime;
import dev.fleetgate.alerts.internal.ChannelService;
import dev.fleetgate.alerts.internal.Dispatcher;
import dev.fleetgate.alerts.internal.Inputs;
import dev.fleetgate.alerts.internal.Json;
import dev.fleetgate.alerts.internal.Rule;
import dev.fleetgate.alerts.internal.Silence;
import dev.fleetgate.alerts.internal.StoredChannel;
import dev.fleetgate.alerts.internal.Templates;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.api.input.Fields;

/**
 * {@code /api/v1/alerts}: channels (admins write: they hold secrets), rules and silences
 * (operators and admins write), templates (operators and admins write). Reads for every role,
 * secrets masked.
 */
@Component(service = RestResource.class)
@Path("alerts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AlertsResource implements RestResource {
    private static final Set<String> TEMPLATE_CHANNEL_TYPES_FALLBACK = Set.of("telegram", "email", "webhook");

    private final AlertStore store;
    private final ChannelService channels;
    private final AlertsRuntime runtime;

    @Activate
    public AlertsResource(
            @Reference AlertStore store, @Reference ChannelService channels, @Reference AlertsRuntime runtime) {
        this.store = store;
        this.channels = channels;
        this.runtime = runtime;
    }

    // ---- channels

    @GET
    @Path("channels")
    public List<ObjectNode> listChannels() {
        return channels.list().stream().map(ChannelService::json).toList();
    }

    @POST
    @Path("channels")
    @RolesAllowed(Roles.ADMIN)
    public Response createChannel(JsonNode body, @Context UriInfo uri) {
        StoredChannel ch = channels.create(body);
        return Response.created(
                        uri.getAbsolutePathBuilder().path(ch.id().toString()).build())
                .entity(ChannelService.json(ch))
                .build();
    }

    @GET
    @Path("channels/{id}")
    public ObjectNode getChannel(@PathParam("id") String id) {
        return ChannelService.json(channels.get(id(id)));
    }

    @PUT
    @Path("channels/{id}")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode updateChannel(@PathParam("id") String id, JsonNode body) {
        return ChannelService.json(channels.update(id(id), body));
    }

    @DELETE
    @Path("channels/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response deleteChannel(@PathParam("id") String id) {
        channels.delete(id(id));
        return Response.noContent().build();
    }

    /** Sends a test message now; answers {@code {"ok", "error"}} (200 either way: the log has it too). */
    @POST
    @Path("channels/{id}/test")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ObjectNode testChannel(@PathParam("id") String id) {
        Dispatcher.TestResult r = runtime.dispatcher().test(id(id));
        ObjectNode n = Json.object();
        n.put("ok", r.ok());
        if (r.error() == null) {
            n.putNull("error");
        } else {
            n.put("error", r.error());
        }
        return n;
    }

    @GET
    @Path("channels/{id}/deliveries")
    public List<ObjectNode> channelDeliveries(@PathParam("id") String id, @QueryParam("limit") String limit) {
        UUID cid = id(id);
        channels.get(cid);
        return store.deliveries(null, cid, IncidentsResource.limit(limit)).stream()
                .map(IncidentsResource::delivery)
                .toList();
    }

    @GET
    @Path("channel-types")
    public List<String> channelTypes() {
        return runtime.channelTypes();
    }

    // ---- rules

    @GET
    @Path("rules")
    public List<ObjectNode> listRules() {
        return store.rules().stream().map(AlertsResource::rule).toList();
    }

    @POST
    @Path("rules")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response createRule(JsonNode body, @Context UriInfo uri) {
        Rule r = store.createRule(Inputs.rule(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(r.id().toString()).build())
                .entity(rule(r))
                .build();
    }

    @GET
    @Path("rules/{id}")
    public ObjectNode getRule(@PathParam("id") String id) {
        UUID rid = id(id);
        return rule(store.rule(rid).orElseThrow(() -> ApiException.notFound("Rule " + rid)));
    }

    @PUT
    @Path("rules/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ObjectNode updateRule(@PathParam("id") String id, JsonNode body) {
        UUID rid = id(id);
        Rule in = Inputs.rule(body);
        return rule(store.updateRule(rid, in));
    }

    @DELETE
    @Path("rules/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response deleteRule(@PathParam("id") String id) {
        UUID rid = id(id);
        if (!store.deleteRule(rid)) {
            throw ApiException.notFound("Rule " + rid);
        }
        return Response.noContent().build();
    }

    public static ObjectNode rule(Rule r) {
        ObjectNode n = Json.object();
        n.put("id", r.id().toString());
        n.put("name", r.name());
        n.put("kind", r.kind());
        n.put("enabled", r.enabled());
        n.put("severity", r.severity());
        if (r.isMetric()) {
            n.put("metric", r.metric());
            ObjectNode labels = n.putObject("labels");
            r.labels().forEach(labels::put);
            n.put("aggregate", r.aggregate());
            n.put("windowSeconds", r.windowSeconds());
            n.put("op", r.op());
            Json.put(n, "threshold", r.threshold());
            Json.put(n, "clearThreshold", r.clearThreshold());
            n.put("forSeconds", r.forSeconds());
        } else {
            n.put("eventKind", r.eventKind());
        }
        n.put("clearForSeconds", r.clearForSeconds());
        n.put("repeatIntervalSeconds", r.repeatIntervalSeconds());
        ArrayNode ch = n.putArray("channelIds");
        r.channelIds().forEach(c -> ch.add(c.toString()));
        n.put("builtin", r.builtin());
        Json.put(n, "createdAt", r.createdAt());
        Json.put(n, "updatedAt", r.updatedAt());
        return n;
    }

    // ---- silences

    @GET
    @Path("silences")
    public List<ObjectNode> listSilences(@QueryParam("all") boolean all) {
        return store.silences(!all).stream().map(AlertsResource::silence).toList();
    }

    @POST
    @Path("silences")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response createSilence(JsonNode body, @Context UriInfo uri, @Context SecurityContext security) {
        Silence s = store.createSilence(Inputs.silence(body, user(security)));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(s.id().toString()).build())
                .entity(silence(s))
                .build();
    }

    @DELETE
    @Path("silences/{id}")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response deleteSilence(@PathParam("id") String id) {
        UUID sid = id(id);
        if (!store.deleteSilence(sid)) {
            throw ApiException.notFound("Silence " + sid);
        }
        return Response.noContent().build();
    }

    static ObjectNode silence(Silence s) {
        ObjectNode n = Json.object();
        n.put("id", s.id().toString());
        if (s.ruleId() == null) {
            n.putNull("ruleId");
        } else {
            n.put("ruleId", s.ruleId().toString());
        }
        if (s.subject() == null) {
            n.putNull("subject");
        } else {
            n.put("subject", s.subject());
        }
        Json.put(n, "until", s.until());
        n.put("active", s.until().isAfter(Instant.now()));
        if (s.comment() == null) {
            n.putNull("comment");
        } else {
            n.put("comment", s.comment());
        }
        if (s.createdBy() == null) {
            n.putNull("createdBy");
        } else {
            n.put("createdBy", s.createdBy());
        }
        Json.put(n, "createdAt", s.createdAt());
        return n;
    }

    // ---- templates

    /**
     * Every (kind, channel type, event) that has a stored template, plus the built-in default
     * per channel type and event ({@code kind: "*", builtin: true}), and the variables.
     */
    @GET
    @Path("templates")
    public ObjectNode listTemplates() {
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("templates");
        Map<List<String>, String> stored = store.templates();
        for (String type : types()) {
            for (String event : Templates.EVENTS) {
                ObjectNode t = list.addObject();
                t.put("kind", "*");
                t.put("channelType", type);
                t.put("event", event);
                t.put("body", Templates.builtin(type, event));
                t.put("builtin", true);
            }
        }
        stored.forEach((k, body) -> {
            ObjectNode t = list.addObject();
            t.put("kind", k.get(0));
            t.put("channelType", k.get(1));
            t.put("event", k.get(2));
            t.put("body", body);
            t.put("builtin", false);
        });
        ObjectNode vars = out.putObject("variables");
        Templates.VARIABLES.forEach(vars::put);
        return out;
    }

    /** Stores a template after checking it compiles and renders with sample data. */
    @PUT
    @Path("templates")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ObjectNode putTemplate(JsonNode body) {
        TemplateKey k = templateKey(body, true);
        String text = runtime.templates()
                .render(k.body, Templates.vars(Dispatcher.sample(k.kind), k.event, "", Instant.now()));
        store.putTemplate(k.kind, k.channelType, k.event, k.body);
        ObjectNode n = Json.object();
        n.put("kind", k.kind);
        n.put("channelType", k.channelType);
        n.put("event", k.event);
        n.put("body", k.body);
        n.put("preview", text);
        return n;
    }

    /** Back to the built-in (or the kind {@code *}) template. */
    @DELETE
    @Path("templates")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public Response deleteTemplate(
            @QueryParam("kind") String kind,
            @QueryParam("channelType") String channelType,
            @QueryParam("event") String event) {
        ObjectNode q = Json.object();
        q.put("kind", kind);
        q.put("channelType", channelType);
        q.put("event", event);
        TemplateKey k = templateKey(q, false);
        if (!store.deleteTemplate(k.kind, k.channelType, k.event)) {
            throw ApiException.notFound("Template");
        }
        return Response.noContent().build();
    }

    /**
     * Renders {@code body} (or the template in effect for kind/channelType/event) with sample data:
     * {@code {"title", "text"}}; 400 with {@code errors[field=body]} when it does not compile or render.
     */
    @POST
    @Path("templates/preview")
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR, Roles.VIEWER})
    public ObjectNode preview(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Fields errors = new Fields();
        String kind = errors.plainText(body, "kind", "kind", false, 100);
        String type = errors.plainText(body, "channelType", "channelType", false, 50);
        String event = errors.plainText(body, "event", "event", false, 20);
        if (event != null && !Set.of("opened", "resolved", "repeat", "test").contains(event)) {
            errors.error("event", "must be opened, resolved, repeat or test");
        }
        // control characters (new lines) are fine in a template
        String text = errors.text(body, "body", "body", false, 20_000);
        errors.check();
        String e = event == null ? "opened" : event;
        String t = type == null ? "telegram" : type;
        String k = kind == null ? "metric" : kind;
        String template = text != null ? text : Templates.pick(store.templates(), k, t, e);
        dev.fleetgate.alerts.internal.Incident sample = Dispatcher.sample(k);
        if ("resolved".equals(e)) {
            sample = new dev.fleetgate.alerts.internal.Incident(
                    sample.id(),
                    sample.ruleId(),
                    sample.ruleName(),
                    sample.kind(),
                    sample.subject(),
                    "RESOLVED",
                    sample.severity(),
                    42.0,
                    sample.threshold(),
                    sample.op(),
                    sample.metric(),
                    sample.message(),
                    sample.labels(),
                    sample.openedAt(),
                    sample.lastSeenAt(),
                    Instant.now(),
                    null,
                    null,
                    false);
        }
        String rendered;
        try {
            rendered = runtime.templates()
                    .render(template, Templates.vars(sample, e, "https://fleet.example", Instant.now()));
        } catch (IllegalArgumentException ex) {
            throw ApiException.invalid("body", "does not render: " + ex.getMessage());
        }
        ObjectNode n = Json.object();
        n.put("title", Templates.title(rendered));
        n.put("text", rendered);
        return n;
    }

    private record TemplateKey(String kind, String channelType, String event, String body) {}

    private TemplateKey templateKey(JsonNode body, boolean withBody) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("", "must be a JSON object");
        }
        Fields errors = new Fields();
        String kind = errors.plainText(body, "kind", "kind", true, 100);
        if (kind != null && !"*".equals(kind) && !"metric".equals(kind) && !kind.matches("[a-z0-9][a-z0-9_.-]{0,99}")) {
            errors.error("kind", "must be *, metric or an event kind such as agent.offline");
        }
        String type = errors.plainText(body, "channelType", "channelType", true, 50);
        if (type != null && !types().contains(type)) {
            errors.error("channelType", "must be one of " + types());
        }
        String event = errors.plainText(body, "event", "event", true, 20);
        if (event != null && !Templates.EVENTS.contains(event)) {
            errors.error("event", "must be opened or resolved");
        }
        String text = null;
        if (withBody) {
            JsonNode b = body.get("body");
            if (b == null
                    || !b.isTextual()
                    || b.asText().isBlank()
                    || b.asText().length() > 20_000
                    || b.asText().indexOf('\0') >= 0) {
                errors.error("body", "must be a mustache template of at most 20000 characters");
            } else {
                text = b.asText();
                try {
                    runtime.templates()
                            .render(
                                    text,
                                    Templates.vars(
                                            Dispatcher.sample(kind),
                                            event == null ? "opened" : event,
                                            "",
                                            Instant.now()));
                } catch (IllegalArgumentException e) {
                    errors.error("body", "does not render: " + e.getMessage());
                }
            }
        }
        errors.check();
        return new TemplateKey(kind, type, event, text);
    }

    private List<String> types() {
        List<String> t = new ArrayList<>(runtime.channelTypes());
        for (String f : TEMPLATE_CHANNEL_TYPES_FALLBACK) {
            if (!t.contains(f)) {
                t.add(f);
            }
        }
        t.sort(null);
        return t;
    }

    static String user(SecurityContext security) {
        return security == null || security.getUserPrincipal() == null
                ? null
                : security.getUserPrincipal().getName();
    }

    static UUID id(String text) {
        if (text == null
                || !text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            throw ApiException.invalid("id", "is not an id (a UUID)");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }
}
