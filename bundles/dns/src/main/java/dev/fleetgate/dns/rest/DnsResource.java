package dev.fleetgate.dns.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

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
import javax.ws.rs.core.UriInfo;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.Roles;
import dev.fleetgate.dns.internal.ReconcileEngine;
import dev.fleetgate.dns.internal.Reconciler;
import dev.fleetgate.dns.internal.RecordPlanner;
import dev.fleetgate.dns.internal.RecordStore;
import dev.fleetgate.dns.internal.StoredZone;
import dev.fleetgate.dns.internal.TrackedRecord;
import dev.fleetgate.dns.internal.ZoneService;

/**
 * {@code /api/v1/dns}: zones (reads for every signed-in user, writes for admins only: they
 * hold TSIG keys), the records view, and a forced sync (operators and admins).
 */
@Component(service = RestResource.class)
@Path("dns")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public final class DnsResource implements RestResource {
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ZoneService zones;
    private final RecordStore records;

    /** Absent while the proxy module is stopped: zones stay manageable, records cannot be synced. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile Reconciler reconciler;

    @Activate
    public DnsResource(@Reference ZoneService zones, @Reference RecordStore records) {
        this.zones = zones;
        this.records = records;
    }

    /** For tests. */
    static DnsResource of(ZoneService zones, RecordStore records, Reconciler reconciler) {
        DnsResource r = new DnsResource(zones, records);
        r.reconciler = reconciler;
        return r;
    }

    private Reconciler reconciler() {
        Reconciler r = reconciler;
        if (r == null) {
            throw new ApiException(503, "DNS records are not reconciled right now: the proxy module is not running");
        }
        return r;
    }

    @GET
    @Path("zones")
    public List<ObjectNode> listZones() {
        Map<UUID, List<TrackedRecord>> byZone =
                records.list().stream().collect(Collectors.groupingBy(TrackedRecord::zoneId));
        return zones.list().stream()
                .map(z -> DnsJson.zone(z, DnsJson.count(byZone.getOrDefault(z.id(), List.of()))))
                .toList();
    }

    @POST
    @Path("zones")
    @RolesAllowed(Roles.ADMIN)
    public Response createZone(JsonNode body, @Context UriInfo uri) {
        StoredZone z = zones.create(body);
        return Response.created(
                        uri.getAbsolutePathBuilder().path(z.id().toString()).build())
                .entity(DnsJson.zone(z, DnsJson.Counts.NONE))
                .build();
    }

    @GET
    @Path("zones/{id}")
    public ObjectNode getZone(@PathParam("id") String id) {
        StoredZone z = zones.get(id(id));
        return DnsJson.zone(z, DnsJson.count(records.list(z.id())));
    }

    @PUT
    @Path("zones/{id}")
    @RolesAllowed(Roles.ADMIN)
    public ObjectNode updateZone(@PathParam("id") String id, JsonNode body) {
        StoredZone z = zones.update(id(id), body);
        return DnsJson.zone(z, DnsJson.count(records.list(z.id())));
    }

    /**
     * Deletes the records Fleetgate created in the zone from its server, then the zone. When
     * the server cannot be cleaned: 502 and the zone stays, unless {@code force=true}.
     */
    @DELETE
    @Path("zones/{id}")
    @RolesAllowed(Roles.ADMIN)
    public Response deleteZone(@PathParam("id") String id, @QueryParam("force") boolean force) {
        UUID zoneId = id(id);
        ReconcileEngine.Removal r = reconciler().remove(zoneId, force);
        if (!r.found()) {
            if (r.error() != null) {
                throw new ApiException(503, r.error());
            }
            throw ApiException.notFound("Zone " + zoneId);
        }
        if (!r.deleted()) {
            throw new ApiException(
                    502,
                    "The zone's records could not be deleted from its DNS server: " + r.error()
                            + ". The zone is kept; fix the server or delete with ?force=true to forget the records.");
        }
        zones.removed(zoneId);
        return Response.noContent().build();
    }

    @GET
    @Path("records")
    public List<ObjectNode> listRecords(@QueryParam("zoneId") String zoneId) {
        UUID only = zoneId == null || zoneId.isEmpty() ? null : id(zoneId, "zoneId");
        Map<UUID, String> names = new HashMap<>();
        for (StoredZone z : zones.list()) {
            names.put(z.id(), z.zone());
        }
        List<ObjectNode> out = new ArrayList<>();
        for (TrackedRecord r : only == null ? records.list() : records.list(only)) {
            out.add(DnsJson.record(r, names));
        }
        Reconciler rec = reconciler;
        for (RecordPlanner.Unresolved u : rec == null ? List.<RecordPlanner.Unresolved>of() : rec.unresolved()) {
            if ((only == null || only.equals(u.zoneId())) && names.containsKey(u.zoneId())) {
                out.add(DnsJson.unresolved(u, names));
            }
        }
        out.sort(Comparator.comparing((ObjectNode n) -> n.get("zone").asText())
                .thenComparing(n -> n.get("domain").asText())
                .thenComparing(n -> n.get("type").asText(""))
                .thenComparing(n -> n.get("value").asText("")));
        return out;
    }

    /** Full reconcile now (ignores backoff, sends every record again); answers what it did. */
    @POST
    @Path("sync")
    @Consumes(MediaType.WILDCARD)
    public ObjectNode sync() {
        return DnsJson.result(reconciler().syncNow());
    }

    static UUID id(String text) {
        return id(text, "id");
    }

    static UUID id(String text, String field) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiException.invalid(field, "is not a zone id (a UUID)");
        }
        return UUID.fromString(text.toLowerCase(Locale.ROOT));
    }
}
