package dev.fleetgate.dns.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;

/**
 * Pure planning: which A/AAAA records the services need (desired), and what to change in
 * the tracked records to get there (diff). Deterministic for equal inputs.
 */
public final class RecordPlanner {

    /** A zone as the planner needs it. */
    public record Zone(UUID id, String name, int ttl) {}

    /** Planner switches (see {@link DnsConfig}). */
    public record Options(boolean onlineAgentsOnly, boolean preferEdge) {
        public static final Options DEFAULT = new Options(true, true);
    }

    /** A record some service needs. */
    public record Desired(UUID zoneId, String name, RecordType type, String value, int ttl, UUID serviceId) {
        public TrackedRecord.Key key() {
            return new TrackedRecord.Key(zoneId, name, type, value);
        }
    }

    /** A domain in a zone that gets no record, and why. */
    public record Unresolved(UUID zoneId, String domain, UUID serviceId, String reason) {}

    /** What the services need. */
    public record Plan(List<Desired> desired, List<Unresolved> unresolved) {}

    /**
     * Row changes.
     *
     * @param inserts new records (ADDING)
     * @param updates existing rows whose TTL or service changed, or that must be (re)sent
     * @param deletes rows no service needs any more (become DELETING)
     */
    public record Diff(List<Desired> inserts, List<Update> updates, List<TrackedRecord.Key> deletes) {
        public boolean isEmpty() {
            return inserts.isEmpty() && updates.isEmpty() && deletes.isEmpty();
        }
    }

    /** @param resend whether the row goes back to ADDING */
    public record Update(Desired desired, boolean resend) {}

    private RecordPlanner() {}

    /**
     * @param services every service
     * @param agents   every agent
     * @param zones    the configured zones; a domain belongs to the most specific one
     */
    public static Plan desired(List<ServiceInfo> services, List<AgentInfo> agents, List<Zone> zones, Options options) {
        Map<String, AgentInfo> byId = new HashMap<>();
        List<AgentInfo> edges = new ArrayList<>();
        for (AgentInfo a : agents) {
            byId.put(a.id(), a);
            if (a.role() == AgentInfo.Role.EDGE) {
                edges.add(a);
            }
        }
        edges.sort(Comparator.comparing(AgentInfo::id));
        Map<TrackedRecord.Key, Desired> out = new LinkedHashMap<>();
        List<Unresolved> unresolved = new ArrayList<>();
        List<ServiceInfo> sorted = new ArrayList<>(services);
        sorted.sort(Comparator.comparing(ServiceInfo::name).thenComparing(ServiceInfo::id));
        for (ServiceInfo s : sorted) {
            UUID serviceId = UUID.fromString(s.id());
            List<AgentInfo> serving = new ArrayList<>();
            if (!s.agentIds().isEmpty()) {
                if (options.preferEdge() && !edges.isEmpty()) {
                    serving.addAll(edges);
                } else {
                    s.agentIds().stream()
                            .map(byId::get)
                            .filter(Objects::nonNull)
                            .forEach(serving::add);
                }
            }
            Targets found = targets(serving, options.onlineAgentsOnly());
            for (String domain : s.domains()) {
                Zone zone = zoneOf(domain, zones);
                if (zone == null) {
                    continue;
                }
                if (found.values().isEmpty()) {
                    unresolved.add(new Unresolved(zone.id(), domain, serviceId, found.reason()));
                    continue;
                }
                for (String value : found.values()) {
                    RecordType type = Addresses.typeOf(value);
                    Desired d = new Desired(zone.id(), domain, type, value, zone.ttl(), serviceId);
                    out.putIfAbsent(d.key(), d);
                }
            }
        }
        return new Plan(List.copyOf(out.values()), List.copyOf(unresolved));
    }

    /** The most specific zone holding {@code domain} (a wildcard's base name decides), or null. */
    public static Zone zoneOf(String domain, List<Zone> zones) {
        String base = domain.startsWith("*.") ? domain.substring(2) : domain;
        Zone best = null;
        for (Zone z : zones) {
            if (Names.inZone(base, z.name())
                    && (best == null || z.name().length() > best.name().length())) {
                best = z;
            }
        }
        return best;
    }

    private record Targets(List<String> values, String reason) {}

    private static Targets targets(List<AgentInfo> serving, boolean onlineOnly) {
        if (serving.isEmpty()) {
            return new Targets(List.of(), "the service is placed on no agent");
        }
        List<AgentInfo> use = serving;
        if (onlineOnly) {
            List<AgentInfo> online = serving.stream()
                    .filter(a -> a.status() == AgentInfo.Status.ONLINE)
                    .toList();
            if (!online.isEmpty()) {
                use = online; // none online: keep pointing at all of them rather than at nothing
            }
        }
        Set<String> values = new LinkedHashSet<>();
        List<String> bad = new ArrayList<>();
        for (AgentInfo a : use) {
            String c = Addresses.canonical(a.address());
            if (c == null) {
                bad.add(a.name() + (a.address() == null ? " (none reported)" : " (" + a.address() + ")"));
            } else {
                values.add(c);
            }
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        return new Targets(sorted, "no agent serving it reported an IP address: " + String.join(", ", bad));
    }

    /**
     * @param force send every desired record again (full resync), even those already present
     */
    public static Diff diff(List<Desired> desired, List<TrackedRecord> existing, boolean force) {
        Map<TrackedRecord.Key, TrackedRecord> have = new HashMap<>();
        for (TrackedRecord r : existing) {
            have.put(r.key(), r);
        }
        List<Desired> inserts = new ArrayList<>();
        List<Update> updates = new ArrayList<>();
        Set<TrackedRecord.Key> wanted = new HashSet<>();
        for (Desired d : desired) {
            wanted.add(d.key());
            TrackedRecord r = have.get(d.key());
            if (r == null) {
                inserts.add(d);
                continue;
            }
            boolean revive = r.state() == TrackedRecord.State.DELETING;
            boolean ttl = r.ttl() != d.ttl();
            boolean resend = revive || ttl || force && r.state() == TrackedRecord.State.PRESENT;
            if (resend || !Objects.equals(r.serviceId(), d.serviceId())) {
                updates.add(new Update(d, resend));
            }
        }
        List<TrackedRecord.Key> deletes = new ArrayList<>();
        for (TrackedRecord r : existing) {
            if (!wanted.contains(r.key()) && r.state() != TrackedRecord.State.DELETING) {
                deletes.add(r.key());
            }
        }
        return new Diff(inserts, updates, deletes);
    }
}
