package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.MutableClock;

/** Waiting for task results with the real queue on PostgreSQL, on one core and across two. */
class TaskWaitIT {
    private static final Duration LONG = Duration.ofSeconds(60);

    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();
    private Core core;
    private Enrolment.Enrolled agent;

    @BeforeEach
    void start() {
        core = new Core(db.dataSource(), Settings.defaults(), clock);
        agent = core.enroll("wait-" + System.nanoTime());
    }

    @AfterEach
    void stop() {
        core.tasks.close();
        core.close();
    }

    private static TaskView done(CompletableFuture<TaskView> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS); // a safety net against hanging, not a speed check
    }

    private static String result(String taskId, String status, String result, String error) {
        return "{\"applied\":{},\"taskResults\":[{\"id\":\"" + taskId + "\",\"status\":\"" + status + "\",\"result\":"
                + result + ",\"error\":" + (error == null ? "null" : "\"" + error + "\"") + "}]}";
    }

    @Test
    void aResultArrivingThroughSyncCompletesTheWaiter() throws Exception {
        TaskView t = core.tasks.submit(agent.agentId(), "logs.container", Json.parse("{\"tail\":5}"), null);
        CompletableFuture<TaskView> f = core.tasks.completion(t.id(), LONG).toCompletableFuture();
        assertEquals(1, core.tasks.deliver(agent.agentId()).size());
        assertFalse(f.isDone(), "nothing reported yet");
        core.sync.syncNow(
                agent.agentId(),
                agent.apiKey(),
                Json.parse(result(t.id(), "SUCCEEDED", "{\"lines\":[],\"cursor\":\"c1\"}", null)));
        TaskView got = done(f);
        assertEquals(TaskStatus.SUCCEEDED, got.status());
        assertEquals("c1", got.result().get("cursor").asText());
        assertEquals(0, core.tasks.waiting(), "the waiter is forgotten once completed");
    }

    @Test
    void aResultStoredByAnotherCoreWakesTheWaiterHere() throws Exception {
        try (Core other = new Core(db.dataSource(), Settings.defaults(), clock)) {
            TaskView t = core.tasks.submit(agent.agentId(), "logs.container", null, null);
            CompletableFuture<String> heard = new CompletableFuture<>();
            core.notifier.addTaskListener(id -> {
                if (t.id().equals(id)) {
                    heard.complete(id);
                }
            });
            CompletableFuture<TaskView> f = core.tasks.completion(t.id(), LONG).toCompletableFuture();
            other.tasks.deliver(agent.agentId());
            assertEquals(
                    1,
                    other.tasks.complete(
                            agent.agentId(),
                            List.of(new TaskQueue.Result(t.id(), TaskStatus.FAILED, null, "no such container: x"))));
            assertEquals(t.id(), heard.get(30, TimeUnit.SECONDS), "NOTIFY fleetgate_task reached this core");
            TaskView got = done(f);
            assertEquals(TaskStatus.FAILED, got.status());
            assertEquals("no such container: x", got.error());
            other.tasks.close();
        }
    }

    @Test
    void aTimeoutAnswersTheTaskAsItStands() throws Exception {
        TaskView t = core.tasks.submit(agent.agentId(), "probe", null, null);
        TaskView got =
                done(core.tasks.completion(t.id(), Duration.ofMillis(200)).toCompletableFuture());
        assertFalse(got.isDone());
        assertEquals(TaskStatus.PENDING, got.status());
        assertEquals(0, core.tasks.waiting());
    }

    @Test
    void anExpiredTaskCompletesAsExpired() throws Exception {
        TaskView t = core.tasks.submit(agent.agentId(), "probe", null, Duration.ofSeconds(5));
        clock.advance(Duration.ofSeconds(6));
        TaskView got = done(core.tasks.completion(t.id(), LONG).toCompletableFuture());
        assertEquals(TaskStatus.EXPIRED, got.status());
        assertEquals(TaskStatus.EXPIRED, core.tasks.get(t.id()).orElseThrow().status());
    }

    @Test
    void aFinishedTaskCompletesAtOnceAndTheBlockingFormReturnsIt() throws Exception {
        TaskView t = core.tasks.submit(agent.agentId(), "probe", null, null);
        core.tasks.complete(agent.agentId(), List.of(new TaskQueue.Result(t.id(), TaskStatus.SUCCEEDED, null, null)));
        assertEquals(
                TaskStatus.SUCCEEDED,
                core.tasks.await(t.id(), LONG).orElseThrow().status());
        assertNull(core.tasks.await(t.id(), LONG).orElseThrow().result());
    }

    @Test
    void unknownTasksFailWith404() throws Exception {
        CompletableFuture<TaskView> f = core.tasks
                .completion("00000000-0000-0000-0000-0000000000aa", LONG)
                .toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, () -> done(f));
        assertEquals(404, assertInstanceOf(ApiException.class, e.getCause()).status());
        assertTrue(
                core.tasks.await("00000000-0000-0000-0000-0000000000aa", LONG).isEmpty());
        assertTrue(core.tasks.await("not-a-uuid", LONG).isEmpty());
    }

    @Test
    void discardDeletesTheTaskWakesItsWaitersAndIgnoresALateResult() throws Exception {
        TaskView t = core.tasks.submit(agent.agentId(), "logs.container", null, null);
        CompletableFuture<TaskView> f = core.tasks.completion(t.id(), LONG).toCompletableFuture();
        core.tasks.deliver(agent.agentId());
        assertTrue(core.tasks.discard(t.id()));
        assertFalse(core.tasks.discard(t.id()));
        ExecutionException e = assertThrows(ExecutionException.class, () -> done(f));
        assertEquals(404, assertInstanceOf(ApiException.class, e.getCause()).status());
        assertTrue(core.tasks.get(t.id()).isEmpty());
        assertEquals(
                0,
                core.tasks.complete(
                        agent.agentId(), List.of(new TaskQueue.Result(t.id(), TaskStatus.SUCCEEDED, null, null))),
                "late result ignored");
    }
}
