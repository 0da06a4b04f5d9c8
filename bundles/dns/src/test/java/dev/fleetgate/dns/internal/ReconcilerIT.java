package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.postgresql.ds.PGPoolingDataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.api.Topics;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * The reconciler on real PostgreSQL and a real bind9, with the service and agent
 * directories faked: records follow services, placements and agent status.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReconcilerIT {
    private static final String A1 = "a1000000-0000-0000-0000-000000000001";
    private static final String A2 = "a2000000-0000-0000-0000-000000000002";
    private static final String A3 = "a3000000-0000-0000-0000-000000000003";
    private static final String SHOP = "5e000000-0000-0000-0000-000000000001";
    private static final String MANUAL = "5e000000-0000-0000-0000-000000000002";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static TestDatabase db;

    @SuppressWarnings("deprecation")
    private static PGPoolingDataSource pool;

    private static Bind9 bind;
    private static ZoneStore zones;
    private static RecordStore records;
    private static ZoneService zoneService;
    private static ReconcileEngine engine;
    private static Reconciler reconciler;
    private static DnsServiceImpl dnsService;
    private static final Fixtures.Services SERVICES = new Fixtures.Services();
    private static final List<AgentInfo> AGENTS = new CopyOnWriteArrayList<>();
    private static UUID zoneId;

    @BeforeAll
    static void start() throws Exception {
        bind = Bind9.start("manual IN A 192.0.2.10");
        db = TestDatabase.create();
        Fixtures.migrate(db.dataSource());
        // pooled, as in Karaf (Hikari): a new PostgreSQL connection per statement would dominate the latency
        pool = new PGPoolingDataSource();
        pool.setURL(db.jdbcUrl());
        pool.setUser(TestDatabase.user());
        pool.setPassword(TestDatabase.password());
        pool.setMaxConnections(4);
        zones = new ZoneStore(pool);
        records = new RecordStore(zones);
        Providers providers = new Providers();
        providers.add(Rfc2136Provider.withTimeout(Duration.ofSeconds(5)), Rfc2136Provider.TYPE);
        var box = Fixtures.secretBox();
        zoneService = new ZoneService(zones, providers, box, new Fixtures.Events());
        dnsService = new DnsServiceImpl(zones, providers, box);
        engine = new ReconcileEngine(
                zones,
                records,
                SERVICES::services,
                () -> new ArrayList<>(AGENTS),
                providers,
                new ZoneAccess(box),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)),
                RecordPlanner.Options.DEFAULT,
                Clock.systemUTC());
        reconciler = Reconciler.of(engine, () -> new ArrayList<>(AGENTS), 20);
        AGENTS.add(Fixtures.agent(A1, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "127.0.0.11"));
        AGENTS.add(Fixtures.agent(A2, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "127.0.0.12"));
        AGENTS.add(Fixtures.agent(A3, AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "::1"));
    }

    @AfterAll
    static void stop() throws Exception {
        reconciler.close();
        bind.close();
        db.close(); // drops the database WITH (FORCE), which ends the pool's connections
    }

    private static ObjectNode zoneBody(byte[] secret) {
        ObjectNode b = JSON.createObjectNode();
        b.put("zone", "Example.Test.");
        b.put("server", "127.0.0.1");
        b.put("port", bind.port());
        b.put("tsigKeyName", "fleetgate");
        b.put("tsigAlgorithm", "hmac-sha256");
        b.put("tsigSecret", Base64.getEncoder().encodeToString(secret));
        b.put("ttl", 30);
        return b;
    }

    private static void changed(String topic) {
        reconciler.handleEvent(Fixtures.event(topic));
    }

    private static void setAgent(String id, AgentInfo.Status status) {
        AgentInfo a = AGENTS.stream().filter(x -> x.id().equals(id)).findFirst().orElseThrow();
        AGENTS.remove(a);
        AGENTS.add(Fixtures.agent(id, a.role(), status, a.address()));
    }

    @Test
    @Order(1)
    void zoneSecretIsSealedAtRest() throws Exception {
        StoredZone z = zoneService.create(zoneBody(bind.key().secret()));
        zoneId = z.id();
        assertEquals("example.test", z.zone());
        assertTrue(z.tsigSecretSet());
        String plain = Base64.getEncoder().encodeToString(bind.key().secret());
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT tsig_secret FROM dns_zone")) {
            assertTrue(rs.next());
            assertTrue(rs.getString(1).startsWith("v1:"));
            assertFalse(rs.getString(1).contains(plain));
        }
    }

    @Test
    @Order(2)
    void recordsFollowTheService() throws Exception {
        SERVICES.put(Fixtures.service(
                SHOP, "shop", List.of("shop.example.test", "*.shop.example.test", "shop.elsewhere.org"), List.of(A1)));
        long t0 = System.nanoTime();
        changed(ServiceDirectory.TOPIC_CHANGED);
        bind.await("shop.example.test", "A", List.of("127.0.0.11"));
        long createMs = (System.nanoTime() - t0) / 1_000_000;
        bind.await("x.shop.example.test", "A", List.of("127.0.0.11"));

        SERVICES.put(Fixtures.service(SHOP, "shop", List.of("shop.example.test", "*.shop.example.test"), List.of(A2)));
        t0 = System.nanoTime();
        changed(ServiceDirectory.TOPIC_CHANGED);
        bind.await("shop.example.test", "A", List.of("127.0.0.12"));
        long moveMs = (System.nanoTime() - t0) / 1_000_000;
        bind.await("x.shop.example.test", "A", List.of("127.0.0.12"));

        SERVICES.put(Fixtures.service(SHOP, "shop", List.of("shop.example.test"), List.of(A2, A3)));
        changed(ServiceDirectory.TOPIC_CHANGED);
        bind.await("shop.example.test", "AAAA", List.of("::1"));
        bind.await("shop.example.test", "A", List.of("127.0.0.12"));
        bind.await("x.shop.example.test", "A", List.of());
        awaitSettled();
        List<TrackedRecord> rows = records.list(zoneId);
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.stream().allMatch(r -> r.state() == TrackedRecord.State.PRESENT && r.lastError() == null));
        assertNotNull(zones.get(zoneId).orElseThrow().status().lastSyncAt());
        System.out.printf(
                "[dns] service change -> record visible in bind9: create %d ms, move %d ms" + " (20 ms debounce)%n",
                createMs, moveMs);
    }

    @Test
    @Order(3)
    void otherModulesPlaceTxtRecordsThatTheReconcilerLeavesAlone() throws Exception {
        DnsRecord txt = new DnsRecord("_acme-challenge.shop.example.test", RecordType.TXT, "challenge-token", 30);
        dnsService.apply(List.of(RecordChange.add(txt)));
        assertEquals(List.of("\"challenge-token\""), bind.dig("_acme-challenge.shop.example.test", "TXT"));
        assertEquals(List.of(txt), dnsService.lookup("_acme-challenge.shop.example.test.", RecordType.TXT));
        assertEquals(
                "example.test",
                dnsService.zoneOf("_acme-challenge.shop.example.test").orElseThrow());
        assertTrue(dnsService.zoneOf("shop.other.org").isEmpty());
        assertThrows(
                IllegalArgumentException.class,
                () -> dnsService.apply(
                        List.of(RecordChange.add(new DnsRecord("x.example.test", RecordType.A, "127.0.0.1", 30)))));
        DnsException e = assertThrows(
                DnsException.class,
                () -> dnsService.apply(List.of(
                        RecordChange.add(new DnsRecord("_acme-challenge.other.org", RecordType.TXT, "t", 30)))));
        assertEquals(DnsException.Kind.CONFIG, e.kind());

        await(() -> !engine.run(true).busy()); // a full pass leaves records it does not track alone
        assertEquals(List.of("\"challenge-token\""), bind.dig("_acme-challenge.shop.example.test", "TXT"));
        dnsService.apply(List.of(RecordChange.delete(txt)));
        assertEquals(List.of(), bind.dig("_acme-challenge.shop.example.test", "TXT"));
    }

    @Test
    @Order(4)
    void recordsFollowAgentStatus() throws Exception {
        setAgent(A2, AgentInfo.Status.OFFLINE);
        changed(Topics.AGENT_STATUS);
        bind.await("shop.example.test", "A", List.of());
        bind.await("shop.example.test", "AAAA", List.of("::1"));
        setAgent(A2, AgentInfo.Status.ONLINE);
        changed(Topics.AGENT_REPORT);
        bind.await("shop.example.test", "A", List.of("127.0.0.12"));
    }

    @Test
    @Order(5)
    void edgeAgentsFrontEveryService() throws Exception {
        String edge = "e0000000-0000-0000-0000-00000000000e";
        AGENTS.add(Fixtures.agent(edge, AgentInfo.Role.EDGE, AgentInfo.Status.ONLINE, "127.0.0.99"));
        changed(Topics.AGENT_REPORT);
        bind.await("shop.example.test", "A", List.of("127.0.0.99"));
        bind.await("shop.example.test", "AAAA", List.of());
        AGENTS.removeIf(a -> a.id().equals(edge));
        changed(Topics.AGENT_STATUS);
        bind.await("shop.example.test", "A", List.of("127.0.0.12"));
        bind.await("shop.example.test", "AAAA", List.of("::1"));
    }

    @Test
    @Order(6)
    void existingRecordsAreAdoptedNeverDeleted() throws Exception {
        AGENTS.add(Fixtures.agent(
                "a4000000-0000-0000-0000-000000000004", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, "192.0.2.10"));
        SERVICES.put(Fixtures.service(
                MANUAL, "manual", List.of("manual.example.test"), List.of("a4000000-0000-0000-0000-000000000004")));
        changed(ServiceDirectory.TOPIC_CHANGED);
        await(() -> records.list(zoneId).stream()
                .anyMatch(x -> x.name().equals("manual.example.test") && x.state() == TrackedRecord.State.PRESENT));
        TrackedRecord r = records.list(zoneId).stream()
                .filter(x -> x.name().equals("manual.example.test"))
                .findFirst()
                .orElseThrow();
        assertEquals(Boolean.TRUE, r.adopted());
        SERVICES.list.removeIf(s -> s.id().equals(MANUAL));
        changed(ServiceDirectory.TOPIC_CHANGED);
        awaitRows(2);
        assertEquals(
                List.of("192.0.2.10"), bind.dig("manual.example.test", "A"), "a record Fleetgate did not create stays");
    }

    @Test
    @Order(7)
    void serverFailuresAreRetriedWithBackoffAndReported() throws Exception {
        byte[] wrong = bind.key().secret();
        wrong[3] ^= 1;
        zoneService.update(zoneId, zoneBody(wrong));
        SERVICES.put(Fixtures.service(SHOP, "shop", List.of("shop.example.test", "new.example.test"), List.of(A2, A3)));
        changed(ServiceDirectory.TOPIC_CHANGED);
        StoredZone z = awaitZone(x -> x.status().failures() >= 2);
        assertTrue(z.status().lastError().contains("BADSIG"), z.status().lastError());
        assertNotNull(z.status().nextAttemptAt());
        TrackedRecord pending = records.list(zoneId).stream()
                .filter(x -> x.name().equals("new.example.test"))
                .findFirst()
                .orElseThrow();
        assertEquals(TrackedRecord.State.ADDING, pending.state());
        assertTrue(pending.lastError().contains("BADSIG"));
        assertEquals(List.of(), bind.dig("new.example.test", "A"));

        zoneService.update(zoneId, zoneBody(bind.key().secret()));
        changed(ZoneService.TOPIC_ZONE_CHANGED);
        bind.await("new.example.test", "A", List.of("127.0.0.12"));
        StoredZone ok = awaitZone(x -> x.status().lastError() == null);
        assertEquals(0, ok.status().failures());
    }

    @Test
    @Order(8)
    void anotherCoreHoldingTheLockMeansBusy() throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
            ps.setLong(1, ReconcileEngine.LOCK_KEY);
            ps.execute();
            assertTrue(engine.run(false).busy());
        }
        runNotBusy(); // once released, a pass runs (the reconciler's own thread may hold it a moment)
    }

    @Test
    @Order(9)
    void measureOnePassPerPlacementChange() throws Exception {
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String agent = i % 2 == 0 ? A1 : A2;
            SERVICES.put(Fixtures.service(SHOP, "shop", List.of("shop.example.test"), List.of(agent)));
            SyncResult r = runNotBusy();
            assertTrue(r.ok(), r.toString());
            assertEquals(List.of(agent.equals(A1) ? "127.0.0.11" : "127.0.0.12"), bind.dig("shop.example.test", "A"));
            millis.add(r.millis());
        }
        millis.sort(null);
        System.out.printf(
                "[dns] one reconcile pass moving a record (plan + PostgreSQL + one UPDATE, 20 runs):"
                        + " median %d ms, p90 %d ms, max %d ms%n",
                millis.get(10), millis.get(18), millis.get(19));
    }

    @Test
    @Order(10)
    void deletingTheServiceRemovesItsRecords() throws Exception {
        SERVICES.list.removeIf(s -> s.id().equals(SHOP));
        long t0 = System.nanoTime();
        changed(ServiceDirectory.TOPIC_CHANGED);
        bind.await("shop.example.test", "A", List.of());
        long deleteMs = (System.nanoTime() - t0) / 1_000_000;
        bind.await("shop.example.test", "AAAA", List.of());
        bind.await("new.example.test", "A", List.of());
        awaitRows(0);
        System.out.printf("[dns] service delete -> records gone from bind9: %d ms%n", deleteMs);
    }

    @Test
    @Order(11)
    void removingTheZoneCleansTheServerFirst() throws Exception {
        SERVICES.put(Fixtures.service(SHOP, "shop", List.of("shop.example.test"), List.of(A1)));
        changed(ServiceDirectory.TOPIC_CHANGED);
        bind.await("shop.example.test", "A", List.of("127.0.0.11"));
        awaitSettled();
        ReconcileEngine.Removal r = reconciler.remove(zoneId, false);
        assertTrue(r.deleted());
        assertNull(r.error());
        assertEquals(List.of(), bind.dig("shop.example.test", "A"));
        assertTrue(zones.get(zoneId).isEmpty());
        assertEquals(List.of("192.0.2.10"), bind.dig("manual.example.test", "A"));
    }

    /** A pass of the test's own; the reconciler's thread may hold the lock a moment. */
    private static SyncResult runNotBusy() throws InterruptedException {
        SyncResult[] last = new SyncResult[1];
        await(() -> !(last[0] = engine.run(false)).busy());
        return last[0];
    }

    private static void awaitSettled() throws InterruptedException {
        await(() -> !records.list(zoneId).isEmpty()
                && records.list(zoneId).stream().allMatch(r -> r.state() == TrackedRecord.State.PRESENT));
    }

    private static void awaitRows(int n) throws InterruptedException {
        await(() -> records.list(zoneId).size() == n);
    }

    private static StoredZone awaitZone(java.util.function.Predicate<StoredZone> p) throws InterruptedException {
        await(() -> p.test(zones.get(zoneId).orElseThrow()));
        return zones.get(zoneId).orElseThrow();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 30 s; records: " + records.list(zoneId) + "; zone: "
                        + zones.get(zoneId));
            }
            Thread.sleep(20); // polling the database, not synchronising threads
        }
    }
}
