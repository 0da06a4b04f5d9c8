package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.Topics;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.MutableClock;

/** The containers inventory on PostgreSQL: stored on change only, read by any core. */
class ContainerInventoryIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();

    @BeforeAll
    static void migrate() throws Exception {
        try (InputStream in = ContainerInventoryIT.class
                .getClassLoader()
                .getResourceAsStream(ContainerInventory.FOLDER + "/V1__container_status.sql")) {
            Migrations.apply(
                    db.dataSource(),
                    ContainerInventory.MODULE,
                    List.of(new Migration(
                            1, "container status", new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        }
    }

    private static JsonNode report(String containers) {
        return Json.parse("{\"bundles\":[],\"containers\":{\"engine\":{\"available\":true,\"version\":\"20.10.24\","
                + "\"error\":null},\"containers\":" + containers + ",\"services\":[]}}");
    }

    private static Event event(String agentId, JsonNode status) {
        return new Event(Topics.AGENT_REPORT, Map.of("agentId", agentId, "status", status));
    }

    private static long writes(String agentId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT xmin::text FROM agent_container_status WHERE agent_id = '" + agentId + "'")) {
            return rs.next() ? Long.parseLong(rs.getString(1)) : 0;
        }
    }

    @Test
    void storesOnlyChangesAndEveryCoreReadsTheLastList() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            String agent = core.enroll("inv-" + System.nanoTime()).agentId();
            ContainerInventory here = new ContainerInventory(db.dataSource(), clock);
            ContainerInventory other = new ContainerInventory(db.dataSource(), clock);
            assertEquals(0, here.containers(agent).size(), "[] before any report");

            String one = "[{\"id\":\"abc\",\"name\":\"fg-shop-0-a1b2c3\",\"image\":\"fleetgate/demo:latest\","
                    + "\"state\":\"running\",\"health\":\"healthy\",\"serviceId\":\"s1\",\"replica\":0,\"ready\":true}]";
            here.handleEvent(event(agent, report(one)));
            assertEquals(
                    "fg-shop-0-a1b2c3",
                    other.containers(agent).get(0).get("name").asText());
            long firstWrite = writes(agent);

            here.handleEvent(event(agent, report(one)));
            assertFalse(here.record(agent, Json.parse(one)), "same list: nothing written");
            assertEquals(firstWrite, writes(agent), "the row was not rewritten");

            String two = one.replace("\"ready\":true", "\"ready\":false");
            assertTrue(here.record(agent, Json.parse(two)));
            assertFalse(other.containers(agent).get(0).get("ready").asBoolean());

            here.handleEvent(event(agent, Json.parse("{\"bundles\":[]}"))); // no containers area: ignored
            assertEquals(1, other.containers(agent).size());
            assertTrue(here.record(agent, Json.parse("[]")));
            assertEquals(0, other.containers(agent).size(), "an empty report empties the list");
        }
    }

    @Test
    void unknownOrMalformedAgentsAreIgnored() {
        ContainerInventory inv = new ContainerInventory(db.dataSource(), clock);
        String ghost = "00000000-0000-0000-0000-00000000beef";
        inv.handleEvent(event(ghost, report("[]")));
        assertEquals(0, inv.containers(ghost).size());
        assertFalse(inv.record("not-an-id", Json.parse("[]")));
        assertEquals(0, inv.containers("not-an-id").size());
    }
}
