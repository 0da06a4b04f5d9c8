package dev.fleetgate.persistence.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import dev.fleetgate.persistence.Migration;

/** The migration algorithm, free of OSGi so it can be tested against a plain PostgreSQL. */
public final class Migrations {
    private static final Pattern FILE = Pattern.compile("V(\\d+)__([A-Za-z0-9_\\-]+)\\.sql");
    private static final String HISTORY = """
            CREATE TABLE IF NOT EXISTS fleetgate_schema_history (
              module      text        NOT NULL,
              version     integer     NOT NULL,
              description text        NOT NULL,
              checksum    text        NOT NULL,
              applied_at  timestamptz NOT NULL DEFAULT now(),
              PRIMARY KEY (module, version))""";

    private Migrations() {}

    /** Parses a file name; null when it is not a migration file. */
    public static Migration parse(String fileName, String sql) {
        Matcher m = FILE.matcher(fileName);
        if (!m.matches()) {
            return null;
        }
        return new Migration(Integer.parseInt(m.group(1)), m.group(2).replace('_', ' '), sql);
    }

    /** Applies what is missing and returns the resulting version. */
    public static int apply(DataSource dataSource, String module, List<Migration> migrations) throws SQLException {
        List<Migration> sorted = new ArrayList<>(migrations);
        sorted.sort(Comparator.comparingInt(Migration::version));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).version() == sorted.get(i - 1).version()) {
                throw new IllegalArgumentException(module + ": two migrations with version "
                        + sorted.get(i).version());
            }
        }
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                // Serialise migrators of all cores; the lock ends with the transaction.
                s.execute("SELECT pg_advisory_xact_lock(7406150)");
                s.execute(HISTORY);
            }
            Map<Integer, String> applied = new HashMap<>();
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT version, checksum FROM fleetgate_schema_history WHERE module = ?")) {
                ps.setString(1, module);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        applied.put(rs.getInt(1), rs.getString(2));
                    }
                }
            }
            int version =
                    applied.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
            for (Migration m : sorted) {
                String sum = checksum(m.sql());
                String known = applied.get(m.version());
                if (known != null) {
                    if (!known.equals(sum)) {
                        c.rollback();
                        throw new IllegalStateException(module + " migration V" + m.version()
                                + " was changed after it was applied; add a new migration instead");
                    }
                    continue;
                }
                try (Statement s = c.createStatement()) {
                    s.execute(m.sql());
                } catch (SQLException e) {
                    c.rollback();
                    throw new SQLException(
                            module + " migration V" + m.version() + " (" + m.description() + ") failed: "
                                    + e.getMessage(),
                            e.getSQLState(),
                            e);
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO fleetgate_schema_history(module, version, description, checksum) VALUES (?,?,?,?)")) {
                    ps.setString(1, module);
                    ps.setInt(2, m.version());
                    ps.setString(3, m.description());
                    ps.setString(4, sum);
                    ps.executeUpdate();
                }
                version = Math.max(version, m.version());
            }
            c.commit();
            return version;
        }
    }

    static String checksum(String sql) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(sql.strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
