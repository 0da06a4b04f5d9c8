package dev.fleetgate.logs.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;

/** A task service the test answers by hand: as an agent would, or not at all. */
public final class FakeTaskService implements TaskService {
    public final List<TaskView> submitted = new CopyOnWriteArrayList<>();
    public final List<Duration> ttls = new CopyOnWriteArrayList<>();
    public final Set<String> discarded = ConcurrentHashMap.newKeySet();
    private final Map<String, CompletableFuture<TaskView>> waits = new ConcurrentHashMap<>();

    @Override
    public TaskView submit(String agentId, String type, JsonNode payload, Duration ttl) {
        Instant now = Instant.now();
        TaskView t = new TaskView(
                UUID.randomUUID().toString(),
                agentId,
                type,
                payload,
                TaskStatus.PENDING,
                null,
                null,
                0,
                now,
                null,
                null,
                now.plus(ttl));
        submitted.add(t);
        ttls.add(ttl);
        waits.put(t.id(), new CompletableFuture<>());
        return t;
    }

    @Override
    public Optional<TaskView> get(String taskId) {
        return submitted.stream().filter(t -> t.id().equals(taskId)).findFirst();
    }

    @Override
    public CompletionStage<TaskView> completion(String taskId, Duration timeout) {
        return waits.get(taskId);
    }

    @Override
    public boolean discard(String taskId) {
        return discarded.add(taskId);
    }

    public TaskView last() {
        return submitted.get(submitted.size() - 1);
    }

    /** The agent's answer arrives: SUCCEEDED with a result, FAILED with an error, or EXPIRED. */
    public void finish(String status, JsonNode result, String error) {
        TaskView t = last();
        waits.get(t.id())
                .complete(new TaskView(
                        t.id(),
                        t.agentId(),
                        t.type(),
                        t.payload(),
                        TaskStatus.valueOf(status),
                        result,
                        error,
                        1,
                        t.createdAt(),
                        t.createdAt(),
                        Instant.now(),
                        t.expiresAt()));
    }

    /** The caller's wait ends with the task still open. */
    public void timeOut() {
        TaskView t = last();
        waits.get(t.id())
                .complete(new TaskView(
                        t.id(),
                        t.agentId(),
                        t.type(),
                        t.payload(),
                        TaskStatus.DELIVERED,
                        null,
                        null,
                        1,
                        t.createdAt(),
                        t.createdAt(),
                        null,
                        t.expiresAt()));
    }

    public void fail(Throwable e) {
        waits.get(last().id()).completeExceptionally(e);
    }
}
