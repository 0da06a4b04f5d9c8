package dev.fleetgate.alerts.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * Rules, channels, silences, templates and incident reads in PostgreSQL (plain JDBC). Owns the
 * module's schema.
 */
@Component(service = AlertStore.class)
public final class AlertStore {
    static final String RULE_COLUMNS = "id, name, kind, enabled, severity, metric, labels::text AS labels, aggregate,"
            + " window_seconds, op, threshold, clear_threshold, for_seconds, clear_for_seconds, event_kind,"
            + " repeat_interval_seconds, channel_ids, builtin, created_at, updated_at";
    private static final String CHANNEL_COLUMNS = "id, name, type, settings::text AS settings,"
            + " secrets::text AS secrets, rate_per_minute, enabled, blocked_until, created_at, updated_at";

    private final DataSource dataSource;

    @Activate
    public AlertStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context) {
        this.dataSource = dataSource;
        migrator.migrate("alerts", context.getBundle(), "db/alerts");
    }

    private AlertStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** For tests: the schema must exist. */
    public static AlertStore of(DataSource dataSource) {
        return new AlertStore(dataSource);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    // ---- rules

    public List<Rule> rules() {
        return Jdbc.auto(dataSource, c -> rules(c, "TRUE"));
    }

    static List<Rule> rules(Connection c, String where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                        "SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE " + where + " ORDER BY name");
                ResultSet rs = ps.executeQuery()) {
            List<Rule> out = new ArrayList<>();
            while (rs.next()) {
                out.add(readRule(rs));
            }
            return out;
        }
    }

    public Optional<Rule> rule(UUID id) {
        return Jdbc.auto(dataSource, c -> rule(c, id));
    }

    static Optional<Rule> rule(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + RULE_COLUMNS + " FROM alert_rule WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readRule(rs)) : Optional.empty();
            }
        }
    }

    /** @throws ApiException 409 when the name is taken, 400 when a channel does not exist */
    public Rule createRule(Rule in) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            checkChannels(c, in.channelIds());
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO alert_rule (name, kind, enabled, severity,"
                            + " metric, labels, aggregate, window_seconds, op, threshold, clear_threshold, for_seconds,"
                            + " clear_for_seconds, event_kind, repeat_interval_seconds, channel_ids, id)"
                            + " VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING")) {
                bindRule(c, ps, in);
                ps.setObject(17, id);
                if (ps.executeUpdate() == 0) {
                    throw nameTaken("Rule", in.name());
                }
            }
            return rule(c, id).orElseThrow();
        });
    }

    /** @throws ApiException 404, 409, 400 */
    public Rule updateRule(UUID id, Rule in) {
        return Jdbc.tx(dataSource, c -> {
            checkChannels(c, in.channelIds());
            Rule old = rule(c, id).orElseThrow(() -> ApiException.notFound("Rule " + id));
            if (!old.name().equals(in.name()) && exists(c, "alert_rule", in.name())) {
                throw nameTaken("Rule", in.name());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE alert_rule SET name = ?, kind = ?, enabled = ?,"
                    + " severity = ?, metric = ?, labels = ?::jsonb, aggregate = ?, window_seconds = ?, op = ?,"
                    + " threshold = ?, clear_threshold = ?, for_seconds = ?, clear_for_seconds = ?, event_kind = ?,"
                    + " repeat_interval_seconds = ?, channel_ids = ?, updated_at = now() WHERE id = ?")) {
                bindRule(c, ps, in);
                ps.setObject(17, id);
                ps.executeUpdate();
            }
            if (!in.enabled()
                    || !old.kind().equals(in.kind())
                    || !java.util.Objects.equals(old.metric(), in.metric())
                    || !old.labels().equals(in.labels())
                    || !old.aggregate().equals(in.aggregate())
                    || old.windowSeconds() != in.windowSeconds()
                    || !java.util.Objects.equals(old.eventKind(), in.eventKind())) {
                // disabled, or another set of series or values: start over; its open incidents would never
                // see their clear sample, so they are closed here (without a message)
                for (String table : List.of("alert_series_state", "alert_event_pending")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE rule_id = ?")) {
                        ps.setObject(1, id);
                        ps.executeUpdate();
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("WITH r AS (UPDATE incident SET state = 'RESOLVED',"
                        + " resolved_at = now() WHERE rule_id = ? AND state = 'OPEN' RETURNING id)"
                        + " INSERT INTO incident_event (incident_id, type, detail)"
                        + " SELECT id, 'resolved', 'the rule changed' FROM r")) {
                    ps.setObject(1, id);
                    ps.executeUpdate();
                }
            }
            return rule(c, id).orElseThrow();
        });
    }

    public boolean deleteRule(UUID id) {
        return Jdbc.auto(dataSource, c -> delete(c, "alert_rule", id));
    }

    private static void bindRule(Connection c, PreparedStatement ps, Rule in) throws SQLException {
        ps.setString(1, in.name());
        ps.setString(2, in.kind());
        ps.setBoolean(3, in.enabled());
        ps.setString(4, in.severity());
        ps.setString(5, in.metric());
        ps.setString(6, Json.write(in.labels()));
        ps.setString(7, in.aggregate());
        ps.setInt(8, in.windowSeconds());
        ps.setString(9, in.op());
        setDouble(ps, 10, in.threshold());
        setDouble(ps, 11, in.clearThreshold());
        ps.setInt(12, in.forSeconds());
        ps.setInt(13, in.clearForSeconds());
        ps.setString(14, in.eventKind());
        ps.setInt(15, in.repeatIntervalSeconds());
        ps.setArray(16, c.createArrayOf("uuid", in.channelIds().toArray()));
    }

    private static void checkChannels(Connection c, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        List<UUID> known = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM alert_channel WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            if (!known.contains(ids.get(i))) {
                errors.add(new FieldError("channelIds[" + i + "]", "no such channel"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    static Rule readRule(ResultSet rs) throws SQLException {
        List<UUID> channels = new ArrayList<>();
        Array a = rs.getArray("channel_ids");
        if (a != null) {
            for (Object o : (Object[]) a.getArray()) {
                channels.add((UUID) o);
            }
        }
        return new Rule(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("kind"),
                rs.getBoolean("enabled"),
                rs.getString("severity"),
                rs.getString("metric"),
                Json.stringMap(rs.getString("labels")),
                rs.getString("aggregate"),
                rs.getInt("window_seconds"),
                rs.getString("op"),
                getDouble(rs, "threshold"),
                getDouble(rs, "clear_threshold"),
                rs.getInt("for_seconds"),
                rs.getInt("clear_for_seconds"),
                rs.getString("event_kind"),
                rs.getInt("repeat_interval_seconds"),
                channels,
                rs.getBoolean("builtin"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    // ---- channels

    public List<StoredChannel> channels() {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                            c.prepareStatement("SELECT " + CHANNEL_COLUMNS + " FROM alert_channel ORDER BY name");
                    ResultSet rs = ps.executeQuery()) {
                List<StoredChannel> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(readChannel(rs));
                }
                return out;
            }
        });
    }

    public Optional<StoredChannel> channel(UUID id) {
        return Jdbc.auto(dataSource, c -> channel(c, id, false));
    }

    static Optional<StoredChannel> channel(Connection c, UUID id, boolean lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + CHANNEL_COLUMNS + " FROM alert_channel WHERE id = ?" + (lock ? " FOR UPDATE" : ""))) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(readChannel(rs)) : Optional.empty();
            }
        }
    }

    /** @throws ApiException 409 when the name is taken */
    public StoredChannel createChannel(
            String name,
            String type,
            ObjectNode settings,
            Map<String, String> sealed,
            int ratePerMinute,
            boolean enabled) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_channel (id, name, type, settings,"
                    + " secrets, rate_per_minute, enabled) VALUES (?, ?, ?, ?::jsonb, ?::jsonb, ?, ?)"
                    + " ON CONFLICT (name) DO NOTHING")) {
                ps.setObject(1, id);
                ps.setString(2, name);
                ps.setString(3, type);
                ps.setString(4, Json.write(settings));
                ps.setString(5, Json.write(sealed));
                ps.setInt(6, ratePerMinute);
                ps.setBoolean(7, enabled);
                if (ps.executeUpdate() == 0) {
                    throw nameTaken("Channel", name);
                }
            }
            return channel(c, id, false).orElseThrow();
        });
    }

    /** @throws ApiException 404, 409 */
    public StoredChannel updateChannel(
            UUID id, String name, ObjectNode settings, Map<String, String> sealed, int ratePerMinute, boolean enabled) {
        return Jdbc.tx(dataSource, c -> {
            StoredChannel old = channel(c, id, true).orElseThrow(() -> ApiException.notFound("Channel " + id));
            if (!old.name().equals(name) && exists(c, "alert_channel", name)) {
                throw nameTaken("Channel", name);
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE alert_channel SET name = ?, settings = ?::jsonb,"
                    + " secrets = ?::jsonb, rate_per_minute = ?, enabled = ?, updated_at = now() WHERE id = ?")) {
                ps.setString(1, name);
                ps.setString(2, Json.write(settings));
                ps.setString(3, Json.write(sealed));
                ps.setInt(4, ratePerMinute);
                ps.setBoolean(5, enabled);
                ps.setObject(6, id);
                ps.executeUpdate();
            }
            return channel(c, id, false).orElseThrow();
        });
    }

    public boolean deleteChannel(UUID id) {
        return Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE alert_rule SET channel_ids = array_remove(channel_ids, ?) WHERE ? = ANY(channel_ids)")) {
                ps.setObject(1, id);
                ps.setObject(2, id);
                ps.executeUpdate();
            }
            return delete(c, "alert_channel", id);
        });
    }

    static StoredChannel readChannel(ResultSet rs) throws SQLException {
        return new StoredChannel(
                rs.getObject("id", UUID.class),
                rs.getString("name"),
                rs.getString("type"),
                Json.parseObject(rs.getString("settings")),
                Json.stringMap(rs.getString("secrets")),
                rs.getInt("rate_per_minute"),
                rs.getBoolean("enabled"),
                Jdbc.instant(rs, "blocked_until"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    // ---- silences

    public List<Silence> silences(boolean activeOnly) {
        return Jdbc.auto(dataSource, c -> silences(c, activeOnly));
    }

    static List<Silence> silences(Connection c, boolean activeOnly) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT id, rule_id, subject, until, comment, created_by,"
                        + " created_at FROM alert_silence" + (activeOnly ? " WHERE until > now()" : "")
                        + " ORDER BY until DESC, id");
                ResultSet rs = ps.executeQuery()) {
            List<Silence> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Silence(
                        rs.getObject("id", UUID.class),
                        rs.getObject("rule_id", UUID.class),
                        rs.getString("subject"),
                        Jdbc.instant(rs, "until"),
                        rs.getString("comment"),
                        rs.getString("created_by"),
                        Jdbc.instant(rs, "created_at")));
            }
            return out;
        }
    }

    /** @throws ApiException 400 when the rule does not exist */
    public Silence createSilence(Silence in) {
        UUID id = UUID.randomUUID();
        return Jdbc.tx(dataSource, c -> {
            if (in.ruleId() != null && rule(c, in.ruleId()).isEmpty()) {
                throw ApiException.invalid("ruleId", "no such rule");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_silence (id, rule_id, subject, until,"
                    + " comment, created_by) VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, id);
                ps.setObject(2, in.ruleId());
                ps.setString(3, in.subject());
                Jdbc.setInstant(ps, 4, in.until());
                ps.setString(5, in.comment());
                ps.setString(6, in.createdBy());
                ps.executeUpdate();
            }
            return silences(c, false).stream()
                    .filter(s -> s.id().equals(id))
                    .findFirst()
                    .orElseThrow();
        });
    }

    public boolean deleteSilence(UUID id) {
        return Jdbc.auto(dataSource, c -> delete(c, "alert_silence", id));
    }

    // ---- templates

    /** @return (kind, channel type, event) → body of the stored overrides */
    public Map<List<String>, String> templates() {
        return Jdbc.auto(dataSource, c -> {
            Map<List<String>, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT kind, channel_type, event, body FROM alert_template"
                            + " ORDER BY kind, channel_type, event");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(List.of(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getString(4));
                }
            }
            return out;
        });
    }

    public void putTemplate(String kind, String channelType, String event, String body) {
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO alert_template (kind, channel_type, event, body)"
                            + " VALUES (?, ?, ?, ?) ON CONFLICT (kind, channel_type, event)"
                            + " DO UPDATE SET body = EXCLUDED.body, updated_at = now()")) {
                ps.setString(1, kind);
                ps.setString(2, channelType);
                ps.setString(3, event);
                ps.setString(4, body);
                return ps.executeUpdate();
            }
        });
    }

    public boolean deleteTemplate(String kind, String channelType, String event) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM alert_template WHERE kind = ? AND channel_type = ? AND event = ?")) {
                ps.setString(1, kind);
                ps.setString(2, channelType);
                ps.setString(3, event);
                return ps.executeUpdate() > 0;
            }
        });
    }

    // ---- incidents

    /** Filters of the incident list; null = any. */
    public record IncidentFilter(String state, String severity, String subject, UUID ruleId, int limit) {}

    public List<Incident> incidents(IncidentFilter f) {
        StringBuilder sql = new StringBuilder("SELECT " + Incident.COLUMNS + " FROM incident i JOIN alert_rule r"
                + " ON r.id = i.rule_id WHERE TRUE");
        List<Object> args = new ArrayList<>();
        if (f.state() != null) {
            sql.append(" AND i.state = ?");
            args.add(f.state());
        }
        if (f.severity() != null) {
            sql.append(" AND i.severity = ?");
            args.add(f.severity());
        }
        if (f.subject() != null) {
            sql.append(" AND strpos(lower(i.subject), lower(?)) > 0");
            args.add(f.subject());
        }
        if (f.ruleId() != null) {
            sql.append(" AND i.rule_id = ?");
            args.add(f.ruleId());
        }
        sql.append(" ORDER BY i.opened_at DESC, i.id LIMIT ?");
        args.add(f.limit());
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    List<Incident> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(Incident.read(rs));
                    }
                    return out;
                }
            }
        });
    }

    public Optional<Incident> incident(UUID id) {
        return Jdbc.auto(dataSource, c -> Incident.get(c, id));
    }

    /** One entry of an incident's timeline. */
    public record TimelineEntry(java.time.Instant at, String type, String detail) {}

    public List<TimelineEntry> timeline(UUID incidentId) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT at, type, detail FROM incident_event WHERE incident_id = ? ORDER BY id")) {
                ps.setObject(1, incidentId);
                try (ResultSet rs = ps.executeQuery()) {
                    List<TimelineEntry> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new TimelineEntry(
                                Jdbc.instant(rs, "at"), rs.getString("type"), rs.getString("detail")));
                    }
                    return out;
                }
            }
        });
    }

    /** One row of the delivery log. */
    public record DeliveryRow(
            long id,
            UUID incidentId,
            UUID channelId,
            String channelName,
            String event,
            String state,
            int attempts,
            java.time.Instant createdAt,
            java.time.Instant sentAt,
            java.time.Instant nextAttemptAt,
            String lastError) {}

    public List<DeliveryRow> deliveries(UUID incidentId, UUID channelId, int limit) {
        return Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT d.id, d.incident_id, d.channel_id, ch.name, d.event,"
                    + " d.state, d.attempts, d.created_at, d.sent_at, d.next_attempt_at, d.last_error"
                    + " FROM alert_delivery d JOIN alert_channel ch ON ch.id = d.channel_id"
                    + " WHERE (?::uuid IS NULL OR d.incident_id = ?) AND (?::uuid IS NULL OR d.channel_id = ?)"
                    + " ORDER BY d.id DESC LIMIT ?")) {
                ps.setObject(1, incidentId, Types.OTHER);
                ps.setObject(2, incidentId, Types.OTHER);
                ps.setObject(3, channelId, Types.OTHER);
                ps.setObject(4, channelId, Types.OTHER);
                ps.setInt(5, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    List<DeliveryRow> out = new ArrayList<>();
                    while (rs.next()) {
                        out.add(new DeliveryRow(
                                rs.getLong(1),
                                rs.getObject(2, UUID.class),
                                rs.getObject(3, UUID.class),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getInt(7),
                                Jdbc.instant(rs, "created_at"),
                                Jdbc.instant(rs, "sent_at"),
                                Jdbc.instant(rs, "next_attempt_at"),
                                rs.getString(11)));
                    }
                    return out;
                }
            }
        });
    }

    /**
     * Acknowledges an open incident: no more repeats.
     *
     * @throws ApiException 404 when unknown, 409 when resolved
     */
    public Incident ack(UUID id, String user) {
        return Jdbc.tx(dataSource, c -> {
            Incident i = Incident.get(c, id).orElseThrow(() -> ApiException.notFound("Incident " + id));
            if (!"OPEN".equals(i.state())) {
                throw ApiException.conflict("The incident is resolved");
            }
            if (i.ackedAt() == null) {
                try (PreparedStatement ps =
                        c.prepareStatement("UPDATE incident SET acked_at = now(), acked_by = ? WHERE id = ?")) {
                    ps.setString(1, user);
                    ps.setObject(2, id);
                    ps.executeUpdate();
                }
                Incident.event(c, id, "acknowledged", "by " + user);
            }
            return Incident.get(c, id).orElseThrow();
        });
    }

    /** @return counts by state and severity of the open incidents, for the overview */
    public Map<String, Integer> openCounts() {
        return Jdbc.auto(dataSource, c -> {
            Map<String, Integer> out = new HashMap<>();
            try (PreparedStatement ps = c.prepareStatement(
                            "SELECT severity, count(*) FROM incident WHERE state = 'OPEN' GROUP BY severity");
                    ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
            return out;
        });
    }

    // ---- helpers

    private static boolean exists(Connection c, String table, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + table + " WHERE name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean delete(Connection c, String table, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    private static ApiException nameTaken(String what, String name) {
        return new ApiException(
                409, what + " name already used", List.of(new FieldError("name", "\"" + name + "\" is already used")));
    }

    static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    static Double getDouble(ResultSet rs, String column) throws SQLException {
        double v = rs.getDouble(column);
        return rs.wasNull() ? null : v;
    }
}
