package dev.fleetgate.persistence.testing;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.ds.PGSimpleDataSource;

/**
 * A fresh PostgreSQL database for one test class, dropped on close.
 *
 * <p>Reads {@code FLEETGATE_TEST_PG_HOST}, {@code _PORT}, {@code _USER}, {@code _PASSWORD}
 * (set by {@code ./fleetgate test}, which starts the server). Fails, never skips, when the
 * server is not there: an integration test that did not run must not look like a pass.
 */
public final class TestDatabase implements AutoCloseable {
    private final String name;
    private final PGSimpleDataSource dataSource;

    private TestDatabase(String name) {
        this.name = name;
        this.dataSource = dataSource(name);
    }

    public static TestDatabase create() {
        String name = "fgtest_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = dataSource("postgres").getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "PostgreSQL for tests is not reachable at " + env("HOST", "127.0.0.1") + ":"
                            + env("PORT", "5432") + " as " + env("USER", "fleetgate_test")
                            + " (run the tests through ./fleetgate test, which starts it): " + e.getMessage(),
                    e);
        }
        return new TestDatabase(name);
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return dataSource.getUrl();
    }

    public static String user() {
        return env("USER", "fleetgate_test");
    }

    public static String password() {
        return env("PASSWORD", "fleetgate_test");
    }

    @Override
    public void close() {
        SQLException last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            // FORCE ends our own sessions; it refuses when another role's process is connected (an autovacuum
            // worker of the superuser, found by CI). A plain DROP makes autovacuum workers leave and waits for them.
            String force = attempt % 2 == 0 ? " WITH (FORCE)" : "";
            try (Connection c = dataSource("postgres").getConnection();
                    Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name + force);
                return;
            } catch (SQLException e) {
                last = e;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new IllegalStateException("Could not drop " + name, last);
    }

    private static PGSimpleDataSource dataSource(String db) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {env("HOST", "127.0.0.1")});
        ds.setPortNumbers(new int[] {Integer.parseInt(env("PORT", "5432"))});
        ds.setDatabaseName(db);
        ds.setUser(user());
        ds.setPassword(password());
        return ds;
    }

    private static String env(String key, String dflt) {
        String v = System.getenv("FLEETGATE_TEST_PG_" + key);
        return v == null || v.isBlank() ? dflt : v;
    }
}
