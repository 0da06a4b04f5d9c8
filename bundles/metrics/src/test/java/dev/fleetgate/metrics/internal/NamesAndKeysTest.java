package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class NamesAndKeysTest {

    @Test
    void metricNamesFollowThePrometheusCharacterRules() {
        for (String ok : new String[] {"a", "_x", "http_requests_total", "ns:rule:rate5m", "A9_:b"}) {
            assertTrue(Names.isMetricName(ok), ok);
        }
        for (String bad : new String[] {"", "9a", "a-b", "a b", "é", "a\u0000", "x".repeat(Names.MAX_NAME + 1)}) {
            assertFalse(Names.isMetricName(bad), bad);
        }
        assertFalse(Names.isMetricName(null));
        assertTrue(Names.isMetricName("x".repeat(Names.MAX_NAME)));
    }

    @Test
    void labelNamesRefuseColonsAndTheReservedPrefix() {
        assertTrue(Names.isLabelName("instance"));
        assertTrue(Names.isLabelName("_a1"));
        assertFalse(Names.isLabelName("a:b"));
        assertFalse(Names.isLabelName("__name__"));
        assertFalse(Names.isLabelName("1a"));
        assertFalse(Names.isLabelName(""));
        assertFalse(Names.isLabelName(null));
        assertFalse(Names.isLabelName("x".repeat(Names.MAX_LABEL_NAME + 1)));
    }

    @Test
    void keysAreEqualRegardlessOfLabelOrderAndDifferOnAnyLabel() {
        SeriesKey a = SeriesKey.of("m", Map.of("host", "h1", "series", "s17"));
        SeriesKey b = SeriesKey.of("m", new java.util.LinkedHashMap<>(Map.of("series", "s17", "host", "h1")));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, SeriesKey.of("m", Map.of("host", "h1", "series", "s71")));
        assertNotEquals(a, SeriesKey.of("n", Map.of("host", "h1", "series", "s17")));
        assertNotEquals(a, SeriesKey.of("m", Map.of("host", "h1")));
    }

    /** The label sets the fleet sends (few hosts × many series) must not collide in hash maps. */
    @Test
    void typicalLabelSetsSpreadOverDistinctHashes() {
        Set<Integer> hashes = new HashSet<>();
        int n = 0;
        for (int h = 0; h < 10; h++) {
            for (int s = 0; s < 1000; s++, n++) {
                hashes.add(SeriesKey.of("bench_metric", Map.of("host", "h" + h, "series", "s" + s, "agent", "a"))
                        .hashCode());
            }
        }
        assertTrue(hashes.size() > n * 0.99, hashes.size() + " distinct hashes for " + n + " keys");
    }
}
