package dev.fleetgate.monitors.rest;

import java.util.List;
import java.util.UUID;

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
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.monitors.internal.MonitorService;
import dev.fleetgate.monitors.internal.MonitorStore;

/**
 * {@code /api/v1/monitors}: reads for every signed-in user, writes for operators and admins
 * (the REST host's default). The agents refuse link-local and metadata targets themselves.
 */
@Component(service = RestResource.class)
@Path("monitors")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class MonitorsResource implements RestResource {
    private final MonitorService monitors;
    private final MonitorStore store;

    @Activate
    public MonitorsResource(@Reference MonitorService monitors, @Reference MonitorStore store) {
        this.monitors = monitors;
        this.store = store;
    }

    /** Every monitor, or ({@code serviceId}) those attached to one service. */
    @GET
    public List<ObjectNode> list(@QueryParam("serviceId") String serviceId) {
        if (serviceId != null) {
            try {
                UUID.fromString(serviceId);
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid("serviceId", "must be a service id (UUID)");
            }
            if (serviceId.length() != 36) {
                throw ApiException.invalid("serviceId", "must be a service id (UUID)");
            }
            return monitors.ofService(serviceId).stream()
                    .map(MonitorJson::monitor)
                    .toList();
        }
        return monitors.list().stream().map(MonitorJson::monitor).toList();
    }

    @POST
    public Response create(JsonNode body, @Context UriInfo uri) {
        ObjectNode m = MonitorJson.monitor(monitors.create(body));
        return Response.created(
                        uri.getAbsolutePathBuilder().path(m.get("id").asText()).build())
                .entity(m)
                .build();
    }

    @GET
    @Path("{id}")
    public ObjectNode get(@PathParam("id") String id) {
        return MonitorJson.monitor(monitors.get(id(id)));
    }

    @PUT
    @Path("{id}")
    public ObjectNode update(@PathParam("id") String id, JsonNode body) {
        return MonitorJson.monitor(monitors.update(id(id), body));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        monitors.delete(id(id));
        return Response.noContent().build();
    }

    @GET
    @Path("{id}/status")
    public ObjectNode status(@PathParam("id") String id) {
        return MonitorJson.status(monitors.status(id(id)));
    }

    /** The most recent raw results, newest first ({@code limit} 1..1000, default 100). */
    @GET
    @Path("{id}/results")
    public List<ObjectNode> results(@PathParam("id") String id, @QueryParam("limit") String limit) {
        UUID uuid = id(id);
        int n = 100;
        if (limit != null) {
            if (!limit.matches("[0-9]{1,4}") || Integer.parseInt(limit) < 1 || Integer.parseInt(limit) > 1000) {
                throw ApiException.invalid("limit", "must be an integer from 1 to 1000");
            }
            n = Integer.parseInt(limit);
        }
        monitors.get(uuid);
        return store.results(uuid, n).stream()
                .map(r -> MonitorJson.result(JsonNodeFactory.instance.objectNode(), r))
                .toList();
    }

    /**
     * Hourly uptime over the last {@code hours} (1..720, default 24), oldest first; hours without
     * checks are left out: {@code {"hours": [{"hour","checks","ok","uptime","avgLatencyMs"}]}}.
     */
    @GET
    @Path("{id}/uptime")
    public ObjectNode uptime(@PathParam("id") String id, @QueryParam("hours") String hours) {
        UUID uuid = id(id);
        int n = 24;
        if (hours != null) {
            if (!hours.matches("[0-9]{1,3}") || Integer.parseInt(hours) < 1 || Integer.parseInt(hours) > 720) {
                throw ApiException.invalid("hours", "must be an integer from 1 to 720");
            }
            n = Integer.parseInt(hours);
        }
        monitors.get(uuid);
        java.time.Instant from = java.time.Instant.now()
                .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
                .minus(java.time.Duration.ofHours(n - 1L));
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("from", from.toString());
        com.fasterxml.jackson.databind.node.ArrayNode list = out.putArray("hours");
        for (MonitorStore.HourBucket b : store.hourly(uuid, from)) {
            ObjectNode h = list.addObject();
            h.put("hour", b.hour().toString());
            h.put("checks", b.checks());
            h.put("ok", b.ok());
            h.put("uptime", Math.round(100_000.0 * b.ok() / b.checks()) / 1000.0);
            if (b.avgLatencyMs() == null) {
                h.putNull("avgLatencyMs");
            } else {
                h.put("avgLatencyMs", Math.round(b.avgLatencyMs() * 10) / 10.0);
            }
        }
        return out;
    }

    /** Unknown or malformed ids are 404, like any missing monitor. */
    static UUID id(String id) {
        try {
            if (id != null && id.length() == 36) {
                return UUID.fromString(id);
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.notFound("Monitor " + id);
    }
}
