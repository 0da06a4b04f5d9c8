package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.MutableClock;

class TaskWaitsTest {
    private static final String ID = "00000000-0000-0000-0000-000000000001";
    private final MutableClock clock = new MutableClock();
    private final Map<String, TaskView> tasks = new ConcurrentHashMap<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final CountDownLatch firstLoad = new CountDownLatch(1);
    private final TaskWaits waits = new TaskWaits(
            new TaskWaits.Store() {
                @Override
                public Optional<TaskView> load(String taskId) {
                    loads.incrementAndGet();
                    firstLoad.countDown();
                    return Optional.ofNullable(tasks.get(taskId));
                }

                @Override
                public Optional<TaskView> expireIfDue(String taskId) {
                    TaskView t = tasks.get(taskId);
                    if (t != null && !t.isDone() && !t.expiresAt().isAfter(clock.instant())) {
                        tasks.put(taskId, with(t, "EXPIRED"));
                    }
                    return Optional.ofNullable(tasks.get(taskId));
                }
            },
            clock);

    @AfterEach
    void stop() {
        waits.close();
    }

    private TaskView task(String status) {
        return new TaskView(
                ID,
                "a",
                "probe",
                null,
                TaskStatus.valueOf(status),
                null,
                null,
                0,
                clock.instant(),
                null,
                null,
                clock.instant().plusSeconds(600));
    }

    private static TaskView with(TaskView t, String status) {
        return new TaskView(
                t.id(),
                t.agentId(),
                t.type(),
                t.payload(),
                TaskStatus.valueOf(status),
                t.result(),
                t.error(),
                t.attempts(),
                t.createdAt(),
                t.deliveredAt(),
                Instant.now(),
                t.expiresAt());
    }

    private static TaskView get(CompletableFuture<TaskView> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    @Test
    void doneCompletesEveryWaiterOfTheTaskWithoutReading() throws Exception {
        tasks.put(ID, task("DELIVERED"));
        CompletableFuture<TaskView> a = waits.await(ID, Duration.ofMinutes(1));
        CompletableFuture<TaskView> b = waits.await(ID, Duration.ofMinutes(1));
        assertEquals(true, firstLoad.await(30, TimeUnit.SECONDS));
        TaskView finished = with(tasks.get(ID), "SUCCEEDED");
        waits.done(finished);
        assertSame(finished, get(a));
        assertSame(finished, get(b));
        assertEquals(0, waits.size());
    }

    @Test
    void aSignalReReadsTheTask() throws Exception {
        tasks.put(ID, task("DELIVERED"));
        CompletableFuture<TaskView> f = waits.await(ID, Duration.ofMinutes(1));
        firstLoad.await(30, TimeUnit.SECONDS);
        waits.changed(ID); // still open: keeps waiting
        tasks.put(ID, with(tasks.get(ID), "FAILED"));
        waits.changed(null); // "any task" after a reconnect
        assertEquals(TaskStatus.FAILED, get(f).status());
    }

    @Test
    void signalsForTasksNobodyWaitsForReadNothing() {
        waits.changed("00000000-0000-0000-0000-000000000002");
        waits.done(with(task("DELIVERED"), "SUCCEEDED"));
        assertEquals(0, loads.get());
    }

    @Test
    void theDeadlineAnswersTheOpenTask() throws Exception {
        tasks.put(ID, task("PENDING"));
        TaskView t = get(waits.await(ID, Duration.ofMillis(50)));
        assertFalse(t.isDone());
        assertEquals(0, waits.size());
    }

    @Test
    void expiryBeforeTheDeadlineCompletesAsExpired() throws Exception {
        TaskView t = task("PENDING");
        tasks.put(
                ID,
                new TaskView(
                        ID,
                        "a",
                        "probe",
                        null,
                        TaskStatus.PENDING,
                        null,
                        null,
                        0,
                        t.createdAt(),
                        null,
                        null,
                        clock.instant().plusMillis(50)));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(
                TaskStatus.EXPIRED, get(waits.await(ID, Duration.ofMinutes(5))).status());
    }

    @Test
    void aMissingTaskFailsWith404AndAStoreFailureFailsTheWaiter() throws Exception {
        ExecutionException e =
                assertThrows(ExecutionException.class, () -> get(waits.await(ID, Duration.ofMinutes(1))));
        assertEquals(404, assertInstanceOf(ApiException.class, e.getCause()).status());
        try (TaskWaits broken = new TaskWaits(
                new TaskWaits.Store() {
                    @Override
                    public Optional<TaskView> load(String taskId) {
                        throw new IllegalStateException("Database error: down");
                    }

                    @Override
                    public Optional<TaskView> expireIfDue(String taskId) {
                        throw new IllegalStateException("Database error: down");
                    }
                },
                clock)) {
            ExecutionException down =
                    assertThrows(ExecutionException.class, () -> get(broken.await(ID, Duration.ofMinutes(1))));
            assertInstanceOf(IllegalStateException.class, down.getCause());
        }
    }

    @Test
    void closeFailsTheWaiters() {
        tasks.put(ID, task("PENDING"));
        CompletableFuture<TaskView> f = waits.await(ID, Duration.ofMinutes(1));
        waits.close();
        assertInstanceOf(
                IllegalStateException.class,
                assertThrows(ExecutionException.class, () -> get(f)).getCause());
    }
}
