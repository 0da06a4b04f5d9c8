package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.dns.DnsException;
import dev.fleetgate.dns.DnsProvider;
import dev.fleetgate.dns.DnsRecord;
import dev.fleetgate.dns.DnsZone;
import dev.fleetgate.dns.RecordChange;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.persistence.testing.TestDatabase;

/** Zone CRUD on a real PostgreSQL: conflicts, write-only secret, events. */
class ZoneServiceIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Xa3us1bYTyJu/4Vc6GqvqKr1axa1JK6/64MYJZBtttw=";
    private static TestDatabase db;
    private static ZoneService service;
    private static ZoneStore store;
    private static final Fixtures.Events EVENTS = new Fixtures.Events();

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.create();
        Fixtures.migrate(db.dataSource());
        store = new ZoneStore(db.dataSource());
        Providers providers = new Providers();
        providers.add(
                new DnsProvider() {
                    @Override
                    public void apply(DnsZone zone, List<RecordChange> changes) {}

                    @Override
                    public List<DnsRecord> lookup(DnsZone zone, String name, RecordType type) throws DnsException {
                        return List.of();
                    }
                },
                "rfc2136");
        service = new ZoneService(store, providers, Fixtures.secretBox(), EVENTS);
    }

    @AfterAll
    static void stop() {
        db.close();
    }

    private static ObjectNode body(String zone) {
        ObjectNode b = JSON.createObjectNode();
        b.put("zone", zone);
        b.put("server", "127.0.0.1");
        b.put("tsigKeyName", "fleetgate");
        b.put("tsigSecret", SECRET);
        return b;
    }

    private static String sealed(UUID id) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT tsig_secret FROM dns_zone WHERE id = ?")) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getString(1);
            }
        }
    }

    @Test
    void duplicateZoneIs409() {
        service.create(body("dup.test"));
        ApiException e = assertThrows(ApiException.class, () -> service.create(body("DUP.test.")));
        assertEquals(409, e.status());
        assertEquals("zone", e.errors().get(0).field());
    }

    @Test
    void invalidBodyIs400WithFields() {
        ObjectNode b = body("bad zone");
        b.put("port", 70000);
        ApiException e = assertThrows(ApiException.class, () -> service.create(b));
        assertEquals(400, e.status());
        assertEquals(
                List.of("zone", "port"), e.errors().stream().map(f -> f.field()).toList());
    }

    @Test
    void secretIsWriteOnlyAndKeptWhenOmitted() throws Exception {
        StoredZone z = service.create(body("keep.test"));
        String first = sealed(z.id());
        assertTrue(first.startsWith("v1:") && !first.contains(SECRET));
        int before = EVENTS.posted.size();

        ObjectNode put = body("keep.test");
        put.remove("tsigSecret");
        put.put("ttl", 120);
        StoredZone updated = service.update(z.id(), put);
        assertEquals(120, updated.ttl());
        assertTrue(updated.tsigSecretSet());
        assertEquals(first, sealed(z.id()), "an omitted secret is kept");
        assertEquals(ZoneService.TOPIC_ZONE_CHANGED, EVENTS.posted.get(before).getTopic());

        StoredZone resealed = service.update(z.id(), body("keep.test"));
        assertNotEquals(first, sealed(resealed.id()), "a given secret is sealed anew");

        ObjectNode unsigned = body("keep.test");
        unsigned.remove("tsigSecret");
        unsigned.remove("tsigKeyName");
        StoredZone u = service.update(z.id(), unsigned);
        assertFalse(u.tsigSecretSet());
        assertEquals(null, sealed(z.id()));
    }

    @Test
    void unknownZoneIs404() {
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> service.get(UUID.randomUUID()))
                        .status());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> service.update(UUID.randomUUID(), body("x.test")))
                        .status());
    }
}
