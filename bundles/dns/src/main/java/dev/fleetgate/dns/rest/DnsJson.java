package dev.fleetgate.dns.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.dns.internal.RecordPlanner;
import dev.fleetgate.dns.internal.StoredZone;
import dev.fleetgate.dns.internal.SyncResult;
import dev.fleetgate.dns.internal.TrackedRecord;

/** The JSON shapes of zones, records and sync results. The TSIG secret never leaves. */
public final class DnsJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private DnsJson() {}

    /** Record counts of a zone by view state. */
    public record Counts(int synced, int pending, int failed, int deleting) {
        public static final Counts NONE = new Counts(0, 0, 0, 0);
    }

    public static ObjectNode zone(StoredZone z, Counts counts) {
        ObjectNode n = F.objectNode();
        n.put("id", z.id().toString());
        n.put("zone", z.zone() + ".");
        n.put("provider", z.provider());
        n.put("server", z.server());
        n.put("port", z.port());
        n.put("tsigKeyName", z.tsigKeyName());
        n.put("tsigAlgorithm", z.tsigAlgorithm());
        n.put("tsigSecretSet", z.tsigSecretSet());
        n.put("ttl", z.ttl());
        n.put("createdAt", text(z.createdAt()));
        n.put("updatedAt", text(z.updatedAt()));
        StoredZone.Status s = z.status();
        ObjectNode st = n.putObject("status");
        st.put(
                "state",
                s.lastError() != null
                        ? "ERROR"
                        : counts.pending() + counts.deleting() > 0 ? "PENDING" : s.lastSyncAt() == null ? "NEW" : "OK");
        st.put("lastSyncAt", text(s.lastSyncAt()));
        st.put("lastError", s.lastError());
        st.put("lastErrorAt", text(s.lastErrorAt()));
        st.put("failures", s.failures());
        st.put("nextAttemptAt", text(s.nextAttemptAt()));
        ObjectNode c = st.putObject("records");
        c.put("synced", counts.synced());
        c.put("pending", counts.pending());
        c.put("failed", counts.failed());
        c.put("deleting", counts.deleting());
        return n;
    }

    /** SYNCED, PENDING, FAILED or DELETING. */
    public static String state(TrackedRecord r) {
        if (r.state() == TrackedRecord.State.PRESENT) {
            return "SYNCED";
        }
        if (r.lastError() != null) {
            return "FAILED";
        }
        return r.state() == TrackedRecord.State.DELETING ? "DELETING" : "PENDING";
    }

    public static Counts count(List<TrackedRecord> records) {
        int synced = 0;
        int pending = 0;
        int failed = 0;
        int deleting = 0;
        for (TrackedRecord r : records) {
            switch (state(r)) {
                case "SYNCED" -> synced++;
                case "FAILED" -> failed++;
                case "DELETING" -> deleting++;
                default -> pending++;
            }
        }
        return new Counts(synced, pending, failed, deleting);
    }

    public static ObjectNode record(TrackedRecord r, Map<UUID, String> zoneNames) {
        ObjectNode n = F.objectNode();
        n.put("domain", r.name());
        n.put("type", r.type().name());
        n.put("value", r.value());
        n.put("ttl", r.ttl());
        n.put("zone", zoneNames.getOrDefault(r.zoneId(), "?") + ".");
        n.put("zoneId", r.zoneId().toString());
        n.put("serviceId", r.serviceId() == null ? null : r.serviceId().toString());
        n.put("state", state(r));
        n.put("adopted", Boolean.TRUE.equals(r.adopted()));
        n.put("lastError", r.lastError());
        n.put("updatedAt", text(r.updatedAt()));
        return n;
    }

    /** A domain that gets no record: state NO_ADDRESS, the reason as lastError. */
    public static ObjectNode unresolved(RecordPlanner.Unresolved u, Map<UUID, String> zoneNames) {
        ObjectNode n = F.objectNode();
        n.put("domain", u.domain());
        n.putNull("type");
        n.putNull("value");
        n.putNull("ttl");
        n.put("zone", zoneNames.getOrDefault(u.zoneId(), "?") + ".");
        n.put("zoneId", u.zoneId().toString());
        n.put("serviceId", u.serviceId().toString());
        n.put("state", "NO_ADDRESS");
        n.put("adopted", false);
        n.put("lastError", u.reason());
        n.putNull("updatedAt");
        return n;
    }

    public static ObjectNode result(SyncResult r) {
        ObjectNode n = F.objectNode();
        n.put("ok", r.ok());
        n.put("busy", r.busy());
        n.put("millis", r.millis());
        var zones = n.putArray("zones");
        for (SyncResult.Zone z : r.zones()) {
            ObjectNode o = zones.addObject();
            o.put("zoneId", z.zoneId().toString());
            o.put("zone", z.zone() + ".");
            o.put("added", z.added());
            o.put("deleted", z.deleted());
            o.put("error", z.error());
            o.put("nextAttemptAt", text(z.nextAttempt()));
        }
        return n;
    }

    private static String text(Instant t) {
        return t == null ? null : t.toString();
    }
}
