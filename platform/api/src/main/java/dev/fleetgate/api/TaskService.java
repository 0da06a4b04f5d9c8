package dev.fleetgate.api;

import java.time.Duration;
import java.util.Optional;

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
}
