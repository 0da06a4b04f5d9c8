package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.MutableClock;

/**
 * An agent report carrying U+0000 (which PostgreSQL refuses in text and jsonb) must not fail
 * the sync: the agent would resend it forever and never sync again.
 */
class SyncNulIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();

    @Test
    void syncWithNulInATaskResultSucceedsAndLaterSyncsKeepWorking() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            Enrolment.Enrolled e = core.enroll("nul-" + System.nanoTime());
            core.idle();
            TaskView task = core.tasks.submit(e.agentId(), "probe", null, null);
            TaskView other = core.tasks.submit(e.agentId(), "probe", null, null);
            core.tasks.deliver(e.agentId());
            String report = "{\"version\":\"0.1\\u0000\",\"hostname\":\"h\\u0000.lan\",\"address\":\"127.0.0.1\","
                    + "\"applied\":{\"proxy\":{\"revision\":1,\"error\":\"nginx said \\u0000\"}},"
                    + "\"status\":{\"bundles\":[{\"name\\u0000\":\"x\\u0000\"}]},"
                    + "\"taskResults\":[{\"id\":\"" + task.id() + "\",\"status\":\"SUCCEEDED\","
                    + "\"result\":{\"log\":\"a\\u0000b\",\"k\\u0000\":[\"\\u0000\"]},\"error\":null},"
                    + "{\"id\":\"" + other.id()
                    + "\",\"status\":\"FAILED\",\"result\":null,\"error\":\"bad \\u0000 byte\"}]}";

            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(report));

            TaskView done = core.tasks.get(task.id()).orElseThrow();
            assertEquals(TaskStatus.SUCCEEDED, done.status());
            assertEquals("a\\u0000b", done.result().get("log").asText(), "NUL kept visible as text");
            assertEquals("\\u0000", done.result().get("k\\u0000").get(0).asText());
            TaskView failed = core.tasks.get(other.id()).orElseThrow();
            assertEquals(TaskStatus.FAILED, failed.status());
            assertEquals("bad \\u0000 byte", failed.error());
            core.registry.flushLastSeen();
            assertEquals("h\\u0000.lan", storedHostname(e.agentId()));

            // The agent goes on syncing (the same report again included, as after a lost answer).
            core.sync.syncNow(e.agentId(), e.apiKey(), Json.parse(report));
            TaskView next = core.tasks.submit(e.agentId(), "probe", null, null);
            SyncService.Answer a = core.sync.syncNow(
                    e.agentId(),
                    e.apiKey(),
                    Json.parse("{\"applied\":{\"proxy\":{\"revision\":1}},\"taskResults\":[]}"));
            assertEquals(
                    List.of(next.id()),
                    a.tasks().stream().map(TaskQueue.Delivery::id).toList());
        }
    }

    @Test
    void oneResultTheDatabaseRefusesIsStoredAsFailedWithoutFailingTheOthers() {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            String agent = core.enroll("bad-" + System.nanoTime()).agentId();
            TaskView bad = core.tasks.submit(agent, "probe", null, null);
            TaskView good = core.tasks.submit(agent, "probe", null, null);
            core.tasks.deliver(agent);
            // Straight to the queue, past the sync's sanitising: PostgreSQL refuses this jsonb.
            assertEquals(
                    2,
                    core.tasks.complete(
                            agent,
                            List.of(
                                    new TaskQueue.Result(
                                            bad.id(),
                                            TaskStatus.SUCCEEDED,
                                            Json.parse("{\"log\":\"a\\u0000b\"}"),
                                            null),
                                    new TaskQueue.Result(
                                            good.id(), TaskStatus.SUCCEEDED, Json.parse("{\"ok\":true}"), null))));
            TaskView b = core.tasks.get(bad.id()).orElseThrow();
            assertEquals(TaskStatus.FAILED, b.status());
            assertTrue(b.error().startsWith("The result could not be stored"), b.error());
            TaskView g = core.tasks.get(good.id()).orElseThrow();
            assertEquals(TaskStatus.SUCCEEDED, g.status());
            assertTrue(g.result().get("ok").asBoolean());
        }
    }

    private static String storedHostname(String agentId) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT hostname FROM agents WHERE id = ?")) {
            ps.setObject(1, UUID.fromString(agentId));
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                return rs.getString(1);
            }
        }
    }
}
