package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class JsonTest {

    @Test
    void canonicalFormSortsFieldsAtEveryLevel() {
        JsonNode a = Json.parse("{\"b\":1,\"a\":{\"y\":[2,{\"k\":1,\"j\":2}],\"x\":null}}");
        assertEquals("{\"a\":{\"x\":null,\"y\":[2,{\"j\":2,\"k\":1}]},\"b\":1}", Json.canonical(a));
    }

    @Test
    void digestIgnoresFieldOrderButNotContent() {
        JsonNode a = Json.parse("{\"a\":1,\"b\":[1,2]}");
        JsonNode b = Json.parse("{ \"b\": [1, 2], \"a\": 1 }");
        JsonNode c = Json.parse("{\"a\":1,\"b\":[2,1]}");
        assertEquals(Json.digest(a), Json.digest(b));
        assertNotEquals(Json.digest(a), Json.digest(c));
        assertEquals(64, Json.digest(a).length());
    }

    @Test
    void mergeCombinesFieldsAndHigherRankingWins() {
        JsonNode high = Json.parse("{\"sites\":{\"a\":1},\"mode\":\"high\"}");
        JsonNode low = Json.parse("{\"sites\":{\"a\":9,\"b\":2},\"mode\":\"low\",\"extra\":true}");
        JsonNode merged = Json.merge(List.of(high, low));
        assertEquals(Json.parse("{\"sites\":{\"a\":1,\"b\":2},\"mode\":\"high\",\"extra\":true}"), merged);
        assertEquals(Json.parse("{\"sites\":{\"a\":1},\"mode\":\"high\"}"), high, "inputs are not modified");
    }

    @Test
    void mergeSkipsNullContributions() {
        assertNull(Json.merge(Arrays.asList(null, null)));
        assertEquals(Json.parse("{\"x\":1}"), Json.merge(Arrays.asList(null, Json.parse("{\"x\":1}"))));
    }
}
