package dev.fleetgate.scaling.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.metrics.MetricSeries;

class SignalBookTest {
    private static final long T = 1_800_000_000_000L;

    private static MetricSeries s(String name, Map<String, String> labels, long at, double v) {
        return new MetricSeries(name, labels, new long[] {at - 5000, at}, new double[] {-1, v});
    }

    @Test
    void cpuIsNormalisedToTheLimitOrTheHostsCoresAndMemoryToTheLimit() {
        SignalBook book = new SignalBook();
        List<MetricSeries> batch = List.of(
                s("host_cpu_count", Map.of(), T, 8),
                s("container_cpu_usage_percent", Map.of("service", "a", "container", "a1"), T, 150),
                s("container_cpu_usage_percent", Map.of("service", "a", "container", "a2"), T, 50),
                s("container_cpu_usage_percent", Map.of("service", "b", "container", "b1"), T, 400),
                s("container_memory_used_bytes", Map.of("service", "a", "container", "a1"), T, 256),
                s("container_memory_limit_bytes", Map.of("service", "a", "container", "a1"), T, 1024),
                s("container_memory_used_bytes", Map.of("service", "a", "container", "a2"), T, 100),
                s("container_memory_limit_bytes", Map.of("service", "a", "container", "a2"), T, 9.3e18));
        assertTrue(book.accept("ag", batch, List.of("a", "b"), svc -> "a".equals(svc) ? 2.0 : null));
        Signals a = book.combine("a", List.of("ag"));
        assertEquals(50.0, a.cpuPercent(), "150 % and 50 % of one core each, limit 2 cores → 75 % and 25 %");
        assertEquals(25.0, a.memoryPercent(), "a2 has no limit (cgroup v1's huge number)");
        assertEquals(0.0, a.rps(), "no service series: no request in the interval");
        assertEquals(T, a.at());
        Signals b = book.combine("b", List.of("ag"));
        assertEquals(50.0, b.cpuPercent(), "400 % of one core on an 8-core host without a limit");
        assertNull(b.memoryPercent());
    }

    @Test
    void agentsAreCombinedAndOldBatchesIgnored() {
        SignalBook book = new SignalBook();
        Map<String, String> svc = Map.of("service", "a");
        assertTrue(book.accept(
                "x",
                List.of(
                        s("service_requests_per_second", svc, T, 100),
                        s("service_5xx_ratio_percent", svc, T, 10),
                        s("service_response_time_seconds", Map.of("service", "a", "quantile", "0.95"), T, 0.2),
                        s("service_response_time_seconds", Map.of("service", "a", "quantile", "0.5"), T, 0.05)),
                List.of("a"),
                k -> null));
        assertTrue(book.accept(
                "y",
                List.of(
                        s("service_requests_per_second", svc, T + 1000, 300),
                        s("service_5xx_ratio_percent", svc, T + 1000, 0),
                        s("service_response_time_seconds", Map.of("service", "a", "quantile", "0.95"), T + 1000, 0.5)),
                List.of("a"),
                k -> null));
        Signals c = book.combine("a", List.of("x", "y"));
        assertEquals(400.0, c.rps());
        assertEquals(500.0, c.p95Ms(), 1e-9, "the worst agent");
        assertEquals(2.5, c.errorPercent(), 1e-9, "weighted by rate: 10 % of 100 of 400");
        assertEquals(5.0, c.inFlight(), 1e-9, "100 req/s × 50 ms (agent y reports no median)");
        assertEquals(T + 1000, c.at());

        assertFalse(
                book.accept("x", List.of(s("service_requests_per_second", svc, T, 900)), List.of("a"), k -> null),
                "the same batch again");
        assertFalse(
                book.accept(
                        "x", List.of(s("service_requests_per_second", svc, T - 10_000, 900)), List.of("a"), k -> null),
                "an older batch");
        assertEquals(400.0, book.combine("a", List.of("x", "y")).rps());
    }
}
