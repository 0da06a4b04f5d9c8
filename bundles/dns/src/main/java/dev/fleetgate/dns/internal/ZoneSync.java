package dev.fleetgate.dns.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Backoff;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsProvider;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;

/**
 * Sends one zone's pending records to its server: looks up names about to be added for the
 * first time (a record that is already there is adopted: confirmed, never deleted later),
 * then one provider call with every delete and add, then the rows' and the zone's status.
 */
final class ZoneSync {
    private static final Logger LOG = LoggerFactory.getLogger(ZoneSync.class);

    private final ZoneStore zones;
    private final RecordStore records;
    private final Providers providers;
    private final ZoneAccess access;
    private final Backoff backoff;

    ZoneSync(ZoneStore zones, RecordStore records, Providers providers, ZoneAccess access, Backoff backoff) {
        this.zones = zones;
        this.records = records;
        this.providers = providers;
        this.access = access;
        this.backoff = backoff;
    }

    /** @return null when the zone has nothing pending */
    SyncResult.Zone sync(StoredZone z, List<TrackedRecord> rows, boolean force, Instant now) {
        List<TrackedRecord> pending = rows.stream()
                .filter(r -> r.state() != TrackedRecord.State.PRESENT)
                .toList();
        if (pending.isEmpty()) {
            return null;
        }
        Instant next = z.status().nextAttemptAt();
        if (!force && next != null && now.isBefore(next)) {
            return new SyncResult.Zone(z.id(), z.zone(), 0, 0, z.status().lastError(), true, next);
        }
        try {
            DnsProvider provider = providers
                    .get(z.provider())
                    .orElseThrow(() -> new DnsException(
                            DnsException.Kind.CONFIG, "DNS provider " + z.provider() + " is not available"));
            DnsZone zone = access.open(z);
            List<TrackedRecord> resolved = adopt(provider, zone, pending);
            List<RecordChange> changes = new ArrayList<>();
            List<TrackedRecord> adds = new ArrayList<>();
            List<TrackedRecord> deletes = new ArrayList<>();
            for (TrackedRecord r : resolved) {
                if (r.state() == TrackedRecord.State.DELETING) {
                    deletes.add(r);
                    // never sent (adopted null) or not ours (adopted true): only forget it
                    if (Boolean.FALSE.equals(r.adopted())) {
                        changes.add(RecordChange.delete(r.record()));
                    }
                }
            }
            for (TrackedRecord r : resolved) {
                if (r.state() == TrackedRecord.State.ADDING) {
                    adds.add(r);
                    if (Boolean.FALSE.equals(r.adopted())) {
                        changes.add(RecordChange.add(r.record()));
                    }
                }
            }
            if (!changes.isEmpty()) {
                provider.apply(zone, changes);
            }
            records.applied(adds, deletes);
            zones.synced(z.id(), now);
            LOG.info("DNS zone {}: {} record(s) added, {} deleted", z.zone(), adds.size(), deletes.size());
            return new SyncResult.Zone(z.id(), z.zone(), adds.size(), deletes.size(), null, false, null);
        } catch (DnsException | RuntimeException e) {
            String error = e instanceof DnsException ? e.getMessage() : "Unexpected error: " + e;
            int failures = z.status().failures() + 1;
            Instant retry = now.plus(backoff.delay(failures));
            records.failed(pending, error);
            zones.failed(z.id(), error, now, failures, retry);
            LOG.warn("DNS zone {}: {} (attempt {}, next at {})", z.zone(), error, failures, retry);
            return new SyncResult.Zone(z.id(), z.zone(), 0, 0, error, false, retry);
        }
    }

    /** Looks up the names of records never checked; marks each adopted or own. */
    private List<TrackedRecord> adopt(DnsProvider provider, DnsZone zone, List<TrackedRecord> pending)
            throws DnsException {
        Map<String, Set<String>> present = new HashMap<>();
        List<TrackedRecord> adopted = new ArrayList<>();
        List<TrackedRecord> own = new ArrayList<>();
        List<TrackedRecord> out = new ArrayList<>();
        for (TrackedRecord r : pending) {
            if (r.state() != TrackedRecord.State.ADDING || r.adopted() != null) {
                out.add(r);
                continue;
            }
            String key = r.name() + " " + r.type();
            Set<String> values = present.get(key);
            if (values == null) {
                values = new HashSet<>();
                for (DnsRecord found : provider.lookup(zone, r.name(), r.type())) {
                    values.add(r.type() == RecordType.TXT ? found.value() : Addresses.canonical(found.value()));
                }
                present.put(key, values);
            }
            boolean there = values.contains(r.value());
            (there ? adopted : own).add(r);
            out.add(new TrackedRecord(
                    r.zoneId(),
                    r.name(),
                    r.type(),
                    r.value(),
                    r.ttl(),
                    r.serviceId(),
                    r.state(),
                    there,
                    r.lastError(),
                    r.updatedAt()));
        }
        records.adopted(adopted, own);
        if (!adopted.isEmpty()) {
            LOG.info(
                    "DNS zone {}: {} record(s) existed already; adopted, they will never be deleted by Fleetgate",
                    zone.name(),
                    adopted.size());
        }
        return out;
    }
}
