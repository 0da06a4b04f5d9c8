package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.Field;
import java.net.ServerSocket;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.rest.resources.HealthResource;

/** Health shows an unreachable database: 503 {"status":"DOWN","database":"DOWN"}. */
class HealthDownTest {

    @Test
    void unreachableDatabaseIsDown() throws Exception {
        HealthResource health = new HealthResource();
        try {
            set(health, unreachable());
            InMemoryApi.Answer a = new InMemoryApi(health).get("health", null);
            assertEquals(503, a.status(), a.body());
            JsonNode body = a.json();
            assertEquals("DOWN", body.get("status").asText());
            assertEquals("DOWN", body.get("database").asText());
            assertTrue(body.get("detail").asText().startsWith("Database unavailable"), a.body());
            assertEquals("5", a.response().getHeaderString("Retry-After"));
        } finally {
            deactivate(health);
        }
    }

    @Test
    void noDatabaseServiceIsDownToo() throws Exception {
        HealthResource health = new HealthResource();
        try {
            InMemoryApi.Answer a = new InMemoryApi(health).get("health", null);
            assertEquals(503, a.status());
            assertFalse(a.json().get("detail").asText().isEmpty());
        } finally {
            deactivate(health);
        }
    }

    private static DataSource unreachable() throws IOException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        try (ServerSocket s = new ServerSocket(0)) {
            ds.setPortNumbers(new int[] {s.getLocalPort()});
        }
        ds.setServerNames(new String[] {"127.0.0.1"});
        ds.setDatabaseName("none");
        ds.setUser("none");
        return ds;
    }

    private static void set(HealthResource health, DataSource ds) throws ReflectiveOperationException {
        Field f = HealthResource.class.getDeclaredField("dataSource");
        f.setAccessible(true);
        f.set(health, ds);
    }

    private static void deactivate(HealthResource health) throws ReflectiveOperationException {
        var m = HealthResource.class.getDeclaredMethod("deactivate");
        m.setAccessible(true);
        m.invoke(health);
    }
}
