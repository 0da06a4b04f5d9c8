package dev.fleetgate.logs.internal;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.Threads;

/**
 * Fetches logs from an agent: queues a {@code logs.container} or {@code logs.nginx} task
 * with a short time to live, waits for its result without holding a thread (the task
 * service completes the wait when the result arrives through sync), deletes the task (a
 * log read is never needed again, so polling leaves no rows behind) and maps the outcome:
 * unknown agent 404, agent offline 503, no answer in time 504, "no such container" 404,
 * any other failure of the agent 502.
 */
@Component(service = LogFetcher.class, configurationPid = LogsConfig.PID)
@Designate(ocd = LogsConfig.class)
public final class LogFetcher {
    public static final String CONTAINER_TASK = "logs.container";
    public static final String NGINX_TASK = "logs.nginx";
    private static final Logger LOG = LoggerFactory.getLogger(LogFetcher.class);

    private final AgentDirectory agents;
    private final TaskService tasks;
    private final Duration wait;
    private final Duration ttl;
    private final int maxBytes;
    private final ExecutorService answers;

    @Activate
    public LogFetcher(@Reference AgentDirectory agents, @Reference TaskService tasks, LogsConfig config) {
        this(
                agents,
                tasks,
                Duration.ofSeconds(config.waitSeconds()),
                Duration.ofSeconds(config.taskTtlSeconds()),
                config.maxBytes());
    }

    LogFetcher(AgentDirectory agents, TaskService tasks, Duration wait, Duration ttl, int maxBytes) {
        this.agents = agents;
        this.tasks = tasks;
        this.wait = wait;
        this.ttl = ttl.compareTo(wait) < 0 ? wait : ttl;
        this.maxBytes = maxBytes;
        // Answers (mapping, discarding the task, writing the response) run here, not on the task service's threads.
        this.answers = Threads.pool("fleetgate-logs", 4);
    }

    @Deactivate
    public void close() {
        answers.shutdownNow();
    }

    /** How long a fetch waits for the agent. */
    public Duration waitTime() {
        return wait;
    }

    /** A container's logs ({@code container} = id, id prefix or name) if Fleetgate manages it, else 404. */
    public CompletionStage<LogPage> container(String agentId, String container, LogQuery q) {
        return container(agentId, container, q, false);
    }

    /**
     * @param unmanaged also a container Fleetgate does not manage (the agent answers "no such container" for one
     *                  without label {@code fleetgate.managed=true} otherwise); callers allow it to admins only
     */
    public CompletionStage<LogPage> container(String agentId, String container, LogQuery q, boolean unmanaged) {
        String stream = "stderr".equals(q.stream()) ? "stderr" : "stdout";
        ObjectNode payload = q.containerPayload(container, maxBytes);
        if (unmanaged) {
            payload.put("unmanaged", true);
        }
        return fetch(agentId, CONTAINER_TASK, payload, q, stream, "container " + container);
    }

    /** The agent's nginx {@code access} or {@code error} log. */
    public CompletionStage<LogPage> nginx(String agentId, String log, LogQuery q) {
        return fetch(agentId, NGINX_TASK, q.nginxPayload(log, maxBytes), q, log, "nginx " + log + " log");
    }

    /** Looks an agent up by id or name (the shell). */
    public AgentInfo agent(String idOrName) {
        return agents.list().stream()
                .filter(a -> a.id().equalsIgnoreCase(idOrName) || a.name().equals(idOrName))
                .findFirst()
                .orElseThrow(() -> ApiException.notFound("Agent " + idOrName));
    }

    private CompletionStage<LogPage> fetch(
            String agentId, String type, ObjectNode payload, LogQuery q, String defaultStream, String what) {
        AgentInfo agent = agents.get(agentId).orElseThrow(() -> ApiException.notFound("Agent " + agentId));
        if (agent.status() != AgentInfo.Status.ONLINE) {
            throw new ApiException(
                    503,
                    "Agent " + agent.name() + " is offline (last seen "
                            + (agent.lastSeenAt() == null ? "never" : agent.lastSeenAt())
                            + "): logs cannot be read now");
        }
        TaskView task = tasks.submit(agentId, type, payload, ttl);
        CompletableFuture<LogPage> out = new CompletableFuture<>();
        tasks.completion(task.id(), wait)
                .whenCompleteAsync(
                        (done, failure) -> {
                            discard(task.id()); // before answering: the next poll never sees this one's row
                            try {
                                out.complete(page(agent, task, done, failure, q, defaultStream, what));
                            } catch (RuntimeException e) {
                                out.completeExceptionally(e);
                            }
                        },
                        answers);
        return out;
    }

    private LogPage page(
            AgentInfo agent,
            TaskView task,
            TaskView done,
            Throwable failure,
            LogQuery q,
            String defaultStream,
            String what) {
        if (failure != null) {
            Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            throw new ApiException(
                    502, "Reading the " + what + " on agent " + agent.name() + " failed: " + cause.getMessage());
        }
        switch (done.status()) {
            case SUCCEEDED -> {
                LogPage page = LogPage.from(done.result(), defaultStream, q.limit(), 2 * maxBytes);
                if (page == null) {
                    throw new ApiException(
                            502,
                            "Agent " + agent.name() + " answered the " + what
                                    + " request with no lines; is its agent up to date?");
                }
                return page;
            }
            case FAILED -> {
                String error = done.error() == null ? "unknown error" : done.error();
                if (error.toLowerCase(Locale.ROOT).contains("no such container")) {
                    throw new ApiException(404, error + " (agent " + agent.name() + ")");
                }
                throw new ApiException(502, "Agent " + agent.name() + " could not read the " + what + ": " + error);
            }
            case EXPIRED ->
                throw new ApiException(
                        504,
                        "Agent " + agent.name() + " did not take the " + what + " request before it expired ("
                                + ttl.toSeconds() + " s)");
            default ->
                throw new ApiException(
                        504,
                        "Agent " + agent.name() + " did not answer the " + what + " request within " + wait.toSeconds()
                                + " s (task " + task.id() + " " + done.status() + ")");
        }
    }

    private void discard(String taskId) {
        try {
            tasks.discard(taskId);
        } catch (RuntimeException e) {
            LOG.debug("Could not delete log task {}: {}", taskId, e.toString());
        }
    }
}
