package dev.fleetgate.agent.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.sdk.MetricSink;

class EntropySourceTest {

    @Test
    void readsThisHostsEntropyAndFileHandles() throws Exception {
        Map<String, Double> values = new HashMap<>();
        new EntropySource().collect(new MetricSink() {
            @Override
            public void gauge(String name, double value, String... labels) {
                values.put(name, value);
            }

            @Override
            public void sample(String name, Map<String, String> labels, double value) {
                values.put(name, value);
            }
        });
        assertEquals(3, values.size(), values.toString());
        assertTrue(values.get("sample_entropy_available_bits") >= 0);
        assertTrue(values.get("sample_open_files") > 0);
        assertTrue(values.get("sample_max_open_files") >= values.get("sample_open_files"));
    }
}
