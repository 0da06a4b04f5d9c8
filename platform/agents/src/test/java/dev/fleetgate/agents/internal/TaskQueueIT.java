package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.MutableClock;

class TaskQueueIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();
    private Core core;
    private String agent;

    @BeforeEach
    void start() {
        core = new Core(db.dataSource(), Settings.defaults(), clock);
        agent = core.enroll("tasks-" + System.nanoTime()).agentId();
    }

    @AfterEach
    void stop() {
        core.close();
    }

    @Test
    void deliveredAgainOnlyAfterTheRedeliveryDelay() {
        TaskView t = core.tasks.submit(agent, "logs.fetch", Json.parse("{\"tail\":10}"), null);
        List<TaskQueue.Delivery> first = core.tasks.deliver(agent);
        assertEquals(List.of(t.id()), first.stream().map(TaskQueue.Delivery::id).toList());
        assertEquals(10, first.get(0).payload().get("tail").asInt());
        assertTrue(core.tasks.deliver(agent).isEmpty(), "not resent before 60 s");
        clock.advance(Duration.ofSeconds(61));
        assertEquals(1, core.tasks.deliver(agent).size(), "resent: no result arrived");
        TaskView now = core.tasks.get(t.id()).orElseThrow();
        assertEquals(TaskStatus.DELIVERED, now.status());
        assertEquals(2, now.attempts());
    }

    @Test
    void resultsAreStoredOnceAndLaterOnesIgnored() {
        TaskView t = core.tasks.submit(agent, "probe", null, null);
        core.tasks.deliver(agent);
        assertEquals(
                1,
                core.tasks.complete(
                        agent,
                        List.of(new TaskQueue.Result(
                                t.id(), TaskStatus.SUCCEEDED, Json.parse("{\"ok\":true}"), null))));
        assertEquals(
                0,
                core.tasks.complete(
                        agent, List.of(new TaskQueue.Result(t.id(), TaskStatus.FAILED, null, "late duplicate"))));
        TaskView done = core.tasks.get(t.id()).orElseThrow();
        assertEquals(TaskStatus.SUCCEEDED, done.status());
        assertTrue(done.result().get("ok").asBoolean());
        clock.advance(Duration.ofSeconds(120));
        assertTrue(core.tasks.deliver(agent).isEmpty(), "finished tasks are never resent");
    }

    @Test
    void tasksExpireAndArePurgedAfterRetention() {
        TaskView t = core.tasks.submit(agent, "probe", null, Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(31));
        assertTrue(core.tasks.deliver(agent).isEmpty());
        assertEquals(1, core.tasks.expire());
        assertEquals(TaskStatus.EXPIRED, core.tasks.get(t.id()).orElseThrow().status());
        assertEquals(0, core.tasks.purge());
        clock.advance(Duration.ofDays(8));
        assertEquals(1, core.tasks.purge());
        assertTrue(core.tasks.get(t.id()).isEmpty());
    }

    @Test
    void submitValidatesTypeTtlAndAgent() {
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> core.tasks.submit(agent, "Bad Type", null, null))
                        .status());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> core.tasks.submit(agent, "probe", null, Duration.ofDays(8)))
                        .status());
        assertEquals(
                404,
                assertThrows(
                                ApiException.class,
                                () -> core.tasks.submit("00000000-0000-0000-0000-000000000001", "probe", null, null))
                        .status());
    }
}
