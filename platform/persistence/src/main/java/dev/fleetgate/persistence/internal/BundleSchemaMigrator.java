package dev.fleetgate.persistence.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;

import javax.sql.DataSource;

import org.osgi.framework.Bundle;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.SchemaMigrator;

/** Reads migration files from module bundles and applies them to the shared database. */
@Component(service = SchemaMigrator.class)
public final class BundleSchemaMigrator implements SchemaMigrator {
    private static final Logger LOG = LoggerFactory.getLogger(BundleSchemaMigrator.class);

    /** How long a migration waits for the database when it cannot get a connection (core start on a busy host). */
    static final java.time.Duration CONNECT_BUDGET = java.time.Duration.ofSeconds(90);

    private final DataSource dataSource;
    private final java.time.Duration connectBudget;

    @Activate
    public BundleSchemaMigrator(@Reference(target = Database.TARGET) DataSource dataSource) {
        this(dataSource, CONNECT_BUDGET);
    }

    BundleSchemaMigrator(DataSource dataSource, java.time.Duration connectBudget) {
        this.dataSource = dataSource;
        this.connectBudget = connectBudget;
    }

    @Override
    public int migrate(String module, Bundle bundle, String folder) {
        List<Migration> found = new ArrayList<>();
        Enumeration<URL> entries = bundle.findEntries(folder, "V*.sql", false);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            String path = url.getPath();
            Migration m = Migrations.parse(path.substring(path.lastIndexOf('/') + 1), read(url));
            if (m != null) {
                found.add(m);
            }
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("No migrations in " + bundle.getSymbolicName() + "/" + folder);
        }
        return migrate(module, found);
    }

    /**
     * Applies the migrations. A connection failure (the pool's 1.5 s wait timed out, SQLSTATE class 08, or 57P03
     * "the database system is starting up") is retried, waiting 0.25 s doubling to 5 s, for {@link #CONNECT_BUDGET}:
     * a module activated while PostgreSQL is slow or briefly away (a core starting on a loaded host) would otherwise
     * stay down until the core restarts. Any other failure (a bad migration) is not retried.
     */
    @Override
    public int migrate(String module, List<Migration> migrations) {
        long deadline = System.nanoTime() + connectBudget.toNanos();
        long waitMillis = 250;
        while (true) {
            try {
                int v = Migrations.apply(dataSource, module, migrations);
                LOG.info("Schema of module {} at version {}", module, v);
                return v;
            } catch (SQLException e) {
                if (!connectionFailure(e) || System.nanoTime() + waitMillis * 1_000_000 > deadline) {
                    throw new IllegalStateException("Schema migration of " + module + " failed: " + e.getMessage(), e);
                }
                LOG.warn(
                        "Schema migration of {} cannot reach the database ({}); trying again in {} ms",
                        module,
                        e.getMessage(),
                        waitMillis);
                try {
                    Thread.sleep(waitMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("Schema migration of " + module + " interrupted", e);
                }
                waitMillis = Math.min(waitMillis * 2, 5_000);
            }
        }
    }

    static boolean connectionFailure(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException s
                    && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || s.getSQLState().equals("57P03"))) {
                return true;
            }
        }
        return false;
    }

    private static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
