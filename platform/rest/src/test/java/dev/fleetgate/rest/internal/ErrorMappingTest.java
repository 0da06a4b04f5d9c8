package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class ErrorMappingTest {
    private final InMemoryApi api = new InMemoryApi(new ThingsResource());

    @Test
    void apiExceptionKeepsStatusWithoutErrors() {
        InMemoryApi.Answer a = api.get("things/missing", "viewer");
        assertEquals(404, a.status());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        JsonNode p = a.json();
        assertEquals("about:blank", p.get("type").asText());
        assertEquals("Not Found", p.get("title").asText());
        assertEquals("Thing not found", p.get("detail").asText());
        assertFalse(p.has("errors"));
    }

    @Test
    void apiExceptionFieldErrors() {
        JsonNode p = api.send("POST", "things/invalid", "admin", "{}").json();
        assertEquals(400, p.get("status").asInt());
        assertEquals(
                "upstream.targets[0].port", p.get("errors").get(0).get("field").asText());
        assertEquals(
                "must be between 1 and 65535",
                p.get("errors").get(0).get("message").asText());
    }

    @Test
    void wrongJsonTypeNamesTheFieldPath() {
        InMemoryApi.Answer a = api.send(
                "POST",
                "things",
                "admin",
                "{\"name\":\"x\",\"targets\":[{\"host\":\"h\",\"port\":1},{\"host\":\"h\",\"port\":\"eighty\"}]}");
        assertEquals(400, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(
                "targets[1].port", a.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void malformedJsonIs400() {
        InMemoryApi.Answer a = api.send("POST", "things", "admin", "{\"name\": \"x\", \"targets\": [ {\"host\": }");
        assertEquals(400, a.status(), a.body());
        assertEquals("Malformed JSON", a.json().get("detail").asText());
        assertEquals("targets[0]", a.json().get("errors").get(0).get("field").asText());
    }

    @Test
    void truncatedJsonIs400() {
        InMemoryApi.Answer a = api.send("POST", "things", "admin", "{\"name\": ");
        assertEquals(400, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
    }

    @Test
    void unknownPropertiesAreIgnored() {
        assertEquals(
                200,
                api.send("POST", "things", "admin", "{\"name\":\"x\",\"colour\":\"red\"}")
                        .status());
    }

    @Test
    void unknownPathIs404Problem() {
        InMemoryApi.Answer a = api.get("nowhere", null);
        assertEquals(404, a.status());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(404, a.json().get("status").asInt());
    }

    @Test
    void wrongMethodIs405WithAllow() {
        InMemoryApi.Answer a = api.send("PUT", "things", "admin", "{}");
        assertEquals(405, a.status());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertTrue(a.response().getHeaderString("Allow").contains("GET"));
    }

    @Test
    void wrongMediaTypeIs415() {
        InMemoryApi.Answer a = api.call("POST", "things", "admin", "text/plain", "name=x");
        assertEquals(415, a.status());
        assertEquals(415, a.json().get("status").asInt());
    }

    @Test
    void unexpectedErrorIs500WithOpaqueId() {
        InMemoryApi.Answer a = api.get("things/boom", "viewer");
        assertEquals(500, a.status());
        String detail = a.json().get("detail").asText();
        assertTrue(detail.matches("Internal error, id [0-9a-f]{8}"), detail);
        assertFalse(a.body().contains("hunter2"));
    }

    @Test
    void jsonKeepsNullsAndWritesIsoTimes() {
        JsonNode thing = api.get("things", "viewer").json().get(0);
        assertTrue(thing.has("error") && thing.get("error").isNull());
        assertEquals("2026-01-02T03:04:05Z", thing.get("at").asText());
    }
}
