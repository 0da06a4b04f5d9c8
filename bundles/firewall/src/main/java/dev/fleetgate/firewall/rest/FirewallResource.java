package dev.fleetgate.firewall.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.POST;
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

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.BodyLimit;
import dev.fleetgate.api.RestResource;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.firewall.detect.AddressRanges;
import dev.fleetgate.firewall.detect.Decision;
import dev.fleetgate.firewall.detect.Replay;
import dev.fleetgate.firewall.detect.Settings;
import dev.fleetgate.firewall.internal.FirewallReports;
import dev.fleetgate.firewall.internal.FirewallService;
import dev.fleetgate.firewall.internal.FirewallStore;

/**
 * {@code /api/v1/firewall}: {@code blocks} (list, manual add, delete), {@code settings} (detector modes,
 * thresholds, allowlist, rules) and {@code replay} (an access log in, the clients the detectors would block out).
 */
@Component(service = RestResource.class)
@Path("firewall")
@Produces(MediaType.APPLICATION_JSON)
public final class FirewallResource implements RestResource {
    /** Largest replay body as sent (gzip or not). */
    public static final long MAX_REPLAY_BYTES = 256L << 20;
    /** Largest replay log once decompressed. */
    public static final long MAX_REPLAY_TEXT_BYTES = 2L << 30;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_TTL = 31_536_000;

    private final FirewallService firewall;
    private final FirewallReports reports;

    @Activate
    public FirewallResource(@Reference FirewallService firewall, @Reference FirewallReports reports) {
        this.firewall = firewall;
        this.reports = reports;
    }

    /**
     * The busiest clients per service over the last 5 to 10 minutes, as the agents count them in their access log
     * ({@code status.firewall.topClients}), summed over the agents.
     */
    @GET
    @Path("top-clients")
    public ArrayNode topClients(@QueryParam("serviceId") String serviceId, @QueryParam("limit") String limit) {
        Fields f = new Fields();
        UUID service = serviceId == null || serviceId.isEmpty()
                ? null
                : f.uuid(serviceId, "serviceId", "must be a service id");
        Integer n = f.integer(limit, "limit", 1, FirewallReports.MAX_TOP_CLIENTS, 10);
        f.check();
        ArrayNode out = JSON.createArrayNode();
        reports.topClients(service, n).forEach((key, clients) -> {
            ObjectNode o = out.addObject();
            if (key.isEmpty()) {
                o.putNull("serviceId");
            } else {
                o.put("serviceId", key);
            }
            ArrayNode list = o.putArray("clients");
            for (FirewallReports.TopClient c : clients) {
                ObjectNode e = list.addObject();
                e.put("ip", c.ip());
                e.put("requests", c.requests());
                e.put("errors", c.errors());
                e.put("agents", c.agents());
            }
        });
        return out;
    }

    @GET
    @Path("blocks")
    public ArrayNode blocks() {
        ArrayNode out = JSON.createArrayNode();
        for (FirewallStore.Block b : firewall.blocks()) {
            out.add(view(b));
        }
        return out;
    }

    @POST
    @Path("blocks")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response block(JsonNode body) {
        Fields f = new Fields();
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        f.unknown(body, Set.of("ip", "scope", "serviceId", "ttlSeconds", "action", "reason"), "");
        String ip = address(f, f.text(body, "ip", "ip", true, 45), "ip", true);
        String scope = f.choice(body, "scope", "scope", List.of("global", "service"), "global");
        UUID service = f.uuid(body, "serviceId", "serviceId", "service".equals(scope));
        if ("global".equals(scope) && service != null) {
            f.error("serviceId", "must be absent for a global block");
        }
        Integer ttl = f.integer(body, "ttlSeconds", "ttlSeconds", 10, MAX_TTL, null);
        String action = f.choice(body, "action", "action", List.of("block", "limit", "challenge"), "block");
        String reason = f.plainText(body, "reason", "reason", false, 500);
        f.check();
        FirewallStore.Block b = firewall.block(
                ip,
                "service".equals(scope) ? service : null,
                ttl,
                FirewallService.MANUAL,
                action,
                true,
                reason == null || reason.isBlank() ? "blocked by hand" : reason,
                null);
        return Response.status(Response.Status.CREATED).entity(view(b)).build();
    }

    @DELETE
    @Path("blocks/{ip}")
    public Response unblock(@PathParam("ip") String ip, @QueryParam("serviceId") String serviceId) {
        Fields f = new Fields();
        String address = address(f, f.text(ip, "ip", 45), "ip", false);
        if (address == null && f.ok()) {
            f.error("ip", "is required");
        }
        UUID service = serviceId == null ? null : f.uuid(serviceId, "serviceId", "must be a service id");
        f.check();
        if (firewall.unblock(address, service, serviceId == null) == 0) {
            throw ApiException.notFound("Block of " + address);
        }
        return Response.noContent().build();
    }

