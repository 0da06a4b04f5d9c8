package dev.fleetgate.monitors.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.monitors.MonitorState;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The store on a real PostgreSQL: CRUD, claiming, confirmation, uptime, retention. */
class MonitorStoreIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static TestDatabase db;
    private static MonitorStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        migrate(db);
        store = new MonitorStore(db.dataSource());
    }

    static final List<String> MIGRATIONS = List.of(
            "V1__monitors.sql",
            "V2__types_and_confirmation.sql",
            "V3__hourly_aggregates.sql",
            "V4__partitioned_results.sql",
            "V5__shorter_intervals.sql");

    static void migrate(TestDatabase db) throws Exception {
        List<Migration> all = new java.util.ArrayList<>();
        for (int i = 0; i < MIGRATIONS.size(); i++) {
            try (InputStream in =
                    MonitorStoreIT.class.getClassLoader().getResourceAsStream("db/monitors/" + MIGRATIONS.get(i))) {
                all.add(new Migration(i + 1, "monitors", new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            }
        }
        Migrations.apply(db.dataSource(), "monitors", all);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    static MonitorInput input(String name, String... agents) throws Exception {
        return MonitorInput.parse(JSON.readTree("{\"name\":\"" + name + "\",\"type\":\"http\",\"target\":"
                + "\"http://127.0.0.1:1/\",\"intervalSeconds\":10,\"confirmations\":2,\"agentIds\":"
                + JSON.writeValueAsString(agents) + "}"));
    }

    private static ProbeResult result(String agent, Instant at, boolean ok) {
        return new ProbeResult(
                agent,
                at,
                ok,
                ok ? 200 : 500,
                5,
                ok ? null : "status",
                ok ? null : "HTTP 500",
                null,
                JSON.createObjectNode().put("ok", ok));
    }

    @Test
    void crudWithUniqueNames() throws Exception {
        StoredMonitor m = store.create(input("crud", "a1"));
        assertEquals(MonitorState.PENDING, m.state());
        assertEquals(List.of("a1"), m.agentIds());
        ApiException taken = assertThrows(ApiException.class, () -> store.create(input("crud", "a2")));
        assertEquals(409, taken.status());
        assertEquals("name", taken.errors().get(0).field());
        StoredMonitor other = store.create(input("crud-2", "a1"));
        assertEquals(
                409,
                assertThrows(ApiException.class, () -> store.update(other.id(), input("crud", "a1")))
                        .status());
        StoredMonitor[] both = store.update(m.id(), input("crud-renamed", "a1", "a2"));
        assertEquals("crud", both[0].name());
        assertEquals(List.of("a1", "a2"), both[1].agentIds());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> store.update(UUID.randomUUID(), input("x", "a")))
                        .status());
        assertTrue(store.delete(m.id()).isPresent());
        assertTrue(store.get(m.id()).isEmpty());
        assertTrue(store.delete(m.id()).isEmpty());
    }

    @Test
    void confirmationsBeforeDownAndBackUp() throws Exception {
        StoredMonitor m = store.create(input("confirm", "a1"));
        Map<String, Boolean> online = Map.of("a1", true);
        Instant t = Instant.now();
        assertEquals(
                MonitorState.UP,
                store.record(m.id(), result("a1", t, true), online)
                        .orElseThrow()
                        .to());
        assertTrue(
                store.record(m.id(), result("a1", t.plusSeconds(10), false), online)
                        .isEmpty(),
                "one blip");
        Transition down = store.record(m.id(), result("a1", t.plusSeconds(20), false), online)
                .orElseThrow();
        assertEquals(MonitorState.UP, down.from());
        assertEquals(MonitorState.DOWN, down.to());
        DownReport report = down.report();
        assertEquals(
                t.plusSeconds(10).truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                report.since().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertEquals(
                t.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
                report.lastSuccess().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
        assertEquals(1, report.failing().size());
        assertEquals("status", report.failing().get(0).errorKind());
        assertTrue(
                store.record(m.id(), result("a1", t.plusSeconds(30), false), online)
                        .isEmpty(),
                "still DOWN");
        Transition up = store.record(m.id(), result("a1", t.plusSeconds(40), true), online)
                .orElseThrow();
        assertEquals(MonitorState.DOWN, up.from());
        assertEquals(MonitorState.UP, up.to());
        assertEquals(MonitorState.UP, store.get(m.id()).orElseThrow().state());
        // 2 of 5 passed in the last day
        assertEquals(40.0, store.uptimePercent(m.id(), t.plusSeconds(41), Duration.ofHours(24)), 1e-9);
        assertNull(store.uptimePercent(m.id(), t.plusSeconds(41).plus(Duration.ofDays(2)), Duration.ofHours(24)));
        List<MonitorStore.HourBucket> hours = store.hourly(m.id(), t.minus(Duration.ofHours(1)));
        assertEquals(
                5, hours.stream().mapToLong(MonitorStore.HourBucket::checks).sum());
        assertEquals(2, hours.stream().mapToLong(MonitorStore.HourBucket::ok).sum());
        List<ProbeResult> latest = store.latest(m.id());
        assertEquals(1, latest.size());
        assertTrue(latest.get(0).ok());
        assertEquals(5, store.results(m.id(), 100).size());
        assertEquals(2, store.results(m.id(), 2).size());
    }

    @Test
    void downNeedsKAgentsAndTheNewFieldsAreStored() throws Exception {
        StoredMonitor m = store.create(MonitorInput.parse(JSON.readTree("{\"name\":\"k-of-3\",\"type\":\"dns\","
                + "\"target\":\"www.example.test\",\"recordType\":\"AAAA\",\"confirmations\":1,\"confirmAgents\":2,"
                + "\"agentIds\":[\"a1\",\"a2\",\"a3\"]}")));
        assertEquals(2, m.confirmAgents());
        assertEquals("AAAA", m.options().get("recordType").asText());
        Map<String, Boolean> all = Map.of("a1", true, "a2", true, "a3", true);
        Instant t = Instant.now();
        store.record(m.id(), result("a3", t, true), all);
        assertEquals(
                MonitorState.DEGRADED,
                store.record(m.id(), result("a1", t, false), all).orElseThrow().to());
        assertEquals(
                MonitorState.DOWN,
                store.record(m.id(), result("a2", t, false), all).orElseThrow().to());
        assertEquals(
                MonitorState.DEGRADED,
                store.record(m.id(), result("a2", t.plusSeconds(1), true), all)
                        .orElseThrow()
                        .to());
    }

    @Test
    void retentionDropsDailyPartitions() throws Exception {
        try (TestDatabase own = TestDatabase.create()) {
            migrate(own);
            MonitorStore s = new MonitorStore(own.dataSource());
            Instant now = Instant.now();
            assertEquals(3, s.ensurePartitions(now.minus(Duration.ofDays(10)), 2), "10, 9 and 8 days ago");
            assertEquals(0, s.ensurePartitions(now.minus(Duration.ofDays(10)), 2), "already there");
            StoredMonitor m = s.create(input("partitioned", "a1"));
            s.record(m.id(), result("a1", now.minus(Duration.ofDays(9)), true), Map.of("a1", true));
            s.record(m.id(), result("a1", now.minus(Duration.ofDays(8)), true), Map.of("a1", true));
            s.record(m.id(), result("a1", now, true), Map.of("a1", true));
            assertEquals(3, s.results(m.id(), 10).size());
            s.rollup(now, 3);
            // the partitions of 10 and 9 days ago end when the day of 8 days ago starts: dropped with their row
            Instant dayOf8 = java.time.LocalDate.ofInstant(now.minus(Duration.ofDays(8)), java.time.ZoneOffset.UTC)
                    .atStartOfDay(java.time.ZoneOffset.UTC)
                    .toInstant();
            assertEquals(6, partitions(own));
            assertEquals(1, s.prune(dayOf8, 100));
            assertEquals(2, s.results(m.id(), 10).size());
            assertEquals(4, partitions(own), "8 days ago, today and the next two days are left");
            assertEquals(100.0, s.hourlyUptimePercent(m.id(), now, Duration.ofDays(30)), "the aggregates stay");
        }
    }

    private static int partitions(TestDatabase db) throws Exception {
        try (var c = db.dataSource().getConnection();
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT count(*) FROM pg_inherits JOIN pg_class p ON p.oid = inhparent"
                        + " JOIN pg_class ch ON ch.oid = inhrelid WHERE p.relname = 'monitor_result'"
                        + " AND ch.relname ~ '^monitor_result_p'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    @Test
    void someAgentsFailingIsDegradedAndAllOfflineUnknown() throws Exception {
        StoredMonitor m = store.create(input("vantage", "a1", "a2"));
        Map<String, Boolean> both = Map.of("a1", true, "a2", true);
        Instant t = Instant.now();
        store.record(m.id(), result("a1", t, true), both);
        store.record(m.id(), result("a2", t, false), both);
        assertEquals(
                MonitorState.DEGRADED,
                store.record(m.id(), result("a2", t.plusSeconds(1), false), both)
                        .orElseThrow()
                        .to());
        assertEquals(
                MonitorState.DOWN,
                store.reevaluate(m.id(), Map.of("a1", false, "a2", true))
                        .orElseThrow()
                        .to(),
                "a1 offline");
        assertEquals(
                MonitorState.UNKNOWN,
                store.reevaluate(m.id(), Map.of()).orElseThrow().to());
        assertTrue(store.reevaluate(UUID.randomUUID(), Map.of()).isEmpty());
    }

    @Test
    void dueMonitorsAreClaimedOnce() throws Exception {
        StoredMonitor m = store.create(input("due", "a1"));
        Instant now = Instant.now().plusSeconds(2); // the first run is jittered by up to interval / 10
        assertTrue(store.claimDue(now, 1000).stream().anyMatch(x -> x.id().equals(m.id())));
        assertFalse(store.claimDue(now, 1000).stream().anyMatch(x -> x.id().equals(m.id())), "claimed already");
        assertTrue(
                store.claimDue(now.plusSeconds(10), 1000).stream().anyMatch(x -> x.id().equals(m.id())),
                "due again one interval later");
    }

    @Test
    void oldResultsArePrunedAndAgentTextIsStorable() throws Exception {
        StoredMonitor m = store.create(input("prune", "a1"));
        Instant now = Instant.now();
        for (int i = 0; i < 5; i++) {
            store.record(m.id(), result("a1", now.minus(Duration.ofDays(8)).plusSeconds(i), true), Map.of("a1", true));
        }
        store.record(
                m.id(),
                new ProbeResult(
                        "a1",
                        now,
                        false,
                        null,
                        null,
                        "connect",
                        "bad\u0000text",
                        null,
                        JSON.createObjectNode().put("error", "bad\u0000text")),
                Map.of("a1", true));
        assertTrue(store.rollup(now, 3) >= 2, "8 days ago and now");
        assertEquals(100.0, store.hourlyUptimePercent(m.id(), now.minus(Duration.ofDays(1)), Duration.ofDays(30)));
        assertEquals(5, store.prune(now.minus(Duration.ofDays(7)), 2));
        // the aggregates stay: 5 of 6 checks passed over 30 days, 0 of 1 in the last day
        assertEquals(100.0 * 5 / 6, store.hourlyUptimePercent(m.id(), now, Duration.ofDays(30)), 1e-9);
        assertEquals(0.0, store.hourlyUptimePercent(m.id(), now, Duration.ofHours(1)));
        store.record(m.id(), result("a1", now.plusSeconds(1), true), Map.of("a1", true));
        store.rollup(now, 3);
        assertEquals(
                100.0 * 6 / 7,
                store.hourlyUptimePercent(m.id(), now, Duration.ofDays(30)),
                1e-9,
                "the current hour is rolled up again");
        assertEquals(0, store.pruneHourly(now.minus(Duration.ofDays(9))));
        assertTrue(store.pruneHourly(now.minus(Duration.ofDays(1))) >= 1);
        List<ProbeResult> left = store.results(m.id(), 100);
        assertEquals(2, left.size());
        assertEquals("bad\uFFFDtext", left.get(1).error());
        Optional<StoredMonitor> gone = store.delete(m.id());
        assertTrue(gone.isPresent());
        assertEquals(0, store.results(m.id(), 100).size(), "results go with the monitor");
    }
}
