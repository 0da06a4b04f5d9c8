package dev.fleetgate.monitors.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.monitors.MonitorState;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * Monitors, their per-agent confirmation counters and their results in PostgreSQL (plain
 * JDBC); owns the module's schema. A result and the state it leads to are written in one
 * transaction under the monitor's row lock, so a state change is seen by exactly one core.
 */
@Component(service = MonitorStore.class)
public final class MonitorStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String COLUMNS = "id, name, type, target, interval_seconds, agent_ids, expect, "
            + "follow_redirects, confirmations, timeout_ms, state, state_since, created_at, updated_at, options, "
            + "confirm_agents, service_id";

    /**
     * The first run of a new or changed monitor: now plus up to a tenth of its interval, so that
     * monitors created together (a script, an import) do not all probe in the same second; later
     * runs keep that phase (each claim adds one interval).
     */
    private static final String JITTERED_START = "now() + random() * make_interval(secs => ?::float8 / 10)";

    /** Daily partitions of the raw results are kept this many days ahead of today. */
    static final int PARTITIONS_AHEAD = 2;

    private final DataSource dataSource;

    @Activate
    public MonitorStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this(dataSource);
        migrator.migrate("monitors", context.getBundle(), "db/monitors");
        ensurePartitions(Instant.now(), PARTITIONS_AHEAD);
    }

    /** For tests: the schema must exist. */
    public MonitorStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public List<StoredMonitor> list() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM monitor ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                List<StoredMonitor> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(read(rs));
                }
                return out;
            }
        });
    }

    public Optional<StoredMonitor> get(UUID id) {
        return Jdbc.auto(dataSource, c -> one(c, id, false));
    }

    /** @throws ApiException 409 when the name is taken */
    public StoredMonitor create(MonitorInput in) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitor (name, type, target, interval_seconds,"
                    + " agent_ids, expect, follow_redirects, confirmations, timeout_ms, options, confirm_agents, service_id,"
                    + " id, next_run_at)"
                    + " VALUES (?, ?, ?, ?, ?::jsonb, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ?, ?, " + JITTERED_START + ")"
                    + " ON CONFLICT (name) DO NOTHING")) {
                bind(ps, in);
                ps.setObject(13, id);
                ps.setInt(14, in.intervalSeconds());
                if (ps.executeUpdate() == 0) {
                    throw taken(in.name());
                }
            }
            return one(c, id, false).orElseThrow();
        });
    }

    /**
     * Replaces the definition; the state starts over (PENDING, counters cleared) and the monitor
     * is due at once.
     *
     * @return the monitor before and after
     * @throws ApiException 404 when unknown, 409 when the name is taken
     */
    public StoredMonitor[] update(UUID id, MonitorInput in) {
        return Jdbc.tx(dataSource, c -> {
            StoredMonitor before = one(c, id, true).orElseThrow(() -> ApiException.notFound("Monitor " + id));
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM monitor WHERE name = ? AND id <> ?")) {
                ps.setString(1, in.name());
                ps.setObject(2, id);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        throw taken(in.name());
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitor SET name = ?, type = ?, target = ?,"
                    + " interval_seconds = ?, agent_ids = ?::jsonb, expect = ?::jsonb, follow_redirects = ?,"
                    + " confirmations = ?, timeout_ms = ?, options = ?::jsonb, confirm_agents = ?, service_id = ?,"
                    + " state = 'PENDING', state_since = now(), next_run_at = "
                    + JITTERED_START + ","
                    + " updated_at = now() WHERE id = ?")) {
                bind(ps, in);
                ps.setInt(13, in.intervalSeconds());
                ps.setObject(14, id);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor_agent_state WHERE monitor_id = ?")) {
                ps.setObject(1, id);
                ps.executeUpdate();
            }
            return new StoredMonitor[] {before, one(c, id, false).orElseThrow()};
        });
    }

    /** @return the monitor as it was, or empty when unknown; its results go with it */
    public Optional<StoredMonitor> delete(UUID id) {
        return Jdbc.tx(dataSource, c -> {
            Optional<StoredMonitor> before = one(c, id, true);
            if (before.isPresent()) {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor WHERE id = ?")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
            }
            return before;
        });
    }

    /**
     * Claims the monitors due at {@code now} (at most {@code limit}) and moves their next run
     * one interval on: of several cores, each due monitor goes to one.
     */
    public List<StoredMonitor> claimDue(Instant now, int limit) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE monitor m SET next_run_at = ?::timestamptz"
                    + " + make_interval(secs => m.interval_seconds) WHERE m.id IN (SELECT id FROM monitor"
                    + " WHERE next_run_at <= ? ORDER BY next_run_at LIMIT ? FOR UPDATE SKIP LOCKED)"
                    + " RETURNING " + COLUMNS)) {
                Jdbc.setInstant(ps, 1, now);
                Jdbc.setInstant(ps, 2, now);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<StoredMonitor> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(read(rs));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Stores one result, steps the agent's confirmation counter and re-evaluates the state.
     *
     * @param online whether each agent is online now (absent = offline)
     * @return the state change, or empty; empty also when the monitor was deleted meanwhile
     */
    public Optional<Transition> record(UUID monitorId, ProbeResult r, Map<String, Boolean> online) {
        return Jdbc.tx(dataSource, c -> {
            Optional<StoredMonitor> m = one(c, monitorId, true);
            if (m.isEmpty()) {
                return Optional.empty();
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitor_result (monitor_id, agent_id,"
                    + " checked_at, ok, status, latency_ms, error_kind, error, tls_expires_at, detail)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)")) {
                ps.setObject(1, monitorId);
                ps.setString(2, r.agentId());
                Jdbc.setInstant(ps, 3, r.checkedAt());
                ps.setBoolean(4, r.ok());
                ps.setObject(5, r.status(), Types.INTEGER);
                ps.setObject(6, r.latencyMs(), Types.INTEGER);
                ps.setString(7, r.errorKind());
                ps.setString(8, storable(r.error(), 2000));
                Jdbc.setInstant(ps, 9, r.tlsExpiresAt());
                String detail = r.detail() == null ? null : storable(r.detail().toString(), Integer.MAX_VALUE);
                ps.setString(10, detail == null || detail.length() > 64 * 1024 ? null : detail);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO monitor_agent_state (monitor_id, agent_id,"
                            + " consecutive_failures, last_checked_at) VALUES (?, ?, ?, ?) ON CONFLICT (monitor_id, agent_id)"
                            + " DO UPDATE SET consecutive_failures = CASE WHEN ? THEN 0"
                            + " ELSE monitor_agent_state.consecutive_failures + 1 END, last_checked_at = EXCLUDED.last_checked_at")) {
                ps.setObject(1, monitorId);
                ps.setString(2, r.agentId());
                ps.setInt(3, r.ok() ? 0 : 1);
                Jdbc.setInstant(ps, 4, r.checkedAt());
                ps.setBoolean(5, r.ok());
                ps.executeUpdate();
            }
            return evaluate(c, m.get(), online, r);
        });
    }

    /** Re-evaluates the state without a new result (agents went offline or came back). */
    public Optional<Transition> reevaluate(UUID monitorId, Map<String, Boolean> online) {
        return Jdbc.tx(dataSource, c -> {
            Optional<StoredMonitor> m = one(c, monitorId, true);
            return m.isEmpty() ? Optional.empty() : evaluate(c, m.get(), online, null);
        });
    }

    private static Optional<Transition> evaluate(
            Connection c, StoredMonitor m, Map<String, Boolean> online, ProbeResult cause) throws SQLException {
        Map<String, Integer> failures = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT agent_id, consecutive_failures FROM monitor_agent_state" + " WHERE monitor_id = ?")) {
            ps.setObject(1, m.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    failures.put(rs.getString(1), rs.getInt(2));
                }
            }
        }
        List<StateLogic.AgentView> views = new ArrayList<>();
        for (String agent : m.agentIds()) {
            views.add(new StateLogic.AgentView(agent, online.getOrDefault(agent, false), failures.get(agent)));
        }
        MonitorState next = StateLogic.evaluate(views, m.confirmations(), m.confirmAgents());
        if (next == m.state()) {
            return Optional.empty();
        }
        try (PreparedStatement ps =
                c.prepareStatement("UPDATE monitor SET state = ?, state_since = now() WHERE id = ?")) {
            ps.setString(1, next.name());
            ps.setObject(2, m.id());
            ps.executeUpdate();
        }
        DownReport report = next == MonitorState.DOWN ? report(c, m, failures) : null;
        return Optional.of(new Transition(m.id(), m.name(), m.target(), m.state(), next, cause, report));
    }

    /** The failing agents' latest results, when the failures started, the last success. */
    private static DownReport report(Connection c, StoredMonitor m, Map<String, Integer> failures) throws SQLException {
        List<ProbeResult> failing = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (agent_id) agent_id, checked_at, ok,"
                + " status, latency_ms, error_kind, error, tls_expires_at, NULL AS detail FROM monitor_result"
                + " WHERE monitor_id = ? AND checked_at > now() - make_interval(secs => ?::float8 * ?)"
                + " ORDER BY agent_id, checked_at DESC")) {
            ps.setObject(1, m.id());
            ps.setInt(2, m.intervalSeconds());
            ps.setInt(3, m.confirmations() + 5);
            for (ProbeResult r : results(ps)) {
                if (!r.ok() && failures.getOrDefault(r.agentId(), 0) >= m.confirmations()) {
                    failing.add(r);
                }
            }
        }
        Instant lastSuccess;
        Instant since;
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT max(checked_at) AS t FROM monitor_result" + " WHERE monitor_id = ? AND ok")) {
            ps.setObject(1, m.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                lastSuccess = Jdbc.instant(rs, "t");
            }
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT min(checked_at) AS t FROM monitor_result"
                        + " WHERE monitor_id = ? AND NOT ok AND checked_at > coalesce(?::timestamptz, '-infinity'::timestamptz)")) {
            ps.setObject(1, m.id());
            Jdbc.setInstant(ps, 2, lastSuccess);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                since = Jdbc.instant(rs, "t");
            }
        }
        return new DownReport(failing, m.agentIds().size(), since, lastSuccess, m.serviceId());
    }

    /** The latest result of each agent that reported. */
    public List<ProbeResult> latest(UUID monitorId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT ON (agent_id) agent_id, checked_at, ok,"
                    + " status, latency_ms, error_kind, error, tls_expires_at, detail FROM monitor_result"
                    + " WHERE monitor_id = ? ORDER BY agent_id, checked_at DESC")) {
                ps.setObject(1, monitorId);
                return results(ps);
            }
        });
    }

    /** The most recent results, newest first. */
    public List<ProbeResult> results(UUID monitorId, int limit) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT agent_id, checked_at, ok, status, latency_ms,"
                    + " error_kind, error, tls_expires_at, detail FROM monitor_result WHERE monitor_id = ?"
                    + " ORDER BY checked_at DESC LIMIT ?")) {
                ps.setObject(1, monitorId);
                ps.setInt(2, limit);
                return results(ps);
            }
        });
    }

    /** @return the share of passing checks (0..100) since {@code now - window}, or null without results */
    public Double uptimePercent(UUID monitorId, Instant now, Duration window) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FILTER (WHERE ok), count(*)"
                    + " FROM monitor_result WHERE monitor_id = ? AND checked_at > ? AND checked_at <= ?")) {
                ps.setObject(1, monitorId);
                Jdbc.setInstant(ps, 2, now.minus(window));
                Jdbc.setInstant(ps, 3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long ok = rs.getLong(1);
                    long all = rs.getLong(2);
                    return all == 0 ? null : 100.0 * ok / all;
                }
            }
        });
    }

    /** One hour of a monitor's checks (all agents). */
    public record HourBucket(Instant hour, long checks, long ok, Double avgLatencyMs) {}

    /** @return the hours since {@code from} that have checks, oldest first */
    public List<HourBucket> hourly(UUID monitorId, Instant from) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT date_trunc('hour', checked_at) AS hour,"
                    + " count(*) AS checks, count(*) FILTER (WHERE ok) AS ok, avg(latency_ms) AS latency"
                    + " FROM monitor_result WHERE monitor_id = ? AND checked_at >= ? GROUP BY 1 ORDER BY 1")) {
                ps.setObject(1, monitorId);
                Jdbc.setInstant(ps, 2, from);
                try (ResultSet rs = ps.executeQuery()) {
                    List<HourBucket> out = new ArrayList<>();
                    while (rs.next()) {
                        double latency = rs.getDouble("latency");
                        out.add(new HourBucket(
                                Jdbc.instant(rs, "hour"),
                                rs.getLong("checks"),
                                rs.getLong("ok"),
                                rs.wasNull() ? null : latency));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Rolls the raw results up into {@code monitor_hourly}: every hour from the last one rolled
     * up (at most {@code redoHours} back, for late results; everything kept when nothing was rolled
     * up yet) to the current, partial one, recomputed whole (idempotent).
     *
     * @return hourly rows written
     */
    public int rollup(Instant now, int redoHours) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO monitor_hourly (monitor_id, hour, agent_id,"
                    + " checks, ok, latency_avg_ms, latency_max_ms)"
                    + " SELECT monitor_id, date_trunc('hour', checked_at), agent_id, count(*), count(*) FILTER (WHERE ok),"
                    + " avg(latency_ms), max(latency_ms) FROM monitor_result"
                    + " WHERE checked_at >= (SELECT CASE WHEN max(hour) IS NULL THEN '-infinity'::timestamptz"
                    + " ELSE least(max(hour), date_trunc('hour', ?::timestamptz) - make_interval(hours => ?)) END"
                    + " FROM monitor_hourly)"
                    + " GROUP BY 1, 2, 3 ON CONFLICT (monitor_id, hour, agent_id) DO UPDATE SET checks = EXCLUDED.checks,"
                    + " ok = EXCLUDED.ok, latency_avg_ms = EXCLUDED.latency_avg_ms,"
                    + " latency_max_ms = EXCLUDED.latency_max_ms")) {
                Jdbc.setInstant(ps, 1, now);
                ps.setInt(2, redoHours);
                return ps.executeUpdate();
            }
        });
    }

    /** @return the share of passing checks (0..100) in the hourly aggregates since {@code now - window}, or null */
    public Double hourlyUptimePercent(UUID monitorId, Instant now, Duration window) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT sum(ok), sum(checks) FROM monitor_hourly"
                    + " WHERE monitor_id = ? AND hour >= date_trunc('hour', ?::timestamptz) AND hour <= ?")) {
                ps.setObject(1, monitorId);
                Jdbc.setInstant(ps, 2, now.minus(window));
                Jdbc.setInstant(ps, 3, now);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    long all = rs.getLong(2);
                    return all == 0 ? null : 100.0 * rs.getLong(1) / all;
                }
            }
        });
    }

    /** Deletes hourly aggregates of hours before {@code before}. @return rows deleted */
    public int pruneHourly(Instant before) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor_hourly WHERE hour < ?")) {
                Jdbc.setInstant(ps, 1, before);
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Deletes results checked before {@code before}: drops the daily partitions that end by then,
     * and deletes older rows of the default partition {@code batch} rows per statement.
     *
     * @return rows deleted from the default partition plus rows of the partitions dropped
     */
    public long prune(Instant before, int batch) {
        long total = dropPartitions(before);
        while (true) {
            int n = Jdbc.auto(dataSource, c -> {
                try (PreparedStatement ps = c.prepareStatement("DELETE FROM monitor_result_default WHERE ctid IN"
                        + " (SELECT ctid FROM monitor_result_default WHERE checked_at < ? LIMIT ?)")) {
                    Jdbc.setInstant(ps, 1, before);
                    ps.setInt(2, batch);
                    return ps.executeUpdate();
                }
            });
            total += n;
            if (n < batch) {
                return total;
            }
        }
    }

    private static final java.time.format.DateTimeFormatter DAY =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").withZone(java.time.ZoneOffset.UTC);

    /**
     * Creates the daily partitions (UTC) from the day of {@code now} to {@code ahead} days later.
     * A day whose rows already sit in the default partition cannot get one (PostgreSQL refuses):
     * it is skipped and its rows stay in the default partition.
     *
     * @return partitions created
     */
    public int ensurePartitions(Instant now, int ahead) {
        int created = 0;
        java.time.LocalDate today = java.time.LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
        for (int i = 0; i <= ahead; i++) {
            java.time.LocalDate day = today.plusDays(i);
            String name = "monitor_result_p" + DAY.format(day.atStartOfDay(java.time.ZoneOffset.UTC));
            Instant from = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            Instant to = day.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
            try {
                created += Jdbc.auto(dataSource, c -> {
                    if (exists(c, name)) {
                        return 0;
                    }
                    try (java.sql.Statement st = c.createStatement()) {
                        st.execute("CREATE TABLE IF NOT EXISTS " + name
                                + " PARTITION OF monitor_result FOR VALUES FROM ('" + from + "') TO ('" + to + "')");
                    }
                    return 1;
                });
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(MonitorStore.class)
                        .warn("Could not create partition {}: {}", name, e.toString());
            }
        }
        return created;
    }

    /**
     * Drops the daily partitions that end at or before {@code before}; one core at a time (an
     * advisory lock; a core that does not get it drops nothing this time).
     *
     * @return rows they held
     */
    long dropPartitions(Instant before) {
        return Jdbc.tx(dataSource, c -> {
            try (java.sql.Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pg_try_advisory_xact_lock(7406313)")) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    return 0L;
                }
            }
            List<String> old = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits"
                    + " JOIN pg_class parent ON parent.oid = pg_inherits.inhparent"
                    + " JOIN pg_class child ON child.oid = pg_inherits.inhrelid"
                    + " WHERE parent.relname = 'monitor_result' AND child.relname ~ '^monitor_result_p[0-9]{8}$'"
                    + " AND parent.relnamespace = current_schema()::regnamespace")) {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String name = rs.getString(1);
                        Instant end = java.time.LocalDate.parse(
                                        name.substring("monitor_result_p".length()),
                                        java.time.format.DateTimeFormatter.BASIC_ISO_DATE)
                                .plusDays(1)
                                .atStartOfDay(java.time.ZoneOffset.UTC)
                                .toInstant();
                        if (!end.isAfter(before)) {
                            old.add(name);
                        }
                    }
                }
            }
            long rows = 0;
            for (String name : old) {
                try (java.sql.Statement st = c.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + name)) {
                        rs.next();
                        rows += rs.getLong(1);
                    }
                    st.execute("DROP TABLE " + name);
                }
            }
            return rows;
        });
    }

    private static boolean exists(Connection c, String table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private static List<ProbeResult> results(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<ProbeResult> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new ProbeResult(
                        rs.getString("agent_id"),
                        Jdbc.instant(rs, "checked_at"),
                        rs.getBoolean("ok"),
                        (Integer) rs.getObject("status"),
                        (Integer) rs.getObject("latency_ms"),
                        rs.getString("error_kind"),
                        rs.getString("error"),
                        Jdbc.instant(rs, "tls_expires_at"),
                        parse(rs.getString("detail"))));
            }
            return out;
        }
    }

    private static ApiException taken(String name) {
        return new ApiException(409, "Monitor name taken", List.of(new FieldError("name", name + " is already used")));
    }

    private static void bind(PreparedStatement ps, MonitorInput in) throws SQLException {
        ps.setString(1, in.name());
        ps.setString(2, in.type());
        ps.setString(3, in.target());
        ps.setInt(4, in.intervalSeconds());
        ps.setString(5, JSON.valueToTree(in.agentIds()).toString());
        ps.setString(6, in.expect().toString());
        ps.setBoolean(7, in.followRedirects());
        ps.setInt(8, in.confirmations());
        ps.setInt(9, in.timeoutMs());
        ps.setString(10, in.options() == null ? "{}" : in.options().toString());
        ps.setObject(11, in.confirmAgents(), Types.INTEGER);
        ps.setString(12, in.serviceId());
    }

    private static Optional<StoredMonitor> one(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + COLUMNS + " FROM monitor WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    private static StoredMonitor read(ResultSet rs) throws SQLException {
        List<String> agents = new ArrayList<>();
        JsonNode a = parse(rs.getString("agent_ids"));
        if (a != null) {
            a.forEach(n -> agents.add(n.asText()));
        }
        JsonNode expect = parse(rs.getString("expect"));
        JsonNode options = parse(rs.getString("options"));
        return new StoredMonitor(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("type"),
                rs.getString("target"),
                rs.getInt("interval_seconds"),
                List.copyOf(agents),
                expect instanceof ObjectNode o ? o : JSON.createObjectNode(),
                rs.getBoolean("follow_redirects"),
                rs.getInt("confirmations"),
                rs.getInt("timeout_ms"),
                MonitorState.valueOf(rs.getString("state")),
                Jdbc.instant(rs, "state_since"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"),
                options instanceof ObjectNode o ? o : JSON.createObjectNode(),
                (Integer) rs.getObject("confirm_agents"),
                rs.getString("service_id"));
    }

    private static JsonNode parse(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    /** PostgreSQL refuses U+0000 in text and jsonb: agents' text is made storable, and cut. */
    static String storable(String s, int max) {
        if (s == null) {
            return null;
        }
        String t = s.replace("\u0000", "\uFFFD").replace("\\u0000", "\\uFFFD");
        return t.length() > max ? t.substring(0, max) : t;
    }
}
