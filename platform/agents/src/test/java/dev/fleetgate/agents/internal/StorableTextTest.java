package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

class StorableTextTest {

    @Test
    void cleanTextIsReturnedAsIs() {
        JsonNode n = Json.parse("{\"a\":[\"x\",{\"b\":\"caf\u00e9 \\ud83d\\ude00\"}],\"n\":1}");
        assertSame(n, StorableText.clean(n));
        String s = "plain";
        assertSame(s, StorableText.clean(s));
    }

    @Test
    void nulBecomesVisibleTextEverywhere() {
        JsonNode n = Json.parse("{\"a\\u0000\":[\"x\\u0000\",{\"b\":\"\\u0000\"}],\"n\":1}");
        assertEquals(
                Json.parse("{\"a\\\\u0000\":[\"x\\\\u0000\",{\"b\":\"\\\\u0000\"}],\"n\":1}"), StorableText.clean(n));
    }

    @Test
    void unpairedSurrogatesBecomeReplacementCharacters() {
        assertEquals("a\uFFFDb\uFFFD", StorableText.clean("a\ud800b\udc00"));
        assertEquals("\ud83d\ude00", StorableText.clean("\ud83d\ude00"));
    }

    @Test
    void syncReportIsCleanedBeforeParsing() {
        SyncReport r = SyncReport.parse(Json.parse(
                "{\"hostname\":\"h\\u0000\",\"applied\":{\"p\":{\"revision\":1," + "\"error\":\"e\\u0000\"}}}"));
        assertEquals("h\\u0000", r.hostname());
        assertEquals("e\\u0000", r.applied().get("p").error());
    }
}
