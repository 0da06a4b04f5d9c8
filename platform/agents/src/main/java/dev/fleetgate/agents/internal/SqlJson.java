package dev.fleetgate.agents.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import com.fasterxml.jackson.databind.JsonNode;

/** The agents bundle's JDBC helpers beyond {@link dev.fleetgate.persistence.Jdbc}: JSONB and NOTIFY. */
public final class SqlJson {

    private SqlJson() {}

    public static JsonNode json(ResultSet rs, String column) throws SQLException {
        return Json.parse(rs.getString(column));
    }

    /** Binds JSON text; the SQL must cast the parameter: {@code ?::jsonb}. */
    public static void setJson(PreparedStatement ps, int index, JsonNode node) throws SQLException {
        ps.setString(index, node == null ? null : Json.write(node));
    }

    /** Sends {@code payload} on the agents' channel when the transaction of {@code c} commits. */
    public static void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + Notifier.CHANNEL + "', ?)")) {
            ps.setString(1, payload);
            ps.execute();
        }
    }

    /** Sends a task id on the tasks' channel when the transaction of {@code c} commits. */
    public static void notifyTask(Connection c, String taskId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + Notifier.TASK_CHANNEL + "', ?)")) {
            ps.setString(1, taskId);
            ps.execute();
        }
    }
}
