package dev.fleetgate.alerts.rest;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import javax.annotation.security.RolesAllowed;
import javax.ws.rs.Consumes;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.Incident;
import dev.fleetgate.alerts.internal.IncidentJson;
import dev.fleetgate.alerts.internal.Json;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.api.input.Fields;

/** {@code /api/v1/incidents}: list with filters, one with its timeline and deliveries, acknowledge. */
@Component(service = RestResource.class)
@Path("incidents")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class IncidentsResource implements RestResource {
    private final AlertStore store;

    @Activate
    public IncidentsResource(@Reference AlertStore store) {
        this.store = store;
    }

    /**
     * @param state    {@code open} or {@code resolved} (any case)
     * @param severity info, warning or critical
     * @param subject  a part of the subject (case-insensitive)
     * @param ruleId   a rule id
     * @param limit    at most this many (1..1000, default 200), newest first
     */
    @GET
    public List<ObjectNode> list(
            @QueryParam("state") String state,
            @QueryParam("severity") String severity,
            @QueryParam("subject") String subject,
            @QueryParam("ruleId") String ruleId,
            @QueryParam("limit") String limit) {
        String st = null;
        if (state != null && !state.isEmpty()) {
            st = state.toUpperCase(Locale.ROOT);
            if (!Set.of("OPEN", "RESOLVED").contains(st)) {
                throw ApiException.invalid("state", "must be open or resolved");
            }
        }
        String sev = null;
        if (severity != null && !severity.isEmpty()) {
            sev = severity.toLowerCase(Locale.ROOT);
            if (!Set.of("info", "warning", "critical").contains(sev)) {
                throw ApiException.invalid("severity", "must be info, warning or critical");
            }
        }
        String sub = null;
        if (subject != null && !subject.isEmpty()) {
            if (subject.length() > 500 || subject.indexOf('\0') >= 0) {
                throw ApiException.invalid("subject", "must be at most 500 characters");
            }
            sub = subject;
        }
        UUID rule = ruleId == null || ruleId.isEmpty() ? null : id(ruleId, "ruleId");
        return store.incidents(new AlertStore.IncidentFilter(st, sev, sub, rule, limit(limit))).stream()
                .map(IncidentJson::of)
                .toList();
    }

    /** The incident with {@code timeline} and {@code deliveries}. */
    @GET
    @Path("{id}")
    public ObjectNode get(@PathParam("id") String id) {
        UUID iid = id(id, "id");
        Incident i = store.incident(iid).orElseThrow(() -> ApiException.notFound("Incident " + iid));
        ObjectNode n = IncidentJson.of(i);
        ArrayNode timeline = n.putArray("timeline");
        for (AlertStore.TimelineEntry e : store.timeline(iid)) {
            ObjectNode t = timeline.addObject();
            Json.put(t, "at", e.at());
            t.put("type", e.type());
            if (e.detail() == null) {
                t.putNull("detail");
            } else {
                t.put("detail", e.detail());
            }
        }
        ArrayNode deliveries = n.putArray("deliveries");
        store.deliveries(iid, null, 1000).forEach(d -> deliveries.add(delivery(d)));
        return n;
    }

    @POST
    @Path("{id}/ack")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({Roles.ADMIN, Roles.OPERATOR})
    public ObjectNode ack(@PathParam("id") String id, @Context SecurityContext security) {
        return IncidentJson.of(store.ack(id(id, "id"), AlertsResource.user(security)));
    }

    static ObjectNode delivery(AlertStore.DeliveryRow d) {
        ObjectNode n = Json.object();
        n.put("id", d.id());
        if (d.incidentId() == null) {
            n.putNull("incidentId");
        } else {
            n.put("incidentId", d.incidentId().toString());
        }
        n.put("channelId", d.channelId().toString());
        n.put("channel", d.channelName());
        n.put("event", d.event());
        n.put("state", d.state());
        n.put("attempts", d.attempts());
        Json.put(n, "createdAt", d.createdAt());
        Json.put(n, "sentAt", d.sentAt());
        Json.put(n, "nextAttemptAt", "PENDING".equals(d.state()) ? d.nextAttemptAt() : null);
        if (d.lastError() == null) {
            n.putNull("error");
        } else {
            n.put("error", d.lastError());
        }
        return n;
    }

    static int limit(String text) {
        Fields f = new Fields();
        Integer n = f.integer(text, "limit", 1, 1000, 200);
        f.check();
        return n;
    }

    static UUID id(String text, String field) {
        Fields f = new Fields();
        UUID id = f.uuid(text, field, "is not an id (a UUID)");
        f.check();
        return id;
    }
}
