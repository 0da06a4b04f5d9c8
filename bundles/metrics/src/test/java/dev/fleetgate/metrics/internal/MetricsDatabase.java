package dev.fleetgate.metrics.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * A fresh database with the metrics schema for one test class:
 * {@code @RegisterExtension static final MetricsDatabase db = new MetricsDatabase();}
 */
final class MetricsDatabase implements BeforeAllCallback, AfterAllCallback {
    private TestDatabase db;

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabase.create();
        migrate(db.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        db.close();
    }

    DataSource dataSource() {
        return db.dataSource();
    }

    /** Empties the data tables (partitions stay). */
    void truncate() {
        exec("TRUNCATE metric_sample, metric_rollup_1m, metric_rollup_1h, metric_rollup_state, metric_rollup_pending,"
                + " metric_scrape, metric_series RESTART IDENTITY");
    }

    void exec(String sql) {
        try (Connection c = dataSource().getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    long count(String sql, Object... params) {
        try (Connection c = dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static void migrate(DataSource ds) {
        try (InputStream in = MetricsDatabase.class.getClassLoader().getResourceAsStream("db/metrics/V1__metrics.sql");
                Connection c = ds.getConnection();
                Statement s = c.createStatement()) {
            s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
