package dev.fleetgate.alerts.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.fleetgate.persistence.Jdbc;

/** A stored incident, with its rule's name and threshold. */
public record Incident(
        UUID id,
        UUID ruleId,
        String ruleName,
        String kind,
        String subject,
        String state,
        String severity,
        Double value,
        Double threshold,
        String op,
        String metric,
        String message,
        Map<String, String> labels,
        Instant openedAt,
        Instant lastSeenAt,
        Instant resolvedAt,
        Instant ackedAt,
        String ackedBy,
        boolean flapping) {

    static final String COLUMNS = "i.id, i.rule_id, r.name AS rule_name, i.kind, i.subject, i.state, i.severity,"
            + " i.value, r.threshold, r.op, r.metric, i.message, i.labels::text AS labels, i.opened_at,"
            + " i.last_seen_at, i.resolved_at, i.acked_at, i.acked_by, i.flapping";

    public Incident {
        labels = Map.copyOf(labels);
    }

    static Incident read(ResultSet rs) throws SQLException {
        return new Incident(
                rs.getObject("id", UUID.class),
                rs.getObject("rule_id", UUID.class),
                rs.getString("rule_name"),
                rs.getString("kind"),
                rs.getString("subject"),
                rs.getString("state"),
                rs.getString("severity"),
                AlertStore.getDouble(rs, "value"),
                AlertStore.getDouble(rs, "threshold"),
                rs.getString("op"),
                rs.getString("metric"),
                rs.getString("message"),
                Json.stringMap(rs.getString("labels")),
                Jdbc.instant(rs, "opened_at"),
                Jdbc.instant(rs, "last_seen_at"),
                Jdbc.instant(rs, "resolved_at"),
                Jdbc.instant(rs, "acked_at"),
                rs.getString("acked_by"),
                rs.getBoolean("flapping"));
    }

    static Optional<Incident> get(Connection c, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM incident i JOIN alert_rule r ON r.id = i.rule_id WHERE i.id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        }
    }

    /** Appends to the incident's timeline. */
    static void event(Connection c, UUID incidentId, String type, String detail) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO incident_event (incident_id, type, detail) VALUES (?, ?, ?)")) {
            ps.setObject(1, incidentId);
            ps.setString(2, type);
            ps.setString(3, detail);
            ps.executeUpdate();
        }
    }
}
