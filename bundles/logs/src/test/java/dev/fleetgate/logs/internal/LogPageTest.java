package dev.fleetgate.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

class LogPageTest {

    private static ObjectNode result(int lines, int textLength) {
        ObjectNode r = Json.MAPPER.createObjectNode();
        ArrayNode a = r.putArray("lines");
        for (int i = 0; i < lines; i++) {
            a.addObject()
                    .put("timestamp", "2026-11-22T10:00:0" + (i % 10) + ".123456789Z")
                    .put("stream", "stderr")
                    .put("text", "x".repeat(textLength));
        }
        r.put("cursor", "after-" + lines).put("truncated", false);
        return r;
    }

    @Test
    void anAnswerWithinBoundsPassesAsIs() {
        LogPage p = LogPage.from(result(3, 10), "stdout", 500, 1000);
        assertEquals(3, p.lines().size());
        assertEquals("stderr", p.lines().get(0).stream());
        assertEquals("2026-11-22T10:00:00.123456789Z", p.lines().get(0).timestamp());
        assertEquals("after-3", p.cursor());
        assertFalse(p.truncated());
    }

    @Test
    void tooManyLinesOrTooMuchTextIsCut() {
        LogPage p = LogPage.from(result(10, 10), "stdout", 4, 1000);
        assertEquals(4, p.lines().size());
        assertTrue(p.truncated());
        LogPage big = LogPage.from(result(3, 700), "stdout", 500, 1000);
        assertEquals(2, big.lines().size());
        assertEquals(300, big.lines().get(1).text().length());
        assertTrue(big.lines().get(1).text().endsWith("…"));
        assertTrue(big.truncated());
    }

    @Test
    void missingFieldsTakeDefaultsAndMalformedResultsAreNull() throws Exception {
        JsonNode r = Json.MAPPER.readTree("{\"lines\":[{\"text\":\"hello\"},{\"text\":{\"no\":1}}],\"cursor\":null}");
        LogPage p = LogPage.from(r, "access", 10, 100);
        assertEquals(new LogPage.Line(null, "access", "hello"), p.lines().get(0));
        assertEquals("", p.lines().get(1).text());
        assertNull(p.cursor());
        assertNull(LogPage.from(null, "stdout", 1, 1));
        assertNull(LogPage.from(Json.MAPPER.readTree("{\"lines\":5}"), "stdout", 1, 1));
        assertNull(LogPage.from(Json.MAPPER.readTree("[]"), "stdout", 1, 1));
    }
}
