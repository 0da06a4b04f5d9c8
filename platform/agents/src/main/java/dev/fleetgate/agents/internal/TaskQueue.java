package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;

/**
 * The persistent task queue: submit, deliver at least once, complete once, expire, purge;
 * callers wait for results through {@link #completion} (see {@link TaskWaits}). A stored
 * result is signalled on {@value Notifier#TASK_CHANNEL} so that waiters on other cores wake.
 */
@Component(service = {TaskService.class, TaskQueue.class})
public final class TaskQueue implements TaskService {
    private static final Logger LOG = LoggerFactory.getLogger(TaskQueue.class);
    public static final Pattern TYPE = Pattern.compile("[a-z][a-z0-9._-]{0,63}");
    public static final Duration MAX_TTL = Duration.ofDays(7);
    private static final int MAX_PER_SYNC = 100;
    private static final String COLUMNS = "id, agent_id, type, payload, status, result, error, attempts,"
            + " created_at, delivered_at, completed_at, expires_at";

    /** A task as sent to the agent. */
    public record Delivery(String id, String type, JsonNode payload, Instant expiresAt) {}

    /** A result reported by the agent. */
    public record Result(String id, TaskStatus status, JsonNode result, String error) {}

    private final DataSource dataSource;
    private final AgentRegistry registry;
    private final Notifier notifier;
    private final Settings settings;
    private final Clock clock;
    private final TaskWaits waits;
    private final Notifier.Listener taskListener;
    /**
     * Agents that may have open (PENDING or DELIVERED) tasks, each with a token replaced at every
     * signal: a sync of an agent without one reads nothing from the database. Set on submit and
     * on every change signal of the agent (NOTIFY from other cores); dropped by {@link #deliver}
     * when it found no open task and no signal came meanwhile.
     */
    private final Map<String, Object> mayHaveTasks = new ConcurrentHashMap<>();

    private final Notifier.Listener agentListener = this::onAgentChange;

    @Activate
    public TaskQueue(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentRegistry registry,
            @Reference Notifier notifier) {
        this(dataSource, registry, notifier, registry.settings(), registry.clock());
    }

    public TaskQueue(DataSource dataSource, AgentRegistry registry, Notifier notifier, Settings settings, Clock clock) {
        this.dataSource = dataSource;
        this.registry = registry;
        this.notifier = notifier;
        this.settings = settings;
        this.clock = clock;
        this.waits = new TaskWaits(
                new TaskWaits.Store() {
                    @Override
                    public Optional<TaskView> load(String taskId) {
                        return get(taskId);
                    }

                    @Override
                    public Optional<TaskView> expireIfDue(String taskId) {
                        return expireOne(taskId);
                    }
                },
                clock);
        this.taskListener = waits::changed;
        notifier.addTaskListener(taskListener);
        notifier.addListener(agentListener);
        loadOpen();
    }

    @Deactivate
    public void close() {
        notifier.removeListener(agentListener);
        notifier.removeTaskListener(taskListener);
        waits.close();
    }

