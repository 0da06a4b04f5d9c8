package dev.fleetgate.pages.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.fleetgate.persistence.Migration;
import dev.fleetgate.persistence.internal.Migrations;
import dev.fleetgate.persistence.testing.TestDatabase;

/** The store on a real PostgreSQL: templates per scope, maintenance, forgetting a service. */
class PagesStoreIT {
    private static TestDatabase db;
    private static PagesStore store;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        try (InputStream in = PagesStoreIT.class.getClassLoader().getResourceAsStream("db/pages/V1__pages.sql")) {
            Migrations.apply(
                    db.dataSource(),
                    "pages",
                    List.of(new Migration(1, "pages", new String(in.readAllBytes(), StandardCharsets.UTF_8))));
        }
        store = new PagesStore(db.dataSource());
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    @Test
    void templatesPerScope() {
        UUID svc = UUID.randomUUID();
        store.putTemplate(PagesStore.DEFAULT_SCOPE, "502", "a");
        store.putTemplate(PagesStore.DEFAULT_SCOPE, "502", "b");
        store.putTemplate(svc.toString(), "404", "<p>{{status}}</p>");
        assertEquals("b", store.templates(PagesStore.DEFAULT_SCOPE).get("502"));
        assertEquals(Map.of("404", "<p>{{status}}</p>"), store.templates(svc.toString()));
        assertEquals("b", store.allTemplates().get(PagesStore.DEFAULT_SCOPE).get("502"));
        assertTrue(store.deleteTemplate(svc.toString(), "404"));
        assertFalse(store.deleteTemplate(svc.toString(), "404"));
        assertTrue(store.templates(svc.toString()).isEmpty());
    }

    @Test
    void maintenanceRoundTripsAndIsForgottenWithItsService() {
        UUID svc = UUID.randomUUID();
        Instant start = Instant.parse("2026-06-01T10:00:00Z");
        store.putMaintenance(new PagesStore.Maintenance(
                svc, true, "Back soon", 300, List.of("127.0.0.2", "10.0.0.0/8"), start, start.plusSeconds(3600)));
        PagesStore.Maintenance m = store.maintenance(svc).orElseThrow();
        assertTrue(m.enabled());
        assertEquals("Back soon", m.message());
        assertEquals(300, m.retryAfterSeconds());
        assertEquals(List.of("127.0.0.2", "10.0.0.0/8"), m.allow());
        assertEquals(start, m.startsAt());
        assertTrue(m.activeAt(start.plusSeconds(1)));
        assertFalse(m.activeAt(start.plusSeconds(3600)));
        store.putMaintenance(new PagesStore.Maintenance(svc, false, null, null, null, null, null));
        PagesStore.Maintenance off = store.maintenance(svc).orElseThrow();
        assertFalse(off.enabled());
        assertEquals(null, off.retryAfterSeconds());
        assertEquals(List.of(), off.allow());
        store.putTemplate(svc.toString(), "503", "x");
        store.forgetService(svc);
        assertTrue(store.maintenance(svc).isEmpty());
        assertTrue(store.templates(svc.toString()).isEmpty());
    }
}
