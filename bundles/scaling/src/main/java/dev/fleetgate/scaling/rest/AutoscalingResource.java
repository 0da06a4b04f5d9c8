package dev.fleetgate.scaling.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;
import dev.fleetgate.scaling.internal.AutoscalingService;
import dev.fleetgate.scaling.internal.AutoscalingStore;
import dev.fleetgate.scaling.internal.Decision;
import dev.fleetgate.scaling.internal.Policy;
import dev.fleetgate.scaling.internal.PolicyJson;

/**
 * {@code /api/v1/services/{id}/autoscaling}: the service's policy ({@code GET}, {@code PUT}, {@code DELETE}) and
 * {@code /decisions}, newest first. Reads for every role, writes for operator and admin.
 */
@Component(service = RestResource.class)
@Path("services/{id}/autoscaling")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class AutoscalingResource implements RestResource {
    static final int MAX_DECISIONS = 1000;
    private final AutoscalingService scaling;

    @Activate
    public AutoscalingResource(@Reference AutoscalingService scaling) {
        this.scaling = scaling;
    }

    /** The policy; a service without one answers {@code enabled: false} with the defaults. */
    @GET
    public ObjectNode get(@PathParam("id") String id) {
        UUID service = serviceId(id);
        scaling.requireService(id);
        return scaling.policy(service).map(AutoscalingResource::json).orElseGet(() -> {
            ObjectNode o = PolicyJson.write(new Policy(
                    false,
                    1,
                    1,
                    Policy.Targets.NONE,
                    Policy.DEFAULT_MAX_5XX,
                    Policy.DEFAULT_UP_WINDOW,
                    Policy.DEFAULT_DOWN_WINDOW,
                    Policy.DEFAULT_TOLERANCE,
                    Policy.DEFAULT_UP_STEP,
                    Policy.DEFAULT_DOWN_STEP,
                    Policy.DEFAULT_COOLDOWN,
                    null,
                    Policy.DEFAULT_MANUAL_PAUSE,
                    Policy.DEFAULT_SAMPLE_MAX_AGE));
            o.put("serviceId", service.toString());
            o.putNull("pausedUntil");
            o.putNull("pausedBy");
            o.putNull("updatedAt");
            return o;
        });
    }

    @PUT
    public ObjectNode put(@PathParam("id") String id, JsonNode body) {
        UUID service = serviceId(id);
        ServiceInfo svc = scaling.requireService(id);
        Fields in = new Fields();
        Policy p = PolicyJson.read(body, in);
        in.check();
        return json(scaling.put(svc, p));
    }

    @DELETE
    public Response delete(@PathParam("id") String id) {
        UUID service = serviceId(id);
        scaling.requireService(id);
        if (!scaling.delete(service)) {
            throw ApiException.notFound("Autoscaling policy of service " + id);
        }
        return Response.noContent().build();
    }

    /**
     * {@code [{"at","from","to","reason","rule","recommended","changed","signals"}]}, newest first; {@code limit}
     * 1..1000 (100).
     */
    @GET
    @Path("decisions")
    public List<ObjectNode> decisions(@PathParam("id") String id, @QueryParam("limit") String limit) {
        Fields in = new Fields();
        UUID service = in.uuid(id, "id", "is not a service id (a UUID)");
        Integer n = in.integer(limit, "limit", 1, MAX_DECISIONS, 100);
        in.check();
        scaling.requireService(id);
        return scaling.decisions(service, n).stream()
                .map(d -> decision(d.decision()))
                .toList();
    }

    static UUID serviceId(String id) {
        Fields in = new Fields();
        UUID u = in.uuid(id, "id", "is not a service id (a UUID)");
        in.check();
        return u;
    }

    static ObjectNode json(AutoscalingStore.StoredPolicy p) {
        ObjectNode o = PolicyJson.write(p.policy());
        o.put("serviceId", p.serviceId().toString());
        putTime(o, "pausedUntil", p.pausedUntil());
        if (p.pausedBy() == null) {
            o.putNull("pausedBy");
        } else {
            o.put("pausedBy", p.pausedBy());
        }
        putTime(o, "updatedAt", p.updatedAt());
        return o;
    }

    /** @return a decision's JSON */
    public static ObjectNode decision(Decision d) {
        ObjectNode o = PolicyJson.MAPPER.createObjectNode();
        o.put("at", Instant.ofEpochMilli(d.at()).toString());
        o.put("from", d.from());
        o.put("to", d.to());
        o.put("reason", d.reason());
        o.put("rule", d.rule());
        o.put("recommended", d.recommended());
        o.put("changed", d.changed());
        ObjectNode s = o.putObject("signals");
        for (Map.Entry<String, Double> e : d.signals().entrySet()) {
            s.put(e.getKey(), e.getValue());
        }
        return o;
    }

    private static void putTime(ObjectNode o, String k, Instant t) {
        if (t == null) {
            o.putNull(k);
        } else {
            o.put(k, t.toString());
        }
    }
}
