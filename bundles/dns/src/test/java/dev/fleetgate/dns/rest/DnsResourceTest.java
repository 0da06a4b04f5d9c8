package dev.fleetgate.dns.rest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.annotation.security.RolesAllowed;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.Roles;
import dev.fleetgate.dns.RecordType;
import dev.fleetgate.dns.internal.RecordPlanner;
import dev.fleetgate.dns.internal.StoredZone;
import dev.fleetgate.dns.internal.TrackedRecord;

class DnsResourceTest {
    private static final UUID ID = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");

    @ParameterizedTest
    @ValueSource(
            strings = {"", "abc", "123e4567-e89b-12d3-a456-42661417400", "../etc", "123e4567e89b12d3a456426614174000"})
    void malformedIdsAre400(String id) {
        ApiException e = assertThrows(ApiException.class, () -> DnsResource.id(id));
        assertEquals(400, e.status());
        assertEquals("id", e.errors().get(0).field());
    }

    @Test
    void zoneWritesAreForAdminsOnly() throws Exception {
        for (String name : List.of("createZone", "updateZone", "deleteZone")) {
            Method m = List.of(DnsResource.class.getMethods()).stream()
                    .filter(x -> x.getName().equals(name))
                    .findFirst()
                    .orElseThrow();
            assertArrayEquals(
                    new String[] {Roles.ADMIN},
                    m.getAnnotation(RolesAllowed.class).value(),
                    name);
        }
    }

    @Test
    void zoneJsonNeverCarriesTheSecret() {
        StoredZone z = new StoredZone(
                ID,
                "example.test",
                "rfc2136",
                "127.0.0.1",
                53,
                "fleetgate",
                "hmac-sha256",
                "v1:SEALED",
                60,
                Instant.EPOCH,
                Instant.EPOCH,
                new StoredZone.Status(null, "BADSIG", Instant.EPOCH, 2, Instant.EPOCH));
        ObjectNode n = DnsJson.zone(z, new DnsJson.Counts(1, 2, 3, 0));
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        assertEquals(
                List.of(
                        "id",
                        "zone",
                        "provider",
                        "server",
                        "port",
                        "tsigKeyName",
                        "tsigAlgorithm",
                        "tsigSecretSet",
                        "ttl",
                        "createdAt",
                        "updatedAt",
                        "status"),
                names);
        assertFalse(n.toString().contains("SEALED"));
        assertEquals("example.test.", n.get("zone").asText());
        assertTrue(n.get("tsigSecretSet").asBoolean());
        assertEquals("ERROR", n.get("status").get("state").asText());
        assertEquals("BADSIG", n.get("status").get("lastError").asText());
        assertEquals(2, n.get("status").get("records").get("pending").asInt());
    }

    @Test
    void recordStates() {
        UUID zone = UUID.randomUUID();
        TrackedRecord synced = rec(zone, TrackedRecord.State.PRESENT, null);
        TrackedRecord failed = rec(zone, TrackedRecord.State.ADDING, "REFUSED");
        assertEquals("SYNCED", DnsJson.state(synced));
        assertEquals("PENDING", DnsJson.state(rec(zone, TrackedRecord.State.ADDING, null)));
        assertEquals("FAILED", DnsJson.state(failed));
        assertEquals("DELETING", DnsJson.state(rec(zone, TrackedRecord.State.DELETING, null)));
        ObjectNode n = DnsJson.record(failed, Map.of(zone, "example.test"));
        assertEquals("shop.example.test", n.get("domain").asText());
        assertEquals("A", n.get("type").asText());
        assertEquals("example.test.", n.get("zone").asText());
        assertEquals("FAILED", n.get("state").asText());
        assertEquals("REFUSED", n.get("lastError").asText());
        ObjectNode u = DnsJson.unresolved(
                new RecordPlanner.Unresolved(zone, "x.example.test", ID, "no address"), Map.of(zone, "example.test"));
        assertEquals("NO_ADDRESS", u.get("state").asText());
        assertTrue(u.get("value").isNull());
        assertNull(DnsJson.record(synced, Map.of(zone, "example.test"))
                .get("lastError")
                .textValue());
    }

    private static TrackedRecord rec(UUID zone, TrackedRecord.State state, String error) {
        return new TrackedRecord(
                zone, "shop.example.test", RecordType.A, "127.0.0.1", 60, ID, state, false, error, Instant.EPOCH);
    }
}
