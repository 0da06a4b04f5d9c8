package dev.fleetgate.agents.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.Threads;

/**
 * Callers waiting for tasks to finish. A waiter is registered before the task is first
 * read, so a result stored meanwhile is never missed; it then completes on the first of:
 * the result stored by this core ({@link #done}), a change signal from any core
 * ({@link #changed}, re-reads the task), the task's expiry (marks it EXPIRED), or the
 * caller's timeout (answers the task as it stands). Database reads and completions run on
 * this class's own two threads, never on the caller's or the sync's.
 */
final class TaskWaits implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TaskWaits.class);
    static final Duration MAX_TIMEOUT = Duration.ofHours(1);

    /** Reads a task; marks an open task past its expiry EXPIRED and reads it. */
    interface Store {
        Optional<TaskView> load(String taskId);

        Optional<TaskView> expireIfDue(String taskId);
    }

    private static final class Waiter {
        final String taskId;
        /** The caller's deadline on {@link System#nanoTime()} (real time, whatever the store's clock says). */
        final long deadline;

        final CompletableFuture<TaskView> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timer;

        Waiter(String taskId, long deadline) {
            this.taskId = taskId;
            this.deadline = deadline;
        }

        long millisLeft() {
            return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
    }

    private final Store store;
    private final Clock clock;
    private final ScheduledExecutorService exec;
    private final Map<String, Set<Waiter>> waiting = new ConcurrentHashMap<>();

    TaskWaits(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(2, Threads.daemon("fleetgate-task-waits"));
        e.setRemoveOnCancelPolicy(true);
        this.exec = e;
    }

    /** @see dev.fleetgate.api.TaskService#completion */
    CompletableFuture<TaskView> await(String taskId, Duration timeout) {
        Duration t = timeout == null || timeout.isNegative()
                ? Duration.ZERO
                : timeout.compareTo(MAX_TIMEOUT) > 0 ? MAX_TIMEOUT : timeout;
        Waiter w = new Waiter(taskId, System.nanoTime() + t.toNanos());
        waiting.computeIfAbsent(taskId, k -> ConcurrentHashMap.newKeySet()).add(w);
        w.future.whenComplete((v, e) -> remove(w));
        run(() -> guarded(w, () -> first(w)));
        return w.future;
    }

    /** How many callers wait (for tests and diagnostics). */
    int size() {
        return waiting.values().stream().mapToInt(Set::size).sum();
    }

    /** This core stored the task's final state. */
    void done(TaskView task) {
        if (task.isDone() && waiting.containsKey(task.id())) {
            run(() -> complete(task.id(), task));
        }
    }

    /** A change signal: the task (or, for null, any task) may have finished. */
    void changed(String taskId) {
        if (taskId == null) {
            List.copyOf(waiting.keySet()).forEach(id -> run(() -> recheck(id)));
        } else if (waiting.containsKey(taskId)) {
            run(() -> recheck(taskId));
        }
    }

    private void first(Waiter w) {
        if (w.future.isDone()) {
            return;
        }
        Optional<TaskView> t = store.load(w.taskId);
        if (t.isEmpty()) {
            w.future.completeExceptionally(ApiException.notFound("Task " + w.taskId));
        } else if (t.get().isDone()) {
            w.future.complete(t.get());
        } else {
            schedule(w, t.get().expiresAt());
        }
    }

    /** Wakes the waiter at its task's expiry (by the store's clock) or its deadline, whichever comes first. */
    private void schedule(Waiter w, Instant expiresAt) {
        long delay = w.millisLeft();
        if (expiresAt != null) {
            delay = Math.min(
                    delay,
                    Math.max(0, Duration.between(clock.instant(), expiresAt).toMillis()));
        }
        try {
            w.timer = exec.schedule(() -> guarded(w, () -> wake(w)), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            w.future.completeExceptionally(new IllegalStateException("task service stopped"));
        }
        if (w.future.isDone() && w.timer != null) {
            w.timer.cancel(false);
        }
    }

    /** A waiter whose check fails (database down) fails too, rather than waiting forever. */
    private static void guarded(Waiter w, Runnable check) {
        try {
            check.run();
        } catch (RuntimeException e) {
            w.future.completeExceptionally(e);
        }
    }

    private void wake(Waiter w) {
        if (w.future.isDone()) {
            return;
        }
        Optional<TaskView> t = store.expireIfDue(w.taskId);
        if (t.isEmpty()) {
            w.future.completeExceptionally(ApiException.notFound("Task " + w.taskId));
        } else if (t.get().isDone()) {
            complete(w.taskId, t.get());
        } else if (w.millisLeft() == 0) {
            w.future.complete(t.get()); // the caller's timeout: the task as it stands
        } else {
            schedule(w, clock.instant().plusSeconds(1)); // not expired by the store's clock yet
        }
    }

    private void recheck(String taskId) {
        if (!waiting.containsKey(taskId)) {
            return;
        }
        Optional<TaskView> t = store.load(taskId);
        if (t.isEmpty()) {
            for (Waiter w : waiters(taskId)) {
                w.future.completeExceptionally(ApiException.notFound("Task " + taskId));
            }
        } else if (t.get().isDone()) {
            complete(taskId, t.get());
        }
    }

    private void complete(String taskId, TaskView task) {
        for (Waiter w : waiters(taskId)) {
            w.future.complete(task);
        }
    }

    private List<Waiter> waiters(String taskId) {
        Set<Waiter> set = waiting.get(taskId);
        return set == null ? List.of() : List.copyOf(set);
    }

    private void remove(Waiter w) {
        ScheduledFuture<?> timer = w.timer;
        if (timer != null) {
            timer.cancel(false);
        }
        waiting.computeIfPresent(w.taskId, (k, set) -> {
            set.remove(w);
            return set.isEmpty() ? null : set;
        });
    }

    private void run(Runnable r) {
        try {
            exec.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.warn("Checking a waited-for task failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Task waits stopped; check skipped");
        }
    }

    /** Fails every waiter and stops the threads. */
    @Override
    public void close() {
        exec.shutdownNow();
        IllegalStateException stopped = new IllegalStateException("task service stopped");
        waiting.values().forEach(set -> List.copyOf(set).forEach(w -> w.future.completeExceptionally(stopped)));
        waiting.clear();
    }
}
