package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** NUL, unpaired surrogates and deep nesting in any JSON body: 400 naming the field, never 500. */
class OddInputTest {
    private final InMemoryApi api = new InMemoryApi(new InputsResource());

    private static void assertField(InMemoryApi.Answer a, String field, String messagePart) {
        assertEquals(400, a.status(), a.body());
        assertEquals(Problems.MEDIA_TYPE, a.type());
        JsonNode error = a.json().get("errors").get(0);
        assertEquals(field, error.get("field").asText(), a.body());
        assertTrue(error.get("message").asText().contains(messagePart), a.body());
    }

    @Test
    void nulInATypedFieldIs400NamingIt() {
        InMemoryApi.Answer a =
                api.send("POST", "inputs/login", "admin", "{\"username\":\"ad\\u0000min\",\"password\":\"x\"}");
        assertField(a, "username", "NUL");
        assertEquals("Invalid text in request body", a.json().get("detail").asText());
    }

    @Test
    void nulDeepInAFreeFormBodyIs400NamingThePath() {
        assertField(api.send("POST", "inputs/node", "admin", "{\"a\":{\"b\":[\"ok\",\"x\\u0000\"]}}"), "a.b[1]", "NUL");
    }

    @Test
    void nulInAPropertyNameIs400() {
        assertField(api.send("POST", "inputs/node", "admin", "{\"a\\u0000\":1}"), "a\u0000", "NUL");
    }

    @Test
    void unpairedSurrogateIs400() {
        assertField(api.send("POST", "inputs/login", "admin", "{\"username\":\"a\\ud800\"}"), "username", "surrogate");
    }

    @Test
    void pairedSurrogatesPass() {
        InMemoryApi.Answer a = api.send("POST", "inputs/login", "admin", "{\"username\":\"\\ud83d\\ude00\"}");
        assertEquals(200, a.status(), a.body());
    }

    @Test
    void rawTextParameterLetsNulThroughForTheResourceToSanitise() {
        InMemoryApi.Answer a = api.send("POST", "inputs/raw", "admin", "{\"r\":\"x\\u0000\"}");
        assertEquals(200, a.status(), a.body());
        assertTrue(a.json().get("nul").asBoolean());
    }

    @Test
    void hundredThousandNestedArraysAre400() {
        String deep = "[".repeat(100_000) + "]".repeat(100_000);
        InMemoryApi.Answer a = api.send("POST", "inputs/node", "admin", deep);
        assertEquals(
                400, a.status(), a.body().substring(0, Math.min(300, a.body().length())));
        assertTrue(a.json().get("detail").asText().contains("nesting depth"), a.body());
        assertEquals(
                400,
                api.send("POST", "inputs/login", "admin", "{\"username\":" + deep + "}")
                        .status());
    }

    @Test
    void hundredThousandNestedObjectsAre400() {
        String deep = "{\"a\":".repeat(100_000) + "1" + "}".repeat(100_000);
        assertEquals(400, api.send("POST", "inputs/node", "admin", deep).status());
    }

    @Test
    void nestingWithinTheLimitPasses() {
        int depth = JsonMapper.MAX_NESTING_DEPTH - 1;
        assertEquals(
                200,
                api.send("POST", "inputs/node", "admin", "[".repeat(depth) + "]".repeat(depth))
                        .status());
    }

    @Test
    void checkerFindsOnlyBadText() {
        assertEquals(null, TextCheckingParser.problem("caf\u00e9 \ud83d\ude00"));
        assertFalse(TextCheckingParser.problem("\udc00").isEmpty());
        assertTrue(TextCheckingParser.problem("a\u0000").contains("NUL"));
    }
}
