package dev.fleetgate.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A PostgreSQL database made for one benchmark run and dropped after it, on the server the tests use
 * ({@code FLEETGATE_TEST_PG_HOST/PORT/USER/PASSWORD}, default 127.0.0.1:5432, fleetgate_test).
 */
final class ScratchDatabase implements AutoCloseable {
    final String name =
            "fgbench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    final String user = env("USER", "fleetgate_test");
    final String password = env("PASSWORD", "fleetgate_test");
    private final String server = "jdbc:postgresql://" + env("HOST", "127.0.0.1") + ":" + env("PORT", "5432") + "/";

    ScratchDatabase() throws SQLException {
        admin("CREATE DATABASE " + name);
    }

    String url() {
        return server + name;
    }

    @Override
    public void close() throws SQLException {
        admin("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private void admin(String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(server + "postgres", user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String env(String key, String dflt) {
        String v = System.getenv("FLEETGATE_TEST_PG_" + key);
        return v == null || v.isBlank() ? dflt : v;
    }
}
