package dev.fleetgate.api;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.osgi.annotation.versioning.ProviderType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One-off work for an agent: persisted, delivered at least once through sync, idempotent
 * by id on the agent, result stored, expired after its time to live.
 */
@ProviderType
public interface TaskService {

    /**
     * Queues a task and wakes the agent.
     *
     * @param agentId the agent that must run it
     * @param type    the task type; the agent runs it with the handler of that type
     * @param payload the handler's input (a JSON object)
     * @param ttl     how long the task may wait for delivery and completion
     * @return the task as queued
     */
    TaskView submit(String agentId, String type, JsonNode payload, Duration ttl);

    Optional<TaskView> get(String taskId);

    /**
     * Waits for a task to finish without polling: the stage completes with the task once it
     * is done (SUCCEEDED, FAILED or EXPIRED) — at once when its result reaches this core
     * through sync, soon after a change signal when it reached another core, at its expiry
     * at the latest. When {@code timeout} passes first, it completes with the task as it then
     * stands ({@link TaskView#isDone()} false). It completes exceptionally with an
     * {@link ApiException} 404 when there is no such task. Completion runs on a thread of
     * the task service: callbacks must not block it for long.
     *
     * @param taskId  the task
     * @param timeout how long to wait at most (at most one hour)
     * @return the task, done or as it stands at the timeout
     * @since 1.2
     */
    CompletionStage<TaskView> completion(String taskId, Duration timeout);

    /**
     * Blocking form of {@link #completion}.
     *
     * @return the task, done or as it stands after {@code timeout}; empty when unknown
     * @throws InterruptedException when the calling thread is interrupted meanwhile
     * @since 1.2
     */
    default Optional<TaskView> await(String taskId, Duration timeout) throws InterruptedException {
        try {
            return Optional.of(completion(taskId, timeout).toCompletableFuture().get());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException a && a.status() == 404) {
                return Optional.empty();
            }
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /**
     * Deletes a task and its result, whatever its state: for one-off reads (log fetches)
     * whose result nobody needs again. A result arriving later is ignored.
     *
     * @return whether the task existed
     * @since 1.2
     */
    boolean discard(String taskId);
}
