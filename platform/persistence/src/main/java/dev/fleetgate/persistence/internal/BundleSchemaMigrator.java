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

    private final DataSource dataSource;

    @Activate
    public BundleSchemaMigrator(@Reference(target = Database.TARGET) DataSource dataSource) {
        this.dataSource = dataSource;
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

    @Override
    public int migrate(String module, List<Migration> migrations) {
        try {
            int v = Migrations.apply(dataSource, module, migrations);
            LOG.info("Schema of module {} at version {}", module, v);
            return v;
        } catch (SQLException e) {
            throw new IllegalStateException("Schema migration of " + module + " failed: " + e.getMessage(), e);
        }
    }

    private static String read(URL url) {
        try (InputStream in = url.openStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
