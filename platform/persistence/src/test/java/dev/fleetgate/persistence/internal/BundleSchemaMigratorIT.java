package dev.fleetgate.persistence.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * A module activated while the pool cannot hand out a connection (a core starting on a loaded host: the pool's
 * 1.5 s wait times out) waits for the database instead of failing for good; a bad migration still fails at once.
 */
class BundleSchemaMigratorIT {
    private static TestDatabase db;

    @BeforeAll
    static void start() {
        db = TestDatabase.create();
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    /** Refuses the first {@code failures} connections as HikariCP does when its wait times out. */
    private static DataSource flaky(DataSource real, int failures, AtomicInteger asked) {
        return new DataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                if (asked.incrementAndGet() <= failures) {
                    throw new SQLTransientConnectionException(
                            "HikariPool-1 - Connection is not available, request timed out after 1500ms.");
                }
                return real.getConnection();
            }

            @Override
            public Connection getConnection(String user, String password) throws SQLException {
                return getConnection();
            }

            @Override
            public PrintWriter getLogWriter() {
                return null;
            }

            @Override
            public void setLogWriter(PrintWriter out) {}

            @Override
            public void setLoginTimeout(int seconds) {}

            @Override
            public int getLoginTimeout() {
                return 0;
            }

            @Override
            public Logger getParentLogger() {
                return Logger.getGlobal();
            }

            @Override
            public <T> T unwrap(Class<T> iface) throws SQLException {
                throw new SQLException("not a wrapper");
            }

            @Override
            public boolean isWrapperFor(Class<?> iface) {
                return false;
            }
        };
    }

    @Test
    void aConnectionTimeoutAtActivationIsWaitedOut() {
        AtomicInteger asked = new AtomicInteger();
        BundleSchemaMigrator m = new BundleSchemaMigrator(flaky(db.dataSource(), 3, asked), Duration.ofSeconds(30));
        assertEquals(1, m.migrate("flaky", List.of(new Migration(1, "create", "CREATE TABLE flaky_t (id int)"))));
        assertTrue(asked.get() > 3, "asked again after the timeouts: " + asked.get());
    }

    @Test
    void theWaitIsBoundedAndABadMigrationIsNotRetried() {
        AtomicInteger asked = new AtomicInteger();
        BundleSchemaMigrator down =
                new BundleSchemaMigrator(flaky(db.dataSource(), Integer.MAX_VALUE, asked), Duration.ofSeconds(1));
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> down.migrate("down", List.of(new Migration(1, "create", "CREATE TABLE down_t (id int)"))));
        assertTrue(e.getMessage().contains("Connection is not available"), e.getMessage());

        AtomicInteger once = new AtomicInteger();
        BundleSchemaMigrator bad = new BundleSchemaMigrator(flaky(db.dataSource(), 0, once), Duration.ofSeconds(30));
        assertThrows(
                IllegalStateException.class,
                () -> bad.migrate("bad", List.of(new Migration(1, "bad", "CREATE TABLE broken ("))));
        assertEquals(1, once.get(), "a syntax error is not a connection failure");
    }
}
