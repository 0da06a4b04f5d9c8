package dev.fleetgate.agent.firewall.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.AgentContext;

class LiveDetectionTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicInteger syncs = new AtomicInteger();
    private final AtomicLong now = new AtomicLong(1_764_000_010_000L);
    private final LiveDetection live = new LiveDetection(
            new AgentContext() {
                @Override
                public String agentId() {
                    return "a1";
                }

                @Override
                public URI coreUrl() {
                    return URI.create("http://127.0.0.1");
                }

                @Override
                public String name() {
                    return "a";
                }

                @Override
                public String role() {
                    return "host";
                }

                @Override
                public Path stateDir() {
                    return Path.of("/nonexistent");
                }

                @Override
                public InputStream download(String relativeUrl) {
                    throw new UnsupportedOperationException();
                }

                @Override
                public void requestSync() {
                    syncs.incrementAndGet();
                }
            },
            now::get);

    private static List<AccessLogEntry> scan(String ip, int n) {
        List<AccessLogEntry> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new AccessLogEntry(
                    1_764_000_000_000L + i * 100L,
                    "11111111-1111-1111-1111-111111111111",
                    ip,
                    "GET",
                    "/probe" + i,
                    "h.test",
                    404,
                    10,
                    0.001,
                    0.001,
                    "127.0.0.1:80",
                    "curl/8"));
        }
        return out;
    }

    @Test
    void nothingBeforeTheSection() {
        live.onAccessLog(scan("127.0.0.9", 50));
        assertFalse(live.status().path("active").asBoolean());
        assertEquals(0, syncs.get());
    }

    @Test
    void decisionsAreReportedAndASyncRequested() throws Exception {
        live.apply(1, JSON.readTree("{\"settings\":{\"mode\":\"enforce\"},\"neverBlock\":[\"127.0.0.1\"]}"));
        live.onAccessLog(scan("127.0.0.1", 50)); // never blocked
        assertEquals(0, syncs.get());
        live.onAccessLog(scan("127.0.0.9", 50));
        assertEquals(1, syncs.get());
        JsonNode d = live.status().path("decisions");
        assertEquals(1, d.size(), d.toString());
        assertEquals("127.0.0.9", d.get(0).path("ip").asText());
        assertEquals("scan", d.get(0).path("detector").asText());
        assertEquals("enforce", d.get(0).path("mode").asText());
        assertEquals(
                "11111111-1111-1111-1111-111111111111",
                d.get(0).path("serviceId").asText());
        assertTrue(d.get(0).path("samples").size() > 0);
        assertEquals(100, live.status().path("requests").asLong());
        // the same settings again keep the state: no second decision for the same client
        live.apply(2, JSON.readTree("{\"settings\":{\"mode\":\"enforce\"},\"neverBlock\":[\"127.0.0.1\"]}"));
        live.onAccessLog(scan("127.0.0.9", 10));
        assertEquals(1, live.status().path("decisionsTotal").asLong());
        // metrics: requests analysed, decisions per detector and mode
        List<String> samples = new ArrayList<>();
        live.collect(new dev.fleetgate.agent.sdk.MetricSink() {
            @Override
            public void gauge(String name, double value, String... labels) {
                samples.add(name + String.join(",", labels) + "=" + (long) value);
            }

            @Override
            public void sample(String name, java.util.Map<String, String> labels, double value) {
                samples.add(name + labels + "=" + (long) value);
            }
        });
        assertTrue(samples.contains("firewall_requests_total=110"), samples.toString());
        assertTrue(samples.contains("firewall_decisions_totaldetector,scan,mode,enforce=1"), samples.toString());
        // reported for two minutes
        now.addAndGet(LiveDetection.KEEP_MILLIS + 1);
        assertEquals(0, live.status().path("decisions").size());
    }

    private static AccessLogEntry page(String ip, String query) {
        return new AccessLogEntry(
                1_764_000_000_000L,
                "11111111-1111-1111-1111-111111111111",
                ip,
                "GET",
                "h.test",
                "/products",
                query,
                200,
                10,
                0.001,
                0.001,
                "127.0.0.1:80",
                "Mozilla/5.0");
    }

    @Test
    void sqlInjectionInTheQueryStringIsDecidedLive() throws Exception {
        live.apply(1, JSON.readTree("{\"settings\":{\"mode\":\"shadow\"}}"));
        live.onAccessLog(List.of(page("127.0.0.20", "page=2&q=shoes"), page("127.0.0.21", null)));
        assertEquals(0, live.status().path("decisions").size());
        live.onAccessLog(List.of(page("127.0.0.22", "id=1%27%20UNION%20SELECT%20password%20FROM%20users--")));
        JsonNode d = live.status().path("decisions");
        assertEquals(1, d.size(), d.toString());
        assertEquals("127.0.0.22", d.get(0).path("ip").asText());
        assertEquals("patterns", d.get(0).path("detector").asText());
        assertTrue(d.get(0).path("samples").toString().contains("/products?id=1%27%20UNION"), d.toString());
    }

    @Test
    void topClientsPerServiceAreReported() throws Exception {
        live.apply(1, JSON.readTree("{\"settings\":{\"mode\":\"shadow\"}}"));
        live.onAccessLog(scan("127.0.0.9", 12));
        live.onAccessLog(scan("127.0.0.10", 3));
        JsonNode top = live.status().path("topClients");
        assertEquals(1, top.size(), top.toString());
        assertEquals(
                "11111111-1111-1111-1111-111111111111",
                top.get(0).path("serviceId").asText());
        JsonNode clients = top.get(0).path("clients");
        assertEquals("127.0.0.9", clients.get(0).path("ip").asText());
        assertEquals(12, clients.get(0).path("requests").asLong());
        assertEquals(12, clients.get(0).path("errors").asLong());
        assertEquals("127.0.0.10", clients.get(1).path("ip").asText());
        assertEquals(3, clients.get(1).path("requests").asLong());
        // counted over one to two periods of the agent's clock
        now.addAndGet(2 * LiveDetection.TOP_PERIOD_MILLIS);
        assertEquals(0, live.status().path("topClients").size());
    }

    @Test
    void badSettingsFailTheRevision() {
        assertThrows(
                IllegalArgumentException.class,
                () -> live.apply(1, JSON.readTree("{\"settings\":{\"mode\":\"sometimes\"}}")));
    }
}
