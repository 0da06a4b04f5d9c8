package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.internal.RecordPlanner.Desired;
import dev.fleetgate.dns.internal.RecordPlanner.Options;
import dev.fleetgate.dns.internal.RecordPlanner.Zone;
import dev.fleetgate.proxy.ServiceDirectory.ServiceInfo;

/** Desired records from services and agents; the diff against what is tracked. */
class RecordPlannerTest {
    private static final UUID Z = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID SUB = UUID.fromString("00000000-0000-0000-0000-00000000000b");
    private static final List<Zone> ZONES =
            List.of(new Zone(Z, "example.test", 60), new Zone(SUB, "eu.example.test", 30));
    private static final String A1 = "a1000000-0000-0000-0000-000000000001";
    private static final String A2 = "a2000000-0000-0000-0000-000000000002";
    private static final String S1 = "5e000000-0000-0000-0000-000000000001";
    private static final UUID SID = UUID.fromString(S1);

    private static AgentInfo host(String id, AgentInfo.Status status, String address) {
        return Fixtures.agent(id, AgentInfo.Role.HOST, status, address);
    }

    private static ServiceInfo svc(List<String> domains, String... agents) {
        return Fixtures.service(S1, "shop", domains, List.of(agents));
    }

    private static List<Desired> desired(List<ServiceInfo> s, List<AgentInfo> a) {
        return RecordPlanner.desired(s, a, ZONES, Options.DEFAULT).desired();
    }

    @Test
    void domainsGetRecordsOfTheirAgentsInTheMostSpecificZone() {
        List<Desired> d = desired(
                List.of(svc(List.of("shop.example.test", "*.shop.eu.example.test", "shop.other.org"), A1, A2)),
                List.of(host(A1, AgentInfo.Status.ONLINE, "127.0.0.1"), host(A2, AgentInfo.Status.ONLINE, "::1")));
        assertEquals(
                List.of(
                        new Desired(Z, "shop.example.test", RecordType.A, "127.0.0.1", 60, SID),
                        new Desired(Z, "shop.example.test", RecordType.AAAA, "::1", 60, SID),
                        new Desired(SUB, "*.shop.eu.example.test", RecordType.A, "127.0.0.1", 30, SID),
                        new Desired(SUB, "*.shop.eu.example.test", RecordType.AAAA, "::1", 30, SID)),
                d);
    }

    @Test
    void apexAndWildcardOfTheApex() {
        List<Desired> d = desired(
                List.of(svc(List.of("example.test", "*.example.test"), A1)),
                List.of(host(A1, AgentInfo.Status.ONLINE, "192.0.2.1")));
        assertEquals(
                List.of("example.test", "*.example.test"),
                d.stream().map(Desired::name).toList());
        assertTrue(d.stream().allMatch(x -> x.zoneId().equals(Z)));
    }

    @Test
    void offlineAgentsAreLeftOutUnlessAllAreOffline() {
        List<AgentInfo> agents = List.of(
                host(A1, AgentInfo.Status.OFFLINE, "127.0.0.1"), host(A2, AgentInfo.Status.ONLINE, "127.0.0.2"));
        assertEquals(List.of("127.0.0.2"), values(desired(List.of(svc(List.of("shop.example.test"), A1, A2)), agents)));
        List<AgentInfo> allOff = List.of(
                host(A1, AgentInfo.Status.OFFLINE, "127.0.0.1"), host(A2, AgentInfo.Status.OFFLINE, "127.0.0.2"));
        assertEquals(
                List.of("127.0.0.1", "127.0.0.2"),
                values(desired(List.of(svc(List.of("shop.example.test"), A1, A2)), allOff)));
        assertEquals(
                List.of("127.0.0.1", "127.0.0.2"),
                values(RecordPlanner.desired(
                                List.of(svc(List.of("shop.example.test"), A1, A2)),
                                agents,
                                ZONES,
                                new Options(false, true))
                        .desired()));
    }

