package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

class QueryParamsTest {
    private static final long NOW = 1_800_000_000_000L;
    private final Settings settings = Settings.defaults();

    private static Map<String, List<String>> p(String... kv) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.computeIfAbsent(kv[i], k -> new java.util.ArrayList<>()).add(kv[i + 1]);
        }
        return m;
    }

    private List<String> fields(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        assertEquals(400, e.status());
        return e.errors().stream().map(FieldError::field).toList();
    }

    @Test
    void rangeDefaultsAndMatchers() {
        QueryParams.Range q =
                QueryParams.range(p("name", "host_cpu_usage_percent", "agent", "a1", "label.step", "x"), NOW, settings);
        assertEquals(NOW, q.to());
        assertEquals(NOW - 3_600_000, q.from());
        assertEquals(15_000, q.step());
        assertEquals(QueryParams.Agg.AVG, q.agg());
        assertEquals(Map.of("agent", "a1", "step", "x"), q.matchers());
        assertEquals(240, q.buckets(), "NOW is a multiple of 15 s");
    }

    @Test
    void timesInEveryForm() {
        QueryParams.Range q = QueryParams.range(
                p("name", "x", "from", "2027-01-15T08:00:00Z", "to", "2027-01-15T10:00:00+01:00", "step", "1m"),
                NOW,
                settings);
        assertEquals(java.time.Instant.parse("2027-01-15T08:00:00Z").toEpochMilli(), q.from());
        assertEquals(q.from() + 3_600_000, q.to());
        QueryParams.Range r =
                QueryParams.range(p("name", "x", "from", "now-2h", "to", "now-1h", "agg", "p95"), NOW, settings);
        assertEquals(NOW - 7_200_000, r.from());
        assertEquals(QueryParams.Agg.P95, r.agg());
        assertEquals(
                1_700_000_000_000L,
                QueryParams.range(p("name", "x", "from", "1700000000000"), NOW, settings)
                        .from());
    }

    @Test
    void everyBadParameterIsNamed() {
        assertEquals(List.of("name"), fields(() -> QueryParams.range(p(), NOW, settings)));
        assertEquals(List.of("name"), fields(() -> QueryParams.range(p("name", "bad name"), NOW, settings)));
        assertEquals(
                List.of("from"), fields(() -> QueryParams.range(p("name", "x", "from", "yesterday"), NOW, settings)));
        assertEquals(List.of("to"), fields(() -> QueryParams.range(p("name", "x", "to", "2027-13-01"), NOW, settings)));
        assertEquals(List.of("step"), fields(() -> QueryParams.range(p("name", "x", "step", "10x"), NOW, settings)));
        assertEquals(List.of("step"), fields(() -> QueryParams.range(p("name", "x", "step", "500ms"), NOW, settings)));
        assertEquals(List.of("agg"), fields(() -> QueryParams.range(p("name", "x", "agg", "median"), NOW, settings)));
        assertEquals(
                List.of("resolution"),
                fields(() -> QueryParams.range(p("name", "x", "resolution", "5m"), NOW, settings)));
        assertEquals(
                List.of("from"),
                fields(() -> QueryParams.range(p("name", "x", "from", "now", "to", "now-1h"), NOW, settings)));
        assertEquals(
                List.of("bad-label"), fields(() -> QueryParams.range(p("name", "x", "bad-label", "1"), NOW, settings)));
        assertEquals(
                List.of("agent"),
                fields(() -> QueryParams.range(p("name", "x", "agent", "a", "agent", "b"), NOW, settings)));
        assertEquals(List.of("cpu"), fields(() -> QueryParams.range(p("name", "x", "cpu", "a\nb"), NOW, settings)));
        assertEquals(
                List.of("step"),
                fields(() -> QueryParams.range(
                        p("name", "x", "from", "now-7d", "step", "10s", "resolution", "raw"), NOW, settings)));
        assertEquals(
                List.of("step"),
                fields(() -> QueryParams.range(
                        p("name", "x", "from", "0", "step", "1m", "resolution", "1m"), NOW, settings)));
        assertEquals(
                2,
                fields(() -> QueryParams.range(p("name", "x y", "step", "x"), NOW, settings))
                        .size(),
                "all errors at once");
    }

    @Test
    void resolutionByStepAndRetention() {
        assertEquals(Resolution.RAW, QueryParams.choose(NOW - 3_600_000, 10_000, NOW, settings));
        assertEquals(Resolution.MINUTE, QueryParams.choose(NOW - 3_600_000, 60_000, NOW, settings));
        assertEquals(Resolution.MINUTE, QueryParams.choose(NOW - 3_600_000, 1_800_000, NOW, settings));
        assertEquals(Resolution.HOUR, QueryParams.choose(NOW - 3_600_000, 3_600_000, NOW, settings));
        assertEquals(Resolution.MINUTE, QueryParams.choose(NOW - 3 * 86_400_000L, 10_000, NOW, settings));
        assertEquals(Resolution.HOUR, QueryParams.choose(NOW - 31 * 86_400_000L, 10_000, NOW, settings));
        assertEquals(Resolution.HOUR, QueryParams.choose(NOW - 400 * 86_400_000L, 60_000, NOW, settings));
    }

    @Test
    void defaultStepsAreNice() {
        assertEquals(1_000, QueryParams.defaultStep(60_000));
        assertEquals(15_000, QueryParams.defaultStep(3_600_000));
        assertEquals(300_000, QueryParams.defaultStep(86_400_000));
        assertEquals(3_600_000, QueryParams.defaultStep(7 * 86_400_000L));
        assertEquals(2 * 86_400_000L, QueryParams.defaultStep(365 * 86_400_000L));
    }

    @Test
    void topAndLatest() {
        QueryParams.Top t = QueryParams.top(
                p("name", "container_cpu_usage_percent", "by", "container", "agent", "a1"), NOW, settings);
        assertEquals(10, t.n());
        assertEquals(NOW - 300_000, t.from());
        assertEquals(Resolution.RAW, t.resolution(), "5m: raw");
        assertEquals(
                Resolution.MINUTE,
                QueryParams.top(p("name", "x", "by", "c", "window", "1h"), NOW, settings)
                        .resolution());
        assertEquals(
                Resolution.HOUR,
                QueryParams.top(p("name", "x", "by", "c", "window", "1d"), NOW, settings)
                        .resolution());
        assertEquals(Map.of("agent", "a1"), t.matchers());
        assertEquals(
                Resolution.RAW,
                QueryParams.top(p("name", "x", "by", "c", "window", "30s"), NOW, settings)
                        .resolution());
        assertEquals(List.of("by"), fields(() -> QueryParams.top(p("name", "x"), NOW, settings)));
        assertEquals(
                List.of("n", "window", "agg"),
                fields(() -> QueryParams.top(
                        p("name", "x", "by", "c", "n", "0", "window", "400d", "agg", "rate"), NOW, settings)));

        QueryParams.Latest l = QueryParams.latest(p("name", "host_cpu_usage_percent", "by", "agent"), settings);
        assertEquals("agent", l.by());
        assertEquals(900_000, l.maxAgeMillis());
        assertNull(QueryParams.latest(p("name", "x", "maxAge", "1m"), settings).by());
        assertEquals(
                List.of("by", "maxAge"),
                fields(() -> QueryParams.latest(p("name", "x", "by", "a b", "maxAge", "1d"), settings)));
    }
}
