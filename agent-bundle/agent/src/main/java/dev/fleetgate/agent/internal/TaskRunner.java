package dev.fleetgate.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.TaskHandler;
import dev.fleetgate.agent.Threads;

/**
 * Runs tasks by the {@link TaskHandler} of their type, each id once. Keeps the last
 * {@value #KEEP_RESULTS} results: a task delivered again gets its result re-sent, not a
 * second run. Results stay "unsent" until a sync carrying them succeeds.
 */
public final class TaskRunner {

    /** Waits for the deployment of bundles in progress, so that a handler deployed just now is found. */
    public interface BundleGate {
        /**
         * Blocks while bundles are being deployed (bounded).
         *
         * @return whether the bundles changed recently (a handler may still be registering)
         */
        boolean awaitBundles() throws InterruptedException;
    }

    static final int KEEP_RESULTS = 1000;
    private static final Logger LOG = System.getLogger(TaskRunner.class.getName());
    private static final long HANDLER_GRACE_MS = 3_000;

    private final ObjectMapper mapper;
    private final BundleGate gate;
    private final Runnable onResult;
    private final ExecutorService executor;
    private final Map<String, List<TaskHandler>> handlers = new LinkedHashMap<>();
    private final Set<String> running = new HashSet<>();
    private final Map<String, ObjectNode> done = new LinkedHashMap<>(64, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > KEEP_RESULTS;
        }
    };
    private final Map<String, ObjectNode> unsent = new LinkedHashMap<>();

    /**
     * @param gate     waits for bundle deployments before a handler is looked up
     * @param onResult called (outside locks) when a result is ready to be sent
     */
    public TaskRunner(ObjectMapper mapper, BundleGate gate, Runnable onResult) {
        this.mapper = mapper;
        this.gate = gate;
        this.onResult = onResult;
        this.executor = Threads.pool("fleetgate-task", 2);
    }

    public synchronized void addHandler(String type, TaskHandler handler) {
        handlers.computeIfAbsent(type, t -> new ArrayList<>()).add(handler);
        notifyAll();
    }

    public synchronized void removeHandler(String type, TaskHandler handler) {
        List<TaskHandler> list = handlers.get(type);
        if (list != null && list.remove(handler) && list.isEmpty()) {
            handlers.remove(type);
        }
    }

    /** Runs the task unless it already ran or runs; a task that already ran gets its result re-sent. */
    public void submit(Task task) {
        synchronized (this) {
            ObjectNode previous = done.get(task.id());
            if (previous != null) {
                LOG.log(Level.DEBUG, "task {0} already ran: re-sending its result", task.id());
                unsent.put(task.id(), previous);
            } else if (!running.add(task.id())) {
                return;
            } else {
                executor.execute(() -> run(task));
                return;
            }
        }
        onResult.run();
    }

    /** @return the results not yet acknowledged by a successful sync */
    public synchronized List<ObjectNode> unsentResults() {
        return new ArrayList<>(unsent.values());
    }

    /** Forgets the results a successful sync carried (unless they were replaced since). */
    public synchronized void acknowledge(List<ObjectNode> sent) {
        for (ObjectNode result : sent) {
            unsent.remove(result.path("id").asText(), result);
        }
    }

    public synchronized boolean hasUnsentResults() {
        return !unsent.isEmpty();
    }

    public void stop() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Task task) {
        ObjectNode result = mapper.createObjectNode();
        result.put("id", task.id());
        try {
            TaskHandler handler = findHandler(task.type());
            if (handler == null) {
                throw new IllegalStateException("no handler for type " + task.type());
            }
            LOG.log(Level.DEBUG, "running task {0} of type {1}", task.id(), task.type());
            JsonNode output = handler.handle(task);
            result.put("status", "SUCCEEDED");
            result.set("result", output);
            result.putNull("error");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (this) {
                running.remove(task.id());
            }
            return;
        } catch (Exception | LinkageError e) {
            String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
            LOG.log(Level.INFO, "task {0} of type {1} failed: {2}", task.id(), task.type(), message);
            result.put("status", "FAILED");
            result.putNull("result");
            result.put("error", message);
        }
        synchronized (this) {
            running.remove(task.id());
            done.put(task.id(), result);
            unsent.put(task.id(), result);
        }
        onResult.run();
    }

    private TaskHandler findHandler(String type) throws InterruptedException {
        boolean bundlesChanged = gate.awaitBundles();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(bundlesChanged ? HANDLER_GRACE_MS : 0);
        synchronized (this) {
            while (true) {
                List<TaskHandler> list = handlers.get(type);
                if (list != null && !list.isEmpty()) {
                    return list.get(list.size() - 1);
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return null;
                }
                wait(left);
            }
        }
    }
}
