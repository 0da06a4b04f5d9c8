package dev.fleetgate.agent.metrics.internal.scrape;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

class MetricsSectionTest {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void readsTheSection() throws Exception {
        MetricsSection section = MetricsSection.parse(mapper.readTree("""
                {"intervalSeconds": 15, "scrapes": [
                  {"serviceId": "a1b2", "serviceName": "shop", "format": "prometheus", "path": "/metrics",
                   "intervalSeconds": 30, "targets": [{"host": "127.0.0.1", "port": 9100}, {"host": "::1", "port": 9101}]},
                  {"serviceId": "c3d4", "format": "json", "path": "/api/status?x=1", "targets": []}]}
                """), 10);
        assertEquals(15, section.intervalSeconds());
        MetricsSection.Scrape shop = section.scrapes().get(0);
        assertEquals("shop", shop.serviceName());
        assertEquals(30, shop.intervalSeconds());
        assertEquals(
                List.of(new MetricsSection.Target("127.0.0.1", 9100), new MetricsSection.Target("::1", 9101)),
                shop.targets());
        assertEquals("[::1]:9101", shop.targets().get(1).toString());
        assertEquals(15, section.scrapes().get(1).intervalSeconds(), "the section's interval by default");
        assertEquals(10, MetricsSection.parse(mapper.readTree("{}"), 10).intervalSeconds());
    }

    @Test
    void rejectsInvalidFields() {
        invalid("{\"intervalSeconds\": 0}", "intervalSeconds");
        invalid("{\"scrapes\": [{\"serviceId\": \"x\", \"format\": \"xml\"}]}", "scrapes[0].format");
        invalid("{\"scrapes\": [{\"serviceId\": \"x\", \"path\": \"metrics\"}]}", "scrapes[0].path");
        invalid("{\"scrapes\": [{\"serviceId\": \"x\", \"path\": \"/a b\"}]}", "scrapes[0].path");
        invalid(
                "{\"scrapes\": [{\"serviceId\": \"x\", \"targets\": [{\"host\": \"a/b\", \"port\": 1}]}]}",
                "scrapes[0].targets");
        invalid(
                "{\"scrapes\": [{\"serviceId\": \"x\", \"targets\": [{\"host\": \"a\", \"port\": 70000}]}]}",
                "scrapes[0].targets");
        invalid("{\"scrapes\": [{\"serviceId\": \"\"}]}", "scrapes[0].serviceId");
    }

    private void invalid(String json, String field) {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> MetricsSection.parse(mapper.readTree(json), 10));
        assertTrue(e.getMessage().startsWith(field), e.getMessage());
    }
}
