package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void labelValuesAreEscaped() {
        assertEquals("plain", PrometheusText.escapeLabel("plain"));
        assertEquals("a\\\\b", PrometheusText.escapeLabel("a\\b"));
        assertEquals("say \\\"hi\\\"", PrometheusText.escapeLabel("say \"hi\""));
        assertEquals("two\\nlines", PrometheusText.escapeLabel("two\nlines"));
        assertEquals("ünï{}=,", PrometheusText.escapeLabel("ünï{}=,"));
    }

    @Test
    void familiesAndSamples() {
        Map<String, String> labels = new TreeMap<>(Map.of("agent", "a\"1", "cpu", "total"));
        String text = new PrometheusText()
                .family("host_cpu_usage_percent", "gauge", "CPU\nbusy \\ percent")
                .sample(labels, 12.5)
                .sample(Map.of(), 3)
                .family("x", "untyped", null)
                .sample(Double.NaN)
                .sample(Double.POSITIVE_INFINITY)
                .sample(Double.NEGATIVE_INFINITY)
                .sample(1e20)
                .toString();
        assertEquals(
                "# HELP host_cpu_usage_percent CPU\\nbusy \\\\ percent\n"
                        + "# TYPE host_cpu_usage_percent gauge\n"
                        + "host_cpu_usage_percent{agent=\"a\\\"1\",cpu=\"total\"} 12.5\n"
                        + "host_cpu_usage_percent 3\n"
                        + "# TYPE x untyped\nx NaN\nx +Inf\nx -Inf\nx 1.0E20\n",
                text);
    }

    @Test
    void labelsAreWrittenInNameOrder() {
        String text = new PrometheusText()
                .family("m", "gauge", null)
                .sample(Map.of("kind", "used", "area", "heap", "zone", "z", "b", "x"), 1)
                .toString();
        assertEquals("# TYPE m gauge\nm{area=\"heap\",b=\"x\",kind=\"used\",zone=\"z\"} 1\n", text);
    }
}
