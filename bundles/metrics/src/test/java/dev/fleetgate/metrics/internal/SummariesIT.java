package dev.fleetgate.metrics.internal;

import static dev.fleetgate.metrics.internal.Batches.batch;
import static dev.fleetgate.metrics.internal.Batches.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.persistence.testing.MutableClock;

/** Top-N, latest values (also across cores) and metric names. */
class SummariesIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    private final MutableClock clock =
            new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(40));
    private MetricsStorage storage;
    private Ingestor ingestor;
    private Summaries summaries;

    @BeforeEach
    void start() {
        db.truncate();
        storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        ingestor = new Ingestor(storage);
        summaries = new Summaries(storage);
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    private long ago(int seconds) {
        return clock.millis() - seconds * 1000L;
    }

    private static Map<String, List<String>> params(String... kv) {
        Map<String, List<String>> p = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put(kv[i], List.of(kv[i + 1]));
        }
        return p;
    }

    private void containers() throws Exception {
        // web runs on two agents; db and cache on one; a series without the label is left out
        ingestor.accept(
                "a1",
                batch().series("container_cpu_usage_percent", labels("container", "web"), ago(120), 10, ago(60), 30)
                        .series("container_cpu_usage_percent", labels("container", "db"), ago(120), 45, ago(60), 45)
                        .series("container_cpu_usage_percent", labels(), ago(60), 99)
                        .json());
        ingestor.accept(
                "a2",
                batch().series("container_cpu_usage_percent", labels("container", "web"), ago(120), 25, ago(60), 35)
                        .series("container_cpu_usage_percent", labels("container", "cache"), ago(120), 1, ago(60), 3)
                        .json());
        ingestor.accept(
                "a2",
                batch().series("container_cpu_usage_percent", labels("container", "cache"), ago(11400), 1000)
                        .json()); // outside the window
        storage.maintain();
    }

    @Test
    void topSumsEachLabelValuesSeriesOverTheWindow() throws Exception {
        containers();
        top(summaries);
    }

    @Test
    void topScanningTheWindowAnswersAsTopReadingEachSeries() throws Exception {
        containers();
        top(new Summaries(storage, 0));
    }

    private void top(Summaries summaries) {
        for (String window : List.of("30s", "5m", "2h")) {
            QueryParams.Top q = QueryParams.top(
                    params("name", "container_cpu_usage_percent", "by", "container", "n", "2", "window", window),
                    clock.millis(),
                    storage.settings());
            assertEquals("2h".equals(window), q.resolution() != Resolution.RAW, window + ": " + q.resolution());
            List<QueryEngine.Item> top = summaries.top(q);
            if ("30s".equals(window)) {
                assertTrue(top.isEmpty(), "no point in the last 30 s");
                continue;
            }
            assertEquals(2, top.size(), window);
            assertEquals(Map.of("container", "web"), top.get(0).labels());
            assertEquals(20 + 30, top.get(0).value(), 1e-9, "avg 20 on a1 + avg 30 on a2");
            assertEquals(2, top.get(0).series());
            assertEquals(Map.of("container", "db"), top.get(1).labels());
            assertEquals(45, top.get(1).value(), 1e-9);
        }
        for (String window : List.of("5m", "2h")) {
            List<QueryEngine.Item> max = summaries.top(QueryParams.top(
                    params(
                            "name",
                            "container_cpu_usage_percent",
                            "by",
                            "container",
                            "agg",
                            "max",
                            "agent",
                            "a2",
                            "window",
                            window),
                    clock.millis(),
                    storage.settings()));
            assertEquals(
                    List.of("web", "cache"),
                    max.stream().map(i -> i.labels().get("container")).toList(),
                    window);
            assertEquals(35, max.get(0).value(), 1e-9);
        }
    }

    @Test
    void latestComesFromMemoryAndGroupsByLabel() throws Exception {
        ingestor.accept(
                "a1",
                batch().series("host_cpu_usage_percent", labels("cpu", "total"), ago(20), 5, ago(10), 7)
                        .series("host_cpu_usage_percent", labels("cpu", "0"), ago(10), 9)
                        .json());
        ingestor.accept(
                "a2",
                batch().series("host_cpu_usage_percent", labels("cpu", "total"), ago(10), 40)
                        .json());
        ingestor.accept(
                "a2",
                batch().series("host_cpu_usage_percent", labels("cpu", "total"), ago(30), 1)
                        .json());
        List<QueryEngine.Item> byAgent = summaries.latest(QueryParams.latest(
                params("name", "host_cpu_usage_percent", "by", "agent", "cpu", "total"), storage.settings()));
        assertEquals(2, byAgent.size());
        assertEquals(Map.of("agent", "a1"), byAgent.get(0).labels());
        assertEquals(7, byAgent.get(0).value());
        assertEquals(ago(10), byAgent.get(0).timestamp());
        assertEquals(40, byAgent.get(1).value(), "an older point sent later does not replace the newer one");
        List<QueryEngine.Item> all = summaries.latest(
                QueryParams.latest(params("name", "host_cpu_usage_percent", "agent", "a1"), storage.settings()));
        assertEquals(2, all.size());
        assertEquals(Map.of("agent", "a1", "cpu", "0"), all.get(0).labels());

        clock.advance(Duration.ofMinutes(20));
        assertTrue(
                summaries
                        .latest(QueryParams.latest(params("name", "host_cpu_usage_percent"), storage.settings()))
                        .isEmpty(),
                "older than latestMaxAgeSeconds");
    }

    @Test
    void anotherCoreSeesLatestValuesAfterItsMaintenance() throws Exception {
        ingestor.accept(
                "a1",
                batch().series("host_memory_used_bytes", labels(), ago(10), 123).json());
        MetricsStorage other = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        Summaries otherView = new Summaries(other);
        QueryParams.Latest q =
                QueryParams.latest(params("name", "host_memory_used_bytes", "by", "agent"), other.settings());
        assertTrue(otherView.latest(q).isEmpty());
        other.maintain();
        assertEquals(123, otherView.latest(q).get(0).value());
    }

    @Test
    void namesListLabelKeysAndSeriesCounts() throws Exception {
        containers();
        List<QueryEngine.NameInfo> names = summaries.names();
        assertEquals(1, names.size());
        assertEquals("container_cpu_usage_percent", names.get(0).name());
        assertEquals(List.of("agent", "container"), names.get(0).labels());
        assertEquals(5, names.get(0).series());
    }
}
