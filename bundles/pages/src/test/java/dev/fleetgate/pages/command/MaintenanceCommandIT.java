package dev.fleetgate.pages.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.pages.PageEvents;
import dev.fleetgate.pages.internal.PagesService;
import dev.fleetgate.pages.internal.PagesStore;
import dev.fleetgate.pages.internal.PagesTesting;
import dev.fleetgate.persistence.testing.TestDatabase;
import dev.fleetgate.proxy.ServiceDirectory;

/**
 * {@code fleetgate:maintenance} and the alert events module 8 receives, on a real PostgreSQL: on/off with a message,
 * Retry-After and allowlist, refused arguments, windows that start and end by themselves, a whole agent's
 * maintenance.
 */
class MaintenanceCommandIT {
    private static final Instant T0 = Instant.parse("2026-06-01T12:00:00Z");

    private TestDatabase db;
    private PagesStore store;
    private final PagesTesting.Events events = new PagesTesting.Events();
    private final PagesTesting.Desired desired = new PagesTesting.Desired();
    private final PagesTesting.Services services = new PagesTesting.Services();
    private final PagesTesting.Agents agents = new PagesTesting.Agents();
    private final PagesTesting.MovingClock clock = new PagesTesting.MovingClock(T0);
    private PagesService pages;
    private ServiceDirectory.ServiceInfo shop;

    @BeforeEach
    void start() throws Exception {
        db = TestDatabase.create();
        store = PagesTesting.store(db);
        pages = new PagesService(store, desired, events, services, agents, clock, false);
        shop = services.add("shop");
    }

    @AfterEach
    void stop() {
        db.close();
    }

    @Test
    void onAndOffByNameWithMessageRetryAfterAndAllowlist() {
        MaintenanceCommand on = command("shop", "on");
        on.message = "Back at ten";
        on.retryAfter = 120;
        on.allow = List.of("127.0.0.2", "10.0.0.0/8");
        assertEquals("Maintenance of shop is on", out(on).trim());
        PagesStore.Maintenance m = store.maintenance(UUID.fromString(shop.id())).orElseThrow();
        assertTrue(m.enabled());
        assertEquals("Back at ten", m.message());
        assertEquals(120, m.retryAfterSeconds());
        assertEquals(List.of("127.0.0.2", "10.0.0.0/8"), m.allow());
        assertTrue(desired.changed.contains("proxy"), desired.changed.toString());
        Event fired = single(AlertTopics.FIRING);
        assertEquals(PageEvents.MAINTENANCE_KIND, fired.getProperty(AlertEvent.KIND));
        assertEquals("shop", fired.getProperty(AlertEvent.SUBJECT));
        assertEquals("info", fired.getProperty(AlertEvent.SEVERITY));
        assertEquals("Back at ten", fired.getProperty(AlertEvent.MESSAGE));
        assertEquals(Map.of("service", shop.id()), fired.getProperty(AlertEvent.LABELS));

        events.posted.clear();
        assertEquals(
                "Maintenance of shop is off", out(command(shop.id(), "off")).trim(), "by id too");
        PagesStore.Maintenance off =
                store.maintenance(UUID.fromString(shop.id())).orElseThrow();
        assertFalse(off.enabled());
        assertEquals("Back at ten", off.message(), "an unnamed option keeps its value");
        assertEquals(List.of("127.0.0.2", "10.0.0.0/8"), off.allow());
        Event cleared = single(AlertTopics.CLEARED);
        assertEquals("shop", cleared.getProperty(AlertEvent.SUBJECT));
        assertEquals(Map.of("service", shop.id()), cleared.getProperty(AlertEvent.LABELS));
    }

    @Test
    void wrongArgumentsAreRefusedAndChangeNothing() {
        assertEquals("state must be on or off", err(command("shop", "maybe")).trim());
        assertEquals("No service nope", err(command("nope", "on")).trim());
        MaintenanceCommand badRetry = command("shop", "on");
        badRetry.retryAfter = 0;
        assertEquals("--retry-after must be 1..604800", err(badRetry).trim());
        MaintenanceCommand badAllow = command("shop", "on");
        badAllow.allow = List.of("127.0.0.1; deny all");
        assertTrue(err(badAllow).contains("--allow 127.0.0.1; deny all: not an address or CIDR block"));
        assertTrue(store.maintenances().isEmpty());
        assertTrue(events.posted.isEmpty());
    }

