package dev.fleetgate.agents.internal;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * A fresh database with the agents schema for one test class:
 * {@code @RegisterExtension static final MigratedDatabase db = new MigratedDatabase();}
 */
final class MigratedDatabase implements BeforeAllCallback, AfterAllCallback {
    private TestDatabase db;

    @Override
    public void beforeAll(ExtensionContext context) {
        db = TestDatabase.create();
        Core.migrate(db.dataSource());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        db.close();
    }

    DataSource dataSource() {
        return db.dataSource();
    }
}
