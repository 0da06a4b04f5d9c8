package dev.fleetgate.agent.metrics.internal.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class JsonMetricsTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void theDocumentedExample() throws Exception {
        Map<String, Double> values = JsonMetrics.parse(
                mapper.readTree("{\"cpu\": 60, \"mem\": \"30%\", \"disk\": \"43%\", \"uptime\": \"1d 2h\"}"));
        Map<String, Double> expected = new LinkedHashMap<>();
        expected.put("custom_cpu", 60.0);
        expected.put("custom_mem", 30.0);
        expected.put("custom_disk", 43.0);
        expected.put("custom_uptime", 86400.0 + 7200);
        assertEquals(expected, values);
    }

    @Test
    void nestedBooleansNumbersAsTextAndSkippedValues() throws Exception {
        Map<String, Double> values = JsonMetrics.parse(mapper.readTree("""
                {"db": {"Open Connections": 3, "healthy": true}, "ratio": "0.25", "name": "shop",
                 "tags": [1, 2], "nothing": null, "heap": "512MB", "cache": "1.5 GiB", "latency": "250ms",
                 "age": "3h4m5s", "neg": "-1.5e2"}
                """));
        assertEquals(3.0, values.get("custom_db_open_connections"));
        assertEquals(1.0, values.get("custom_db_healthy"));
        assertEquals(0.25, values.get("custom_ratio"));
        assertEquals(512e6, values.get("custom_heap"));
        assertEquals(1.5 * 1024 * 1024 * 1024, values.get("custom_cache"));
        assertEquals(0.25, values.get("custom_latency"));
        assertEquals(3 * 3600 + 4 * 60 + 5.0, values.get("custom_age"));
        assertEquals(-150.0, values.get("custom_neg"));
        assertNull(values.get("custom_name"));
        assertNull(values.get("custom_tags"));
        assertNull(values.get("custom_nothing"));
    }

    @Test
    void textThatIsNoValue() {
        assertNull(JsonMetrics.parseText("shop"));
        assertNull(JsonMetrics.parseText(""));
        assertNull(JsonMetrics.parseText("1d shop"));
        assertEquals(90.0, JsonMetrics.parseText("1m 30s"));
        assertEquals(1.5 * 3600, JsonMetrics.parseText("1.5h"));
        assertEquals(604800.0, JsonMetrics.parseText("1w"));
    }
}
