package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.persistence.testing.MutableClock;

/** Range queries at each resolution and aggregation, against values computed here from the raw data. */
class QueryIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    static final String A = "agent-a";
    static final String B = "agent-b";
    static final long STEP = 10_000;
    static final int POINTS = 3 * 360; // 3 hours at 10 s

    static MutableClock clock;
    static MetricsStorage storage;
    static QueryEngine engine;
    static long start;

    /** CPU of agent a: i % 7; of agent b: 100 + i % 11. Counter: +5 per point, reset to 0 at i = 500. */
    static double cpu(String agent, int i) {
        return A.equals(agent) ? i % 7 : 100 + i % 11;
    }

    static double counter(int i) {
        return i < 500 ? 5.0 * i : 5.0 * (i - 500);
    }

    @BeforeAll
    static void load() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(30, ChronoUnit.MINUTES);
        clock = new MutableClock(now);
        start = now.toEpochMilli() - POINTS * STEP;
        storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        engine = new QueryEngine(storage);
        Ingestor ingestor = new Ingestor(storage);
        for (String agent : List.of(A, B)) {
            ArrayNode batch = Json.array();
            ObjectNode cpu = batch.addObject().put("name", "host_cpu_usage_percent");
            cpu.putObject("labels").put("cpu", "total");
            ObjectNode req = batch.addObject().put("name", "requests_total");
            for (int i = 0; i < POINTS; i++) {
                cpu.withArray("points").addArray().add(start + i * STEP).add(cpu(agent, i));
                req.withArray("points").addArray().add(start + i * STEP).add(counter(i));
            }
            ingestor.accept(agent, batch);
        }
        storage.maintain();
    }

    @AfterAll
    static void close() {
        storage.close();
    }

    static QueryParams.Range range(String... kv) {
        Map<String, List<String>> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], List.of(kv[i + 1]));
        }
        return QueryParams.range(p, clock.millis(), storage.settings());
    }

    static Map<String, List<double[]>> byAgent(List<QueryEngine.Series> series) {
        Map<String, List<double[]>> out = new HashMap<>();
        series.forEach(s -> out.put(s.labels().get("agent"), s.points()));
        return out;
    }

    /** Expected per bucket of {@code step} ms over [from, to): avg, min, max of agent a's CPU. */
    static List<double[]> expected(long from, long to, long step, String agg) {
        Map<Long, List<Double>> buckets = new java.util.TreeMap<>();
        for (int i = 0; i < POINTS; i++) {
            long t = start + i * STEP;
            if (t >= from && t < to) {
                buckets.computeIfAbsent(Math.floorDiv(t, step) * step, k -> new ArrayList<>())
                        .add(cpu(A, i));
            }
        }
        List<double[]> out = new ArrayList<>();
        buckets.forEach((b, vs) -> out.add(new double[] {
            b,
            switch (agg) {
                case "min" -> vs.stream().mapToDouble(d -> d).min().orElseThrow();
                case "max" -> vs.stream().mapToDouble(d -> d).max().orElseThrow();
                default -> vs.stream().mapToDouble(d -> d).average().orElseThrow();
            }
        }));
        return out;
    }

    static void assertPoints(List<double[]> expected, List<double[]> actual) {
        assertEquals(expected.size(), actual.size(), "point count");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i)[0], actual.get(i)[0], "time of point " + i);
            assertEquals(
                    expected.get(i)[1],
                    actual.get(i)[1],
                    1e-9,
                    "value of point " + i + " at " + Instant.ofEpochMilli((long) expected.get(i)[0]));
        }
    }

    @Test
    void rollupsEqualSqlOverRawSamples() {
        String raw = "SELECT count(*) FROM (SELECT series_id, date_trunc('minute', ts) b, count(*) c, sum(value) s,"
                + " min(value) mi, max(value) ma FROM metric_sample GROUP BY 1, 2) r"
                + " FULL JOIN metric_rollup_1m m ON m.series_id = r.series_id AND m.bucket = r.b"
                + " WHERE m.cnt IS DISTINCT FROM r.c::int OR m.sum IS DISTINCT FROM r.s OR m.min IS DISTINCT FROM r.mi"
                + " OR m.max IS DISTINCT FROM r.ma";
        assertEquals(0, db.count(raw), "1m rollup rows differing from raw");
        assertEquals(4 * 3 * 60, db.count("SELECT count(*) FROM metric_rollup_1m"));
        String hour = "SELECT count(*) FROM (SELECT series_id, date_trunc('hour', ts) b, count(*) c, sum(value) s,"
                + " min(value) mi, max(value) ma FROM metric_sample GROUP BY 1, 2) r"
                + " FULL JOIN metric_rollup_1h m ON m.series_id = r.series_id AND m.bucket = r.b"
                + " WHERE m.cnt IS DISTINCT FROM r.c::int OR abs(m.sum - r.s) > 1e-6 OR m.min IS DISTINCT FROM r.mi"
                + " OR m.max IS DISTINCT FROM r.ma";
        assertEquals(0, db.count(hour), "1h rollup rows differing from raw");
        assertEquals(
                0,
                db.count("SELECT count(*) FROM metric_rollup_1m m WHERE p95 <> (SELECT percentile_cont(0.95)"
                        + " WITHIN GROUP (ORDER BY value) FROM metric_sample s WHERE s.series_id = m.series_id"
                        + " AND s.ts >= m.bucket AND s.ts < m.bucket + interval '1 minute')"),
                "p95 per minute");
    }

    @Test
    void avgMinMaxAtEveryResolutionMatchTheRawData() {
        long to = clock.millis();
        long from = start;
        for (String agg : List.of("avg", "min", "max")) {
            for (String[] rs : List.of(
                    new String[] {"raw", "60000"},
                    new String[] {"raw", "300000"},
                    new String[] {"1m", "300000"},
                    new String[] {"1h", "3600000"})) {
                QueryParams.Range q = range(
                        "name",
                        "host_cpu_usage_percent",
                        "from",
                        "" + from,
                        "to",
                        "" + to,
                        "step",
                        rs[1] + "ms",
                        "agg",
                        agg,
                        "resolution",
                        rs[0],
                        "agent",
                        A);
                List<QueryEngine.Series> s = engine.query(q);
                assertEquals(1, s.size());
                assertEquals(Map.of("agent", A, "cpu", "total"), s.get(0).labels());
                assertPoints(
                        expected(from, to, Long.parseLong(rs[1]), agg), s.get(0).points());
            }
        }
    }

    @Test
    void theResolutionFollowsStepAndRetention() {
        assertEquals(
                Resolution.RAW,
                range("name", "x", "from", "now-6h", "step", "30s").resolution());
        assertEquals(
                Resolution.MINUTE,
                range("name", "x", "from", "now-6h", "step", "5m").resolution());
        assertEquals(
                Resolution.HOUR,
                range("name", "x", "from", "now-6h", "step", "2h").resolution());
        QueryParams.Range old = range("name", "x", "from", "now-5d", "step", "10s");
        assertEquals(Resolution.MINUTE, old.resolution(), "raw is kept 2 days only");
        assertEquals(60_000, old.step(), "the step grows to the bucket");
        assertEquals(
                Resolution.HOUR,
                range("name", "x", "from", "now-60d", "step", "1m").resolution());
        assertEquals(Resolution.RAW, range("name", "x").resolution(), "default: last hour, 15 s steps");
        assertEquals(15_000, range("name", "x").step());
    }

    @Test
    void p95IsExactOnRawAndPerMinuteOnRollups() {
        long from = start;
        long to = start + 600_000;
        List<double[]> raw = p95Points(from, to, "raw");
        List<double[]> minute = p95Points(from, to, "1m");
        assertEquals(10, raw.size());
        for (int i = 0; i < raw.size(); i++) {
            assertEquals(raw.get(i)[1], minute.get(i)[1], 1e-9);
        }
        double[] sorted = new double[6];
        int first = (int) ((Math.floorDiv(start, 60_000) * 60_000 + 60_000 - start) / STEP); // first whole minute
        for (int k = 0; k < 6; k++) {
            sorted[k] = cpu(B, first + k);
        }
        Arrays.sort(sorted);
        double exact = sorted[4] + 0.75 * (sorted[5] - sorted[4]); // percentile_cont(0.95) of 6 values
        double[] whole = raw.stream()
                .filter(p -> p[0] == Math.floorDiv(start, 60_000) * 60_000 + 60_000)
                .findFirst()
                .orElseThrow();
        assertEquals(exact, whole[1], 1e-9);
    }

    /** The p95 per minute of agent B's CPU between from and to, read at this resolution. */
    private List<double[]> p95Points(long from, long to, String resolution) {
        return engine.query(range(
                        "name",
                        "host_cpu_usage_percent",
                        "from",
                        "" + from,
                        "to",
                        "" + to,
                        "step",
                        "1m",
                        "agg",
                        "p95",
                        "resolution",
                        resolution,
                        "agent",
                        B))
                .get(0)
                .points();
    }

    @Test
    void sumAddsTheSeriesOfAllAgents() {
        long hour = Math.floorDiv(start, 3_600_000L) * 3_600_000L + 3_600_000L;
        for (String res : List.of("raw", "1m", "1h")) {
            List<QueryEngine.Series> s = engine.query(range(
                    "name",
                    "host_cpu_usage_percent",
                    "from",
                    "" + hour,
                    "to",
                    "" + (hour + 3_600_000),
                    "step",
                    "1h",
                    "agg",
                    "sum",
                    "resolution",
                    res));
            assertEquals(1, s.size());
            assertEquals(Map.of("cpu", "total"), s.get(0).labels(), "labels common to all series");
            double a = 0;
            double b = 0;
            int first = (int) ((hour - start) / STEP);
            for (int i = first; i < first + 360; i++) {
                a += cpu(A, i);
                b += cpu(B, i);
            }
            assertEquals(1, s.get(0).points().size());
            assertEquals(a / 360 + b / 360, s.get(0).points().get(0)[1], 1e-6, res);
        }
    }

    @Test
    void rateIsThePerSecondIncreaseAndSurvivesResets() {
        for (String res : List.of("raw", "1m")) {
            List<double[]> p = byAgent(engine.query(range(
                            "name",
                            "requests_total",
                            "from",
                            "" + (start + 600_000),
                            "to",
                            "" + (start + 9_000_000),
                            "step",
                            "5m",
                            "agg",
                            "rate",
                            "resolution",
                            res)))
                    .get(A);
            assertEquals(28, p.size(), res);
            for (double[] point : p) {
                long resetBucket = Math.floorDiv(start + 500 * STEP, 300_000) * 300_000;
                if ((long) point[0] != resetBucket) {
                    assertEquals(0.5, point[1], 1e-9, res + " at " + Instant.ofEpochMilli((long) point[0]));
                } else {
                    assertTrue(point[1] > 0 && point[1] < 0.5, "after a reset the increase restarts from 0");
                }
            }
        }
    }

    @Test
    void tooManyPointsOrSeriesAre400WithTheField() {
        ApiException e = assertThrows(
                ApiException.class,
                () -> range("name", "x", "from", "now-1d", "to", "now", "step", "1s", "resolution", "raw"));
        assertEquals("step", e.errors().get(0).field());
        MetricsStorage small =
                MetricsStorage.open(db.dataSource(), Settings.defaults().withLimits(1, 11000, 100), clock);
        QueryEngine e2 = new QueryEngine(small);
        ApiException series = assertThrows(ApiException.class, () -> e2.query(range("name", "host_cpu_usage_percent")));
        assertEquals("name", series.errors().get(0).field());
        MetricsStorage fewPoints =
                MetricsStorage.open(db.dataSource(), Settings.defaults().withLimits(10, 11000, 300), clock);
        ApiException points = assertThrows(ApiException.class, () -> new QueryEngine(fewPoints)
                .query(range("name", "host_cpu_usage_percent", "from", "now-1h", "step", "15s")));
        assertEquals("step", points.errors().get(0).field());
    }

    @Test
    void unknownNamesAndLabelsGiveNoSeries() {
        assertTrue(engine.query(range("name", "nothing_here")).isEmpty());
        assertTrue(engine.query(range("name", "host_cpu_usage_percent", "agent", "agent-zzz"))
                .isEmpty());
    }
}
