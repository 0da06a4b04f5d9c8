package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;

class SyncBodyTest {

    private static SyncBody parse(String s) {
        return SyncBody.parse(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String metrics(SyncBody b) {
        return new String(b.raw(), b.metricsOffset(), b.metricsLength(), StandardCharsets.UTF_8);
    }

    @Test
    void theMetricsArrayIsLeftInTheBytesAndTheRestBecomesATree() {
        String arr = "[{\"name\":\"é_x\",\"points\":[[1,2]]} , {\"name\":\"y\"}]";
        SyncBody b = parse("{\"version\":\"1\",\"metrics\": " + arr + " ,\"applied\":{\"a\":{\"revision\":3}}}");
        assertTrue(b.hasRawMetrics());
        assertEquals(arr, metrics(b));
        assertEquals(Json.parse("{\"version\":\"1\",\"applied\":{\"a\":{\"revision\":3}}}"), b.report());
    }

    @Test
    void emptyNullOrNonArrayMetricsStayOutOfTheRawPath() {
        assertFalse(parse("{\"metrics\":[]}").hasRawMetrics());
        assertFalse(parse("{\"metrics\":null}").hasRawMetrics());
        SyncBody notArray = parse("{\"metrics\":{\"a\":1}}");
        assertFalse(notArray.hasRawMetrics());
        assertEquals(Json.parse("{\"a\":1}"), notArray.report().get("metrics"), "left for the report's validation");
        SyncBody twice = parse("{\"metrics\":[1],\"metrics\":7}");
        assertFalse(twice.hasRawMetrics(), "the last one counts, as in a tree");
        assertNull(parse("").report());
        assertEquals(Json.parse("[1]"), parse("[1]").report());
    }

    @Test
    void malformedJsonIs400() {
        for (String bad : new String[] {"{", "{\"metrics\":[1,}", "{} {}", "{\"a\":tru}", "[".repeat(300)}) {
            assertEquals(400, assertThrows(ApiException.class, () -> parse(bad)).status(), bad);
        }
    }

    @Test
    void theByteScanFindsWhatJacksonFindsOrLeavesTheBodyToIt() {
        String[] bodies = {
            "{\"version\":\"1\",\"metrics\":[{\"name\":\"a\",\"points\":[[1,2.5e-3],[2,-0]]}],\"applied\":{}}",
            " { \"metrics\" : [ 1 , \"x\\\"\\u00e9\\n\" , true , false , null , { } , [ ] ] } \n",
            "{\"a\":[{\"metrics\":[1]}],\"metrics\":[{\"b\":[[[]]]}]}",
            "{\"metrics\":[1],\"metrics\":[2]}",
            "{\"metr\\u0069cs\":[1]}",
            "{\"metrics\":[\"é\"]}",
            "{\"metrics\":[01]}",
            "{\"metrics\":[1.]}",
            "{\"metrics\":[1e]}",
            "{\"metrics\":[-]}",
            "{\"metrics\":[\"\\x\"]}",
            "{\"metrics\":[\"\\u12g4\"]}",
            "{\"metrics\":[\"a\tb\"]}",
            "{\"metrics\":[tru]}",
            "{\"metrics\":[1,]}",
            "{\"metrics\":[{\"a\" 1}]}",
            "{\"metrics\":[1]",
            "{\"metrics\":[1]} x",
            "{\"metrics\":" + "[".repeat(150) + "]".repeat(150) + "}",
            "{\"metrics\":[" + "1".repeat(150) + "]}",
            "{\"metrics\":[ ]}",
            "{\"other\":[1]}",
            "[1]"
        };
        int taken = 0;
        for (String body : bodies) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            int[] span = MetricsSpan.find(bytes);
            SyncBody jackson;
            try {
                jackson = SyncBody.tokens(bytes);
            } catch (ApiException e) {
                assertNull(span, "malformed, left to Jackson: " + body);
                assertEquals(
                        400, assertThrows(ApiException.class, () -> parse(body)).status(), body);
                continue;
            }
            SyncBody both = parse(body);
            assertEquals(jackson.report(), both.report(), body);
            assertEquals(jackson.metricsOffset(), both.metricsOffset(), body);
            assertEquals(jackson.metricsLength(), both.metricsLength(), body);
            if (span != null) {
                taken++;
                assertEquals(jackson.metricsOffset(), span[0], body);
            }
        }
        assertEquals(3, taken, "the scan takes the plain bodies");
    }
}
