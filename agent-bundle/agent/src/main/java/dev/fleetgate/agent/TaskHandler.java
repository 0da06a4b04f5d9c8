package dev.fleetgate.agent;

import org.osgi.annotation.versioning.ConsumerType;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Runs the tasks of one type (whiteboard service).
 *
 * <p>Register it with the service property {@value #TYPE} set to the task type, for example
 * {@code @Component(property = TaskHandler.TYPE + "=http.probe")}. The runtime calls
 * {@link #handle} on a small thread pool, once per task id; it may be called concurrently
 * for different tasks.
 */
@ConsumerType
public interface TaskHandler {

    /** Service property naming the task type this handler runs. */
    String TYPE = "fleetgate.task.type";

    /**
     * Runs a task.
     *
     * @param task the task
     * @return the result reported to the core as the task's {@code result} (may be {@code null});
     *         the task is then SUCCEEDED
     * @throws Exception the task is reported FAILED with the exception's message
     */
    JsonNode handle(Task task) throws Exception;
}
