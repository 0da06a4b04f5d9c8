package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.security.SecretBox;
import dev.fleetgate.security.internal.AesGcmSecretBox;

/** Setup shared by the alerts tests: the metrics module's schema and this module's. */
final class Fixtures {
    private Fixtures() {}

    static void migrate(DataSource ds) throws Exception {
        Migrations.apply(ds, "metrics", List.of(new Migration(1, "metrics", resource("db/metrics/V1__metrics.sql"))));
        try (Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            // the metrics module creates day partitions at run time; one default partition will do here
            s.execute("CREATE TABLE metric_sample_default PARTITION OF metric_sample DEFAULT");
        }
        Migrations.apply(
                ds,
                "alerts",
                List.of(
                        new Migration(1, "alerts", resource("db/alerts/V1__alerts.sql")),
                        new Migration(2, "default_rules", resource("db/alerts/V2__default_rules.sql")),
                        new Migration(3, "event_rules", resource("db/alerts/V3__event_rules.sql")),
                        new Migration(4, "monitor_down_rule", resource("db/alerts/V4__monitor_down_rule.sql")),
                        new Migration(5, "service_5xx_rule", resource("db/alerts/V5__service_5xx_rule.sql")),
                        new Migration(6, "event_pending", resource("db/alerts/V6__event_pending.sql")),
                        new Migration(
                                7, "monitor_down_templates", resource("db/alerts/V7__monitor_down_templates.sql")),
                        new Migration(8, "scaling_rules", resource("db/alerts/V8__scaling_rules.sql"))));
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static SecretBox secretBox() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return new AesGcmSecretBox(key);
    }

    /** @return the series id of (name, labels), created when new */
    static long series(DataSource ds, String name, Map<String, String> labels) throws Exception {
        try (Connection c = ds.getConnection()) {
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO metric_series (name, labels) VALUES (?, ?::jsonb)"
                            + " ON CONFLICT (name, labels) DO NOTHING")) {
                ps.setString(1, name);
                ps.setString(2, Json.write(new java.util.TreeMap<>(labels)));
                ps.executeUpdate();
            }
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT id FROM metric_series WHERE name = ? AND labels = ?::jsonb")) {
                ps.setString(1, name);
                ps.setString(2, Json.write(new java.util.TreeMap<>(labels)));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        }
    }

    /** Stores samples as the metrics module does (no unique index: a replay is stored twice). */
    static void samples(DataSource ds, long series, Instant start, int stepSeconds, double... values) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement("INSERT INTO metric_sample (ts, series_id, value) VALUES (?, ?, ?)")) {
            for (int i = 0; i < values.length; i++) {
                dev.fleetgate.persistence.Jdbc.setInstant(ps, 1, start.plusSeconds((long) i * stepSeconds));
                ps.setLong(2, series);
                ps.setDouble(3, values[i]);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    static long count(DataSource ds, String sql, Object... args) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static void exec(DataSource ds, String sql, Object... args) throws Exception {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