    @Override
    public TaskView submit(String agentId, String type, JsonNode payload, Duration ttl) {
        if (type == null || !TYPE.matcher(type).matches()) {
            throw ApiException.invalid("type", "must match " + TYPE.pattern());
        }
        if (payload != null && !payload.isNull() && !payload.isObject()) {
            throw ApiException.invalid("payload", "must be a JSON object");
        }
        Duration t = ttl == null ? Duration.ofSeconds(settings.defaultTaskTtlSeconds()) : ttl;
        if (t.isNegative() || t.isZero() || t.compareTo(MAX_TTL) > 0) {
            throw ApiException.invalid("ttlSeconds", "must be between 1 and " + MAX_TTL.toSeconds());
        }
        if (!registry.exists(agentId)) {
            throw ApiException.notFound("Agent " + agentId);
        }
        JsonNode body = payload == null || payload.isNull() ? Json.MAPPER.createObjectNode() : payload;
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        TaskView task = new TaskView(
                UUID.randomUUID().toString(),
                agentId,
                type,
                body,
                TaskStatus.PENDING,
                null,
                null,
                0,
                now,
                null,
                null,
                now.plus(t));
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO tasks (id, agent_id, type, payload, status,"
                    + " created_at, expires_at) VALUES (?, ?, ?, ?::jsonb, ?, ?, ?)")) {
                ps.setObject(1, UUID.fromString(task.id()));
                ps.setObject(2, UUID.fromString(agentId));
                ps.setString(3, type);
                SqlJson.setJson(ps, 4, body);
                ps.setString(5, TaskStatus.PENDING.name());
                Jdbc.setInstant(ps, 6, task.createdAt());
                Jdbc.setInstant(ps, 7, task.expiresAt());
                ps.executeUpdate();
            }
            SqlJson.notify(c, agentId);
            return null;
        });
        mayHaveTasks.put(agentId, new Object());
        notifier.local(agentId);
        return task;
    }

    @Override
    public Optional<TaskView> get(String taskId) {
        Optional<UUID> id = Ids.parse(taskId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM tasks WHERE id = ?")) {
                ps.setObject(1, id.get());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(view(rs)) : Optional.<TaskView>empty();
                }
            }
        });
    }

    @Override
    public CompletionStage<TaskView> completion(String taskId, Duration timeout) {
        Optional<String> id = Ids.canonical(taskId);
        return id.isEmpty()
                ? CompletableFuture.failedFuture(ApiException.notFound("Task " + taskId))
                : waits.await(id.get(), timeout);
    }

    @Override
    public boolean discard(String taskId) {
        Optional<UUID> id = Ids.parse(taskId);
        if (id.isEmpty()) {
            return false;
        }
        int n = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM tasks WHERE id = ?")) {
                ps.setObject(1, id.get());
                return ps.executeUpdate();
            }
        });
        if (n > 0) {
            waits.changed(id.get().toString());
        }
        return n > 0;
    }

    /** For tests: how many callers wait for tasks. */
    int waiting() {
        return waits.size();
    }

    /** The newest tasks of an agent. */
    public List<TaskView> list(String agentId, int limit) {
        return Jdbc.auto(dataSource, c -> {
            List<TaskView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM tasks WHERE agent_id = ? ORDER BY created_at DESC, id LIMIT ?")) {
                ps.setObject(1, UUID.fromString(agentId));
                ps.setInt(2, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
            }
            return out;
        });
    }

    /**
     * Picks the agent's deliverable tasks and marks them DELIVERED (attempts + 1). Reads
     * only, unless there is something to deliver.
     */
    public List<Delivery> deliver(String agentId) {
        Object token = mayHaveTasks.get(agentId);
        if (token == null) {
            return List.of();
        }
        Instant now = clock.instant();
        UUID agent = UUID.fromString(agentId);
        boolean[] open = new boolean[1];
        List<UUID> ids = Jdbc.auto(dataSource, c -> {
            List<UUID> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT id, status, delivered_at, expires_at FROM tasks"
                    + " WHERE agent_id = ? AND status IN ('PENDING', 'DELIVERED') ORDER BY created_at, id")) {
                ps.setObject(1, agent);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next() && out.size() < MAX_PER_SYNC) {
                        open[0] = true;
                        if (SyncPlanner.deliverable(
                                TaskStatus.valueOf(rs.getString("status")),
                                Jdbc.instant(rs, "delivered_at"),
                                Jdbc.instant(rs, "expires_at"),
                                now,
                                settings.taskRedelivery())) {
                            out.add(rs.getObject("id", UUID.class));
                        }
                    }
                }
            }
            return out;
        });
        if (!open[0]) {
            mayHaveTasks.remove(agentId, token); // kept when a signal came meanwhile
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        Instant stale = now.minus(settings.taskRedelivery());
        return Jdbc.auto(dataSource, c -> {
            List<Delivery> out = new ArrayList<>();
            // Conditions repeated so that two cores never deliver the same fresh task twice.
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = 'DELIVERED', delivered_at = ?,"
                    + " attempts = attempts + 1 WHERE id = ANY (?) AND agent_id = ? AND expires_at > ?"
                    + " AND (status = 'PENDING' OR (status = 'DELIVERED' AND delivered_at <= ?))"
                    + " RETURNING id, type, payload, expires_at, created_at")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setArray(2, c.createArrayOf("uuid", ids.toArray()));
                ps.setObject(3, agent);
                Jdbc.setInstant(ps, 4, now);
                Jdbc.setInstant(ps, 5, stale);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Delivery(
                                rs.getString("id"),
                                rs.getString("type"),
                                SqlJson.json(rs, "payload"),
                                Jdbc.instant(rs, "expires_at")));
                    }
                }
            }
            return out;
        });
    }

    private void onAgentChange(String agentId) {
        if (agentId == null) {
            loadOpen(); // signals may have been missed
        } else {
            mayHaveTasks.put(agentId, new Object());
        }
    }

    /** Marks every agent with an open task in the database. */
    private void loadOpen() {
        List<String> agents = Jdbc.auto(dataSource, c -> {
            List<String> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT DISTINCT agent_id FROM tasks WHERE status IN ('PENDING', 'DELIVERED')");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
        agents.forEach(a -> mayHaveTasks.put(a, new Object()));
    }

    /**
     * Makes the agent's delivered but unfinished tasks deliverable at once (its process
     * restarted and lost them).
     *
     * @return how many
     */
    public int redeliverUnfinished(String agentId) {
        Instant now = clock.instant();
        int n = Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = 'PENDING'"
                    + " WHERE agent_id = ? AND status = 'DELIVERED' AND expires_at > ?")) {
                ps.setObject(1, UUID.fromString(agentId));
                Jdbc.setInstant(ps, 2, now);
                return ps.executeUpdate();
            }
        });
        if (n > 0) {
            mayHaveTasks.put(agentId, new Object());
        }
        return n;
    }

    /**
     * Stores results; results for unknown, other agents' or finished tasks are ignored. Each
     * stored result completes this core's waiters at once and is signalled to other cores.
     */
    public int complete(String agentId, List<Result> results) {
        if (results.isEmpty()) {
            return 0;
        }
        Instant now = clock.instant();
        List<TaskView> finished = Jdbc.tx(dataSource, c -> {
            List<TaskView> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = ?, result = ?::jsonb, error = ?,"
                    + " completed_at = ? WHERE id = ? AND agent_id = ? AND status IN ('PENDING', 'DELIVERED')"
                    + " RETURNING " + COLUMNS)) {
                for (Result r : results) {
                    // One result the database refuses must not fail the others (nor every later
                    // sync: the agent resends results until they are acknowledged): it is stored
                    // FAILED with the reason instead.
                    Savepoint sp = c.setSavepoint();
                    try {
                        completeOne(
                                ps,
                                agentId,
                                r.status(),
                                r.result() == null || r.result().isNull() ? null : r.result(),
                                r.error(),
                                r.id(),
                                now,
                                out);
                        c.releaseSavepoint(sp);
                    } catch (SQLException e) {
                        c.rollback(sp);
                        LOG.warn(
                                "Result of task {} from agent {} not storable, stored as FAILED: {}",
                                r.id(),
                                agentId,
                                e.getMessage());
                        completeOne(
                                ps,
                                agentId,
                                TaskStatus.FAILED,
                                null,
                                "The result could not be stored: " + StorableText.clean(String.valueOf(e.getMessage())),
                                r.id(),
                                now,
                                out);
                    }
                }
            }
            for (TaskView t : out) {
                SqlJson.notifyTask(c, t.id());
            }
            return out;
        });
        finished.forEach(waits::done);
        return finished.size();
    }

    private static void completeOne(
            PreparedStatement ps,
            String agentId,
            TaskStatus status,
            JsonNode result,
            String error,
            String taskId,
            Instant now,
            List<TaskView> out)
            throws SQLException {
        ps.setString(1, status.name());
        SqlJson.setJson(ps, 2, result);
        ps.setString(3, error);
        Jdbc.setInstant(ps, 4, now);
        ps.setObject(5, UUID.fromString(taskId));
        ps.setObject(6, UUID.fromString(agentId));
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(view(rs));
            }
        }
    }

    /** Marks one open task EXPIRED if it is past its expiry; @return the task as it then is */
    Optional<TaskView> expireOne(String taskId) {
        Optional<UUID> id = Ids.parse(taskId);
        if (id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = 'EXPIRED', completed_at = ?"
                    + " WHERE id = ? AND status IN ('PENDING', 'DELIVERED') AND expires_at <= ?")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setObject(2, id.get());
                Jdbc.setInstant(ps, 3, now);
                return ps.executeUpdate();
            }
        });
        return get(taskId);
    }

    /** Marks open tasks past their expiry EXPIRED. */
    public int expire() {
        Instant now = clock.instant();
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE tasks SET status = 'EXPIRED', completed_at = ?"
                    + " WHERE status IN ('PENDING', 'DELIVERED') AND expires_at <= ?")) {
                Jdbc.setInstant(ps, 1, now);
                Jdbc.setInstant(ps, 2, now);
                return ps.executeUpdate();
            }
        });
    }

    /** Deletes finished tasks older than the retention. */
    public int purge() {
        Instant cutoff = clock.instant().minus(Duration.ofDays(settings.taskRetentionDays()));
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM tasks WHERE status IN ('SUCCEEDED', 'FAILED'," + " 'EXPIRED') AND completed_at < ?")) {
                Jdbc.setInstant(ps, 1, cutoff);
                return ps.executeUpdate();
            }
        });
    }

    private static TaskView view(ResultSet rs) throws SQLException {
        return new TaskView(
                rs.getString("id"),
                rs.getString("agent_id"),
                rs.getString("type"),
                SqlJson.json(rs, "payload"),
                TaskStatus.valueOf(rs.getString("status")),
                SqlJson.json(rs, "result"),
                rs.getString("error"),
                rs.getInt("attempts"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "delivered_at"),
                Jdbc.instant(rs, "completed_at"),
                Jdbc.instant(rs, "expires_at"));
    }
}
