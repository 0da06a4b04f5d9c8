package dev.fleetgate.rest.internal;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

/**
 * Asks the database {@code SELECT 1} with a time limit. Concurrent checks share one query,
 * so a hanging database cannot pile up threads.
 */
public final class DatabaseProbe {
    private final Executor executor;
    private final Duration timeout;
    private CompletableFuture<Void> running;

    public DatabaseProbe(Executor executor, Duration timeout) {
        this.executor = executor;
        this.timeout = timeout;
    }

    /** @return null when the database answered, else why not */
    public String check(DataSource dataSource) {
        if (dataSource == null) {
            return "No database configured (jdbc/fleetgate)";
        }
        CompletableFuture<Void> f = start(dataSource);
        try {
            f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (TimeoutException e) {
            return "Database did not answer within " + timeout.toSeconds() + " s";
        } catch (ExecutionException e) {
            return "Database unavailable: " + e.getCause().getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Interrupted";
        }
    }

    private synchronized CompletableFuture<Void> start(DataSource dataSource) {
        if (running == null || running.isDone()) {
            running = CompletableFuture.runAsync(
                    () -> query(dataSource, (int) Math.max(1, timeout.toSeconds())), executor);
        }
        return running;
    }

    private static void query(DataSource dataSource, int seconds) {
        try (Connection c = dataSource.getConnection();
                Statement s = c.createStatement()) {
            s.setQueryTimeout(seconds);
            try (ResultSet rs = s.executeQuery("SELECT 1")) {
                rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
