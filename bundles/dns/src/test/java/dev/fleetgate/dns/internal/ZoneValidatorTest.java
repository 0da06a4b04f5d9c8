package dev.fleetgate.dns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.FieldError;

class ZoneValidatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "Xa3us1bYTyJu/4Vc6GqvqKr1axa1JK6/64MYJZBtttw=";
    private static final ZoneValidator V = new ZoneValidator(Set.of("rfc2136"));

    private static ObjectNode full() {
        ObjectNode b = JSON.createObjectNode();
        b.put("zone", "example.test.");
        b.put("provider", "rfc2136");
        b.put("server", "127.0.0.1");
        b.put("port", 53);
        b.put("tsigKeyName", "fleetgate");
        b.put("tsigAlgorithm", "hmac-sha256");
        b.put("tsigSecret", SECRET);
        b.put("ttl", 60);
        return b;
    }

    private static List<FieldError> errors(JsonNode body) {
        return V.validate(body, null).errors();
    }

    private static void invalid(ObjectNode body, String field) {
        List<FieldError> e = errors(body);
        assertTrue(e.stream().anyMatch(f -> f.field().equals(field)), field + " expected in " + e);
    }

    @Test
    void fullBodyIsNormalised() {
        ObjectNode b = full();
        b.put("zone", "Bücher.Example.");
        b.put("tsigKeyName", "FleetGate.Key.");
        b.put("tsigAlgorithm", "HMAC-SHA512");
        ZoneInput in = V.validate(b, null).input();
        assertEquals("xn--bcher-kva.example", in.zone());
        assertEquals("fleetgate.key", in.tsigKeyName());
        assertEquals("hmac-sha512", in.tsigAlgorithm());
        assertEquals(SECRET, in.tsigSecret());
        assertTrue(!in.toString().contains(SECRET), "the secret stays out of toString");
    }

    @Test
    void defaults() {
        ObjectNode b = JSON.createObjectNode();
        b.put("zone", "example.test");
        b.put("server", "ns1.example.test");
        ZoneInput in = V.validate(b, null).input();
        assertEquals("rfc2136", in.provider());
        assertEquals(53, in.port());
        assertEquals(60, in.ttl());
        assertNull(in.tsigKeyName(), "unsigned when no key is given");
        assertEquals("hmac-sha256", in.tsigAlgorithm());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "zone|.",
                "zone|*.example.test",
                "zone|exa mple.test",
                "zone|-bad.test",
                "zone|a..b",
                "zone|ex;ample.test",
                "server|",
                "server|1.2.3",
                "server|[::1]",
                "server|ns$.test",
                "server|1.2.3.4:53",
                "tsigKeyName|bad key",
                "tsigKeyName|k\"ey",
                "tsigAlgorithm|hmac-md5",
                "tsigAlgorithm|hmac-sha1",
                "tsigSecret|not base64!",
                "tsigSecret|c2hvcnQ=",
                "provider|route53",
                "provider|"
            })
    void badTextFields(String field, String value) {
        ObjectNode b = full();
        b.put(field, value == null ? "" : value);
        invalid(b, field);
    }

    @ParameterizedTest
    @CsvSource({"port,0", "port,65536", "ttl,0", "ttl,86401"})
    void badNumbers(String field, int value) {
        ObjectNode b = full();
        b.put(field, value);
        invalid(b, field);
    }

    @Test
    void wrongTypesAndMissingFields() {
        ObjectNode b = full();
        b.put("port", "53");
        b.put("ttl", 1.5);
        b.remove("zone");
        b.putArray("server");
        List<FieldError> e = errors(b);
        assertEquals(
                Set.of("port", "ttl", "zone", "server"),
                e.stream().map(FieldError::field).collect(java.util.stream.Collectors.toSet()),
                e.toString());
        assertEquals("body", errors(JSON.getNodeFactory().textNode("x")).get(0).field());
        assertEquals("body", errors(null).get(0).field());
    }

    @Test
    void keyAndSecretGoTogether() {
        ObjectNode noSecret = full();
        noSecret.remove("tsigSecret");
        invalid(noSecret, "tsigSecret");
        ObjectNode noName = full();
        noName.remove("tsigKeyName");
        invalid(noName, "tsigKeyName");
    }

    @Test
    void updateKeepsTheStoredSecretOnlyForTheSameKey() {
        StoredZone existing = new StoredZone(
                UUID.randomUUID(),
                "example.test",
                "rfc2136",
                "127.0.0.1",
                53,
                "fleetgate",
                "hmac-sha256",
                "v1:sealed",
                60,
                Instant.EPOCH,
                Instant.EPOCH,
                StoredZone.Status.NEW);
        ObjectNode b = full();
        b.remove("tsigSecret");
        b.put("tsigSecretSet", true); // echoed back from a GET: ignored
        ZoneValidator.Result r = V.validate(b, existing);
        assertTrue(r.ok(), r.errors().toString());
        assertNull(r.input().tsigSecret());
        b.put("tsigKeyName", "another");
        assertEquals("tsigSecret", V.validate(b, existing).errors().get(0).field());
        ObjectNode renamed = full();
        renamed.put("zone", "other.test");
        assertEquals("zone", V.validate(renamed, existing).errors().get(0).field());
    }

    @Test
    void defaultProviderMustBeAvailable() {
        ObjectNode b = full();
        b.remove("provider");
        List<FieldError> e = new ZoneValidator(Set.of()).validate(b, null).errors();
        assertEquals("provider", e.get(0).field());
    }
}
