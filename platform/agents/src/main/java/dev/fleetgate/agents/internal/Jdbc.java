package dev.fleetgate.agents.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.JsonNode;

/** Small JDBC helpers: transactions and type conversions. */
public final class Jdbc {

    /** Work on a connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private Jdbc() {
    }

    /** Runs {@code work} in one transaction; commits on success, rolls back on any failure. */
    public static <T> T tx(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    /** Runs {@code work} in auto-commit mode (reads, single statements). */
    public static <T> T auto(DataSource ds, Work<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new IllegalStateException("Database error: " + e.getMessage(), e);
        }
    }

    public static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    public static void setInstant(PreparedStatement ps, int index, Instant t) throws SQLException {
        ps.setObject(index, t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }

    public static JsonNode json(ResultSet rs, String column) throws SQLException {
        return Json.parse(rs.getString(column));
    }

    /** Binds JSON text; the SQL must cast the parameter: {@code ?::jsonb}. */
    public static void setJson(PreparedStatement ps, int index, JsonNode node) throws SQLException {
        ps.setString(index, node == null ? null : Json.write(node));
    }

    public static UUID uuid(String id) {
        return UUID.fromString(id);
    }

    /** Sends {@code payload} on the agents' channel when the transaction of {@code c} commits. */
    public static void notify(Connection c, String payload) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify('" + Notifier.CHANNEL + "', ?)")) {
            ps.setString(1, payload);
            ps.execute();
        }
    }
}
