package dev.fleetgate.firewall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.firewall.FirewallEvents;
import dev.fleetgate.firewall.detect.Replay;
import dev.fleetgate.firewall.detect.Settings;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The firewall service on a real PostgreSQL: blocks, escalation, protection, expiry, settings, section, events. */
class FirewallServiceIT {
    private static TestDatabase db;
    private static FirewallStore store;

    private final List<Event> events = new ArrayList<>();
    private final List<String> changed = new ArrayList<>();
    private Instant now = Instant.parse("2026-12-01T10:00:00Z");
    private FirewallService firewall;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        store = Fixtures.store(db);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @BeforeEach
    void service() {
        for (FirewallStore.Block b : store.blocks(Instant.EPOCH)) {
            store.delete(b.ip(), null, true);
        }
        firewall = Fixtures.service(store, events, changed, () -> now);
    }

    @Test
    void repeatOffendersGetLongerBlocks() {
        String ip = "127.0.0." + (2 + (int) (Math.random() * 200));
        FirewallStore.Block first = firewall.block(ip, null, null, "scan", "block", true, "404s", "{\"n\":1}");
        assertEquals(Duration.ofSeconds(600), Duration.between(first.since(), first.expiresAt()));
        assertEquals(List.of(FirewallService.BLOCKS_SECTION), changed);
        now = now.plusSeconds(700);
        firewall.purge();
        assertTrue(firewall.blocks().isEmpty());
        FirewallStore.Block second = firewall.block(ip, null, null, "scan", "block", true, "404s", null);
        assertEquals(Duration.ofSeconds(1200), Duration.between(second.since(), second.expiresAt()));
        FirewallStore.Block third = firewall.block(ip, null, null, "scan", "block", true, "404s", null);
        assertEquals(Duration.ofSeconds(2400), Duration.between(third.since(), third.expiresAt()));
        // an explicit TTL wins
        assertEquals(
                Duration.ofSeconds(30),
                Duration.between(
                        now,
                        firewall.block(ip, null, 30, "manual", "block", true, "x", null)
                                .expiresAt()));
        // events: firing per block, cleared at expiry, evidence on the firewall topic
        assertTrue(events.stream()
                .anyMatch(e -> e.getTopic().equals(AlertTopics.FIRING) && ip.equals(e.getProperty("subject"))));
        assertTrue(events.stream().anyMatch(e -> e.getTopic().equals(AlertTopics.CLEARED)));
        Event detail = events.stream()
                .filter(e -> e.getTopic().equals(FirewallEvents.BLOCKED_TOPIC))
                .findFirst()
                .orElseThrow();
        assertEquals("{\"n\":1}", detail.getProperty("evidence"));
        assertEquals("global", detail.getProperty("scope"));
    }

    @Test
    void serviceAndGlobalScopesAreSeparate() {
        UUID svc = UUID.randomUUID();
        firewall.block("203.0.113.7", svc, 60, "manual", "limit", true, "x", null);
        firewall.block("203.0.113.7", null, 60, "manual", "block", true, "y", null);
        assertEquals(2, firewall.blocks().size());
        assertEquals(1, firewall.unblock("203.0.113.7", svc, false));
        assertEquals(
                List.of("global"),
                firewall.blocks().stream().map(FirewallStore.Block::scopeKey).toList());
        assertEquals(1, firewall.unblock("203.0.113.7", null, true));
        assertEquals(0, firewall.unblock("203.0.113.7", null, true));
    }

    @Test
    void neverBlocksCoreAgentsOrAllowlist() {
        assertNotNull(firewall.protectedReason("127.0.0.1"));
        assertNotNull(firewall.protectedReason("192.0.2.50"));
        assertNull(firewall.protectedReason("127.0.0.9"));
        Settings s = Settings.fromMap(Map.of("allow", List.of("127.0.0.0/29")), (f, m) -> {
            throw new AssertionError(f + m);
        });
        firewall.putSettings(s);
        assertNotNull(firewall.protectedReason("127.0.0.5"));
        assertTrue(store.settings().orElseThrow().contains("127.0.0.0/29"));
        firewall.putSettings(Settings.defaults());
    }

