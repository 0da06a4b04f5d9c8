package dev.fleetgate.agent.metrics.internal.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.AccessLogEntry;
import dev.fleetgate.agent.metrics.internal.Captured;

class AccessLogAggregatorTest {

    private static AccessLogEntry entry(String service, int status, long bytes, double seconds, Double upstream) {
        return new AccessLogEntry(
                0,
                service,
                "127.0.0.1",
                "GET",
                "shop.test",
                "/",
                status,
                bytes,
                seconds,
                upstream,
                "127.0.0.1:9001",
                "wrk");
    }

    @Test
    void ratesClassesBytesAndQuantilesPerService() {
        AccessLogAggregator aggregator = new AccessLogAggregator(0);
        List<AccessLogEntry> batch = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            // request times 0.001 .. 0.100 s; 90 × 200, 8 × 404, 2 × 502
            int status = i <= 90 ? 200 : i <= 98 ? 404 : 502;
            batch.add(entry("shop", status, 1000, i / 1000.0, i <= 98 ? (i / 1000.0) - 0.0005 : null));
        }
        batch.add(entry(null, 404, 10, 0.001, null));
        aggregator.add(batch.subList(0, 50));
        aggregator.add(batch.subList(50, batch.size()));

        Captured out = new Captured();
        aggregator.flush(out, 10_000_000_000L); // a 10 s interval
        Map<String, String> shop = Map.of("service", "shop");
        assertEquals(10.0, out.get("service_requests_per_second", shop));
        assertEquals(9.0, out.get("service_responses_per_second", Map.of("service", "shop", "status", "2xx")));
        assertEquals(0.8, out.get("service_responses_per_second", Map.of("service", "shop", "status", "4xx")), 1e-12);
        assertEquals(0.2, out.get("service_responses_per_second", Map.of("service", "shop", "status", "5xx")), 1e-12);
        assertEquals(0.0, out.get("service_responses_per_second", Map.of("service", "shop", "status", "3xx")));
        assertEquals(9.0, out.get("service_responses_by_code_per_second", Map.of("service", "shop", "code", "200")));
        assertEquals(
                0.8, out.get("service_responses_by_code_per_second", Map.of("service", "shop", "code", "404")), 1e-12);
        assertEquals(
                0.2, out.get("service_responses_by_code_per_second", Map.of("service", "shop", "code", "502")), 1e-12);
        assertEquals(3, out.named("service_responses_by_code_per_second").size(), "only the codes seen");
        assertEquals(2.0, out.get("service_5xx_ratio_percent", shop), 1e-12, "2 of 100 requests answered 5xx");
        assertEquals(10_000.0, out.get("service_sent_bytes_per_second", shop));
        assertEquals(
                0.050, out.get("service_response_time_seconds", Map.of("service", "shop", "quantile", "0.5")), 1e-12);
        assertEquals(
                0.095, out.get("service_response_time_seconds", Map.of("service", "shop", "quantile", "0.95")), 1e-12);
        assertEquals(
                0.099, out.get("service_response_time_seconds", Map.of("service", "shop", "quantile", "0.99")), 1e-12);
        assertEquals(
                0.0975,
                out.get("service_upstream_response_time_seconds", Map.of("service", "shop", "quantile", "0.99")),
                1e-12,
                "upstream times of the 98 requests that had one");
        assertEquals(0.1, out.get("nginx_unmatched_requests_per_second"), 1e-12);

        Captured idle = new Captured();
        aggregator.flush(idle, 20_000_000_000L);
        assertEquals(0.0, idle.get("service_requests_per_second", shop), "a known service without traffic reports 0");
        assertTrue(idle.named("service_response_time_seconds").isEmpty(), "no quantiles without requests");
        assertEquals(
                0.0,
                idle.get("service_responses_by_code_per_second", Map.of("service", "shop", "code", "502")),
                "a code seen before reports 0, so a rule on it clears");
        assertEquals(0.0, idle.get("service_5xx_ratio_percent", shop), "no requests, no failing share");
    }

    @Test
    void statusCodeLabelsAreBoundedPerService() {
        AccessLogAggregator aggregator = new AccessLogAggregator(0);
        List<AccessLogEntry> batch = new ArrayList<>();
        for (int status = 200; status < 300; status++) {
            batch.add(entry("noisy", status, 1, 0.001, null));
        }
        batch.add(entry("noisy", 0, 1, 0.001, null)); // no status (e.g. 499 written as 0)
        batch.add(entry("noisy", 503, 1, 0.001, null));
        batch.add(entry("quiet", 503, 1, 0.001, null));
        aggregator.add(batch);
        Captured out = new Captured();
        aggregator.flush(out, 1_000_000_000L);
        List<Captured.Sample> noisy = out.named("service_responses_by_code_per_second").stream()
                .filter(s -> s.labels().get("service").equals("noisy"))
                .toList();
        assertEquals(AccessLogAggregator.MAX_CODES + 1, noisy.size(), "16 codes and other");
        assertEquals(
                102.0 - AccessLogAggregator.MAX_CODES,
                out.get("service_responses_by_code_per_second", Map.of("service", "noisy", "code", "other")));
        assertEquals(
                1.0,
                out.get("service_responses_by_code_per_second", Map.of("service", "quiet", "code", "503")),
                "the bound is per service");
        assertEquals(100.0 / 102, out.get("service_5xx_ratio_percent", Map.of("service", "noisy")), 1e-12);
        assertEquals(100.0, out.get("service_5xx_ratio_percent", Map.of("service", "quiet")));
    }

    @Test
    void theReservoirBoundsMemoryAndKeepsQuantilesClose() {
        AccessLogAggregator aggregator = new AccessLogAggregator(0);
        List<AccessLogEntry> batch = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) {
            batch.add(entry("big", 200, 1, (i % 1000) / 1000.0, null)); // uniform 0..0.999
        }
        aggregator.add(batch);
        Captured out = new Captured();
        aggregator.flush(out, 1_000_000_000L);
        assertEquals(100_000.0, out.get("service_requests_per_second", Map.of("service", "big")));
        double p50 = out.get("service_response_time_seconds", Map.of("service", "big", "quantile", "0.5"));
        double p99 = out.get("service_response_time_seconds", Map.of("service", "big", "quantile", "0.99"));
        assertTrue(Math.abs(p50 - 0.5) < 0.05, "p50 " + p50);
        assertTrue(Math.abs(p99 - 0.99) < 0.02, "p99 " + p99);
    }
}