    @Test
    void aWindowStartsAndEndsByItselfWithItsEvents() {
        UUID id = UUID.fromString(shop.id());
        pages.putMaintenance(
                new PagesStore.Maintenance(id, true, "Window", 60, List.of(), T0.plusSeconds(60), T0.plusSeconds(120)));
        assertTrue(events.posted.isEmpty(), "not yet");
        clock.advance(60);
        pages.tick();
        assertEquals("Window", single(AlertTopics.FIRING).getProperty(AlertEvent.MESSAGE));
        events.posted.clear();
        pages.tick();
        assertTrue(events.posted.isEmpty(), "fires once");
        clock.advance(60);
        pages.tick();
        assertEquals("maintenance ended", single(AlertTopics.CLEARED).getProperty(AlertEvent.MESSAGE));
    }

    @Test
    void aWholeAgentsMaintenanceRecomputesThatAgentAndFires() {
        AgentInfo edge = agents.add("edge-1");
        UUID id = UUID.fromString(edge.id());
        pages.putAgentMaintenance(new PagesStore.Maintenance(id, true, "Kernel update", null, List.of(), null, null));
        assertTrue(desired.changed.contains("proxy@" + edge.id()), desired.changed.toString());
        Event fired = single(AlertTopics.FIRING);
        assertEquals("edge-1", fired.getProperty(AlertEvent.SUBJECT));
        assertEquals(Map.of("agent", edge.id()), fired.getProperty(AlertEvent.LABELS));
        events.posted.clear();
        pages.putAgentMaintenance(new PagesStore.Maintenance(id, false, null, null, List.of(), null, null));
        Event cleared = single(AlertTopics.CLEARED);
        assertEquals("edge-1", cleared.getProperty(AlertEvent.SUBJECT));
        assertEquals(Map.of("agent", edge.id()), cleared.getProperty(AlertEvent.LABELS));
    }

    @Test
    void withAgentTheNameIsAHostsAndItsWholeMaintenanceSwitches() {
        AgentInfo web = agents.add("web-1");
        MaintenanceCommand on = command("web-1", "on");
        on.agent = true;
        on.message = "Kernel update";
        on.allow = List.of("10.0.0.7");
        assertEquals("Maintenance of host web-1 is on", out(on).trim());
        PagesStore.Maintenance m =
                store.agentMaintenance(UUID.fromString(web.id())).orElseThrow();
        assertTrue(m.enabled());
        assertEquals("Kernel update", m.message());
        assertEquals(List.of("10.0.0.7"), m.allow());
        assertTrue(store.maintenances().isEmpty(), "no service's maintenance");
        assertEquals(Map.of("agent", web.id()), single(AlertTopics.FIRING).getProperty(AlertEvent.LABELS));
        MaintenanceCommand off = command(web.id(), "off");
        off.agent = true;
        assertEquals("Maintenance of host web-1 is off", out(off).trim());
        assertFalse(
                store.agentMaintenance(UUID.fromString(web.id())).orElseThrow().enabled());
        MaintenanceCommand unknown = command("shop", "on");
        unknown.agent = true;
        assertEquals("No host shop", err(unknown).trim(), "a service's name is not a host's");
    }

    private Event single(String topic) {
        List<Event> l =
                events.posted.stream().filter(e -> e.getTopic().equals(topic)).toList();
        assertEquals(1, l.size(), events.posted.toString());
        return l.get(0);
    }

    private MaintenanceCommand command(String service, String state) {
        MaintenanceCommand c = new MaintenanceCommand();
        c.pages = pages;
        c.services = services;
        c.agents = agents;
        c.service = service;
        c.state = state;
        return c;
    }

    private static String out(MaintenanceCommand c) {
        return captured(c, false);
    }

    private static String err(MaintenanceCommand c) {
        return captured(c, true);
    }

    private static String captured(MaintenanceCommand c, boolean err) {
        PrintStream old = err ? System.err : System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream p = new PrintStream(buf, true, StandardCharsets.UTF_8);
        if (err) {
            System.setErr(p);
        } else {
            System.setOut(p);
        }
        try {
            c.execute();
        } finally {
            if (err) {
                System.setErr(old);
            } else {
                System.setOut(old);
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