    @Test
    void edgesFrontEveryPlacedService() {
        String edge = "e0000000-0000-0000-0000-00000000000e";
        List<AgentInfo> agents = List.of(
                host(A1, AgentInfo.Status.ONLINE, "127.0.0.1"),
                Fixtures.agent(edge, AgentInfo.Role.EDGE, AgentInfo.Status.ONLINE, "203.0.113.5"));
        assertEquals(List.of("203.0.113.5"), values(desired(List.of(svc(List.of("shop.example.test"), A1)), agents)));
        assertEquals(
                List.of("127.0.0.1"),
                values(RecordPlanner.desired(
                                List.of(svc(List.of("shop.example.test"), A1)), agents, ZONES, new Options(true, false))
                        .desired()));
        assertEquals(List.of(), desired(List.of(svc(List.of("shop.example.test"))), agents), "unplaced: no record");
    }

    @Test
    void domainsWithoutAddressAreReported() {
        RecordPlanner.Plan p = RecordPlanner.desired(
                List.of(svc(List.of("shop.example.test", "x.other.org"), A1)),
                List.of(host(A1, AgentInfo.Status.ONLINE, "agent.lan")),
                ZONES,
                Options.DEFAULT);
        assertEquals(List.of(), p.desired());
        assertEquals(1, p.unresolved().size());
        assertTrue(
                p.unresolved().get(0).reason().contains("agent.lan"),
                p.unresolved().toString());
        RecordPlanner.Plan none =
                RecordPlanner.desired(List.of(svc(List.of("shop.example.test"))), List.of(), ZONES, Options.DEFAULT);
        assertTrue(none.unresolved().get(0).reason().contains("no agent"));
    }

    @Test
    void diffAddsDeletesRevivesAndResends() {
        Desired keep = new Desired(Z, "a.example.test", RecordType.A, "127.0.0.1", 60, SID);
        Desired add = new Desired(Z, "b.example.test", RecordType.A, "127.0.0.1", 60, SID);
        Desired revive = new Desired(Z, "c.example.test", RecordType.A, "127.0.0.1", 60, SID);
        Desired ttl = new Desired(Z, "d.example.test", RecordType.A, "127.0.0.1", 120, SID);
        List<TrackedRecord> existing = List.of(
                row(keep, TrackedRecord.State.PRESENT, 60),
                row(revive, TrackedRecord.State.DELETING, 60),
                row(ttl, TrackedRecord.State.PRESENT, 60),
                row(
                        new Desired(Z, "gone.example.test", RecordType.A, "127.0.0.9", 60, SID),
                        TrackedRecord.State.PRESENT,
                        60),
                row(
                        new Desired(Z, "dying.example.test", RecordType.A, "127.0.0.9", 60, SID),
                        TrackedRecord.State.DELETING,
                        60));
        RecordPlanner.Diff d = RecordPlanner.diff(List.of(keep, add, revive, ttl), existing, false);
        assertEquals(List.of(add), d.inserts());
        assertEquals(List.of(new RecordPlanner.Update(revive, true), new RecordPlanner.Update(ttl, true)), d.updates());
        assertEquals(List.of(new TrackedRecord.Key(Z, "gone.example.test", RecordType.A, "127.0.0.9")), d.deletes());

        RecordPlanner.Diff forced =
                RecordPlanner.diff(List.of(keep), List.of(row(keep, TrackedRecord.State.PRESENT, 60)), true);
        assertEquals(List.of(new RecordPlanner.Update(keep, true)), forced.updates());
        assertTrue(RecordPlanner.diff(List.of(keep), List.of(row(keep, TrackedRecord.State.PRESENT, 60)), false)
                .isEmpty());
    }

    private static TrackedRecord row(Desired d, TrackedRecord.State state, int ttl) {
        return new TrackedRecord(
                d.zoneId(), d.name(), d.type(), d.value(), ttl, d.serviceId(), state, false, null, Instant.EPOCH);
    }

    private static List<String> values(List<Desired> d) {
        return d.stream().map(Desired::value).toList();
    }
}