    /** A client address (IPv4 or IPv6 literal) that may be blocked. */
    private String address(Fields f, String text, String field, boolean blocking) {
        if (text == null) {
            return null;
        }
        String a = AddressRanges.normalise(text);
        if (a == null || a.contains("/")) {
            f.error(field, "must be an IPv4 or IPv6 address");
            return null;
        }
        String why = blocking ? firewall.protectedReason(a) : null;
        if (why != null) {
            f.error(field, why + ": never blocked");
        }
        return a;
    }

    @GET
    @Path("settings")
    public JsonNode settings() {
        return JSON.valueToTree(firewall.settings().toMap());
    }

    @PUT
    @Path("settings")
    @Consumes(MediaType.APPLICATION_JSON)
    public JsonNode putSettings(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("body", "must be a JSON object");
        }
        Fields f = new Fields();
        Map<String, Object> m = JSON.convertValue(body, new TypeReference<Map<String, Object>>() {});
        Settings s = Settings.fromMap(m, f::error);
        f.check();
        firewall.putSettings(s);
        return settings();
    }

    /**
     * Replays an access log (nginx {@code combined} or Fleetgate JSON lines, {@code Content-Encoding: gzip} allowed)
     * through the detectors with the current settings; nothing is blocked.
     */
    @POST
    @Path("replay")
    @Consumes({MediaType.TEXT_PLAIN, MediaType.APPLICATION_OCTET_STREAM})
    @BodyLimit(MAX_REPLAY_BYTES)
    public ObjectNode replay(InputStream body, @HeaderParam("Content-Encoding") String encoding) throws IOException {
        InputStream in = body;
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            if (!"gzip".equalsIgnoreCase(encoding.trim())) {
                throw ApiException.invalid("Content-Encoding", "must be gzip or absent");
            }
            try {
                in = new GZIPInputStream(body, 1 << 16);
            } catch (ZipException | java.io.EOFException e) {
                throw ApiException.invalid("body", "is not gzip data");
            }
        }
        Replay.Result r;
        try {
            r = firewall.replay(
                    new InputStreamReader(new CappedStream(in, MAX_REPLAY_TEXT_BYTES), StandardCharsets.UTF_8));
        } catch (ZipException | java.io.EOFException e) {
            throw ApiException.invalid("body", "is not valid gzip data");
        } catch (CappedStream.TooLarge e) {
            throw new ApiException(413, "The log is larger than " + MAX_REPLAY_TEXT_BYTES + " bytes once decompressed");
        }
        return view(r);
    }

    static ObjectNode view(Replay.Result r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("lines", r.lines());
        o.put("parsed", r.parsed());
        o.put("seconds", Math.round(r.seconds() * 1000) / 1000.0);
        o.put("linesPerSecond", Math.round(r.linesPerSecond()));
        o.put("truncated", r.truncated());
        ArrayNode blocked = o.putArray("blocked");
        for (Decision d : r.decisions()) {
            ObjectNode b = blocked.addObject();
            b.put("ip", d.client());
            b.put("detector", d.detector());
            b.put("line", d.line());
            b.put("reason", d.reason());
            b.put("action", d.action());
            b.put("mode", d.enforce() ? "enforce" : "shadow");
            if (d.serviceId() != null) {
                b.put("serviceId", d.serviceId());
            }
            b.put("at", java.time.Instant.ofEpochMilli(d.timeMillis()).toString());
            b.set("evidence", JSON.valueToTree(FirewallService.evidence(d)));
        }
        return o;
    }

    static ObjectNode view(FirewallStore.Block b) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ip", b.ip());
        o.put("scope", b.serviceId() == null ? "global" : "service");
        if (b.serviceId() == null) {
            o.putNull("serviceId");
        } else {
            o.put("serviceId", b.serviceId().toString());
        }
        o.put("detector", b.detector());
        o.put("action", b.action());
        o.put("mode", b.enforced() ? "enforce" : "shadow");
        o.put("reason", b.reason());
        o.put("since", b.since().toString());
        o.put("expiresAt", b.expiresAt().toString());
        JsonNode evidence;
        try {
            evidence = JSON.readTree(b.evidence());
        } catch (IOException e) {
            evidence = JSON.createObjectNode();
        }
        o.set("evidence", evidence);
        return o;
    }

    /** Counts bytes read and fails past a limit (a gzip body must not inflate without bound). */
    static final class CappedStream extends java.io.FilterInputStream {
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private final long max;
        private long read;

        CappedStream(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && ++read > max) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0 && (read += n) > max) {
                throw new TooLarge();
            }
            return n;
        }
    }
}