    @Test
    void shadowDecisionsAreListedButNotSentToAgents() {
        firewall.block("198.51.100.1", null, 60, "flood", "limit", false, "shadow", null);
        firewall.block("198.51.100.2", null, 60, "manual", "block", true, "real", null);
        assertEquals(2, firewall.blocks().size());
        AgentInfo agent = new AgentInfo("a1", "n", "h", AgentInfo.Role.HOST, AgentInfo.Status.ONLINE, null, "1", null);
        JsonNode section = new FirewallBlocksSection(firewall).compute(agent);
        assertEquals(1, section.path("blocks").size());
        assertEquals("198.51.100.2", section.path("blocks").get(0).path("ip").asText());
        assertEquals("block", section.path("blocks").get(0).path("action").asText());
        assertEquals(
                now.plusSeconds(60).getEpochSecond(),
                section.path("blocks").get(0).path("expiresAt").asLong());
        JsonNode detection = new FirewallSection(firewall).compute(agent);
        assertEquals("shadow", detection.path("settings").path("mode").asText());
        assertTrue(detection.path("neverBlock").toString().contains("192.0.2.50"));
        assertTrue(detection.path("blocks").isMissingNode(), "blocks are in their own section");
        // a shadow decision is not an alert
        assertFalse(events.stream()
                .anyMatch(e ->
                        e.getTopic().equals(AlertTopics.FIRING) && "198.51.100.1".equals(e.getProperty("subject"))));
    }

    @Test
    void replayUsesTheSettings() throws Exception {
        StringBuilder log = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            log.append("203.0.113.9 - - [01/Dec/2026:10:00:")
                    .append(String.format("%02d", i))
                    .append(" +0000] \"GET /probe")
                    .append(i)
                    .append(" HTTP/1.1\" 404 10 \"-\" \"curl/8\"\n");
        }
        Replay.Result r = firewall.replay(new StringReader(log.toString()));
        assertEquals(40, r.lines());
        assertEquals(1, r.decisions().size());
        assertEquals("scan", r.decisions().get(0).detector());
        assertEquals(30, r.decisions().get(0).line());
    }

    @Test
    void agentDecisionsBecomeBlocksAndCorrelateFleetWide() throws Exception {
        firewall.putSettings(Settings.fromMap(Map.of("mode", "enforce"), (f, m) -> {
            throw new AssertionError(f + m);
        }));
        FirewallReports reports = new FirewallReports(firewall);
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<UUID> services =
                List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        for (int i = 0; i < services.size(); i++) {
            JsonNode list = json.readTree("[{\"ip\":\"198.51.100.77\",\"serviceId\":\"" + services.get(i)
                    + "\",\"detector\":\"bruteforce\",\"action\":\"block\",\"mode\":\"enforce\",\"score\":1.5,"
                    + "\"reason\":\"failed logins\",\"at\":" + (1000 + i) + ",\"counts\":{\"loginFailures\":15},"
                    + "\"samples\":[\"POST /login 401\\u0000\"]},"
                    + "{\"ip\":\"not-an-ip\",\"detector\":\"scan\"},{\"ip\":\"127.0.0.1\",\"detector\":\"scan\"}]");
            assertEquals(1, reports.accept("a1", list).size());
            assertEquals(0, reports.accept("a1", list).size(), "the same report twice is one decision");
        }
        List<FirewallStore.Block> blocks = firewall.blocks();
        assertEquals(6, blocks.size(), blocks.toString());
        FirewallStore.Block global =
                blocks.stream().filter(b -> b.serviceId() == null).findFirst().orElseThrow();
        assertEquals("correlation", global.detector());
        assertTrue(global.evidence().contains("\"services\": 5"), global.evidence());
        assertFalse(blocks.stream()
                .anyMatch(b -> b.reason().contains("\u0000") || b.evidence().contains("\\u0000")));
        // isolated everywhere now: a new service-scoped decision adds nothing
        JsonNode more = json.readTree("[{\"ip\":\"198.51.100.77\",\"serviceId\":\"" + UUID.randomUUID()
                + "\",\"detector\":\"flood\",\"mode\":\"enforce\",\"at\":5}]");
        assertEquals(0, reports.accept("a2", more).size());
        firewall.putSettings(Settings.defaults());
    }
}
