package dev.fleetgate.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.fleetgate.metrics.internal.Ingestor;
import dev.fleetgate.metrics.internal.MetricsStorage;
import dev.fleetgate.metrics.internal.QueryEngine;
import dev.fleetgate.metrics.internal.QueryParams;
import dev.fleetgate.metrics.internal.Settings;
import dev.fleetgate.metrics.internal.Summaries;

/**
 * Query latency over 24 h of 1,000 series at 10 s (8.64 M raw rows; 10 agents × 100 series),
 * loaded through the ingestion path, rolled up by the maintenance job, then queried at raw
 * and rolled-up resolutions (engine calls, no HTTP). Then, side by side in the same run, the
 * same queries again once {@code --extra-series} (default 99,000) more series of the same metric
 * from 990 other agents are stored: 10,000 agents' worth of series.
 */
final class QueryBench {
    private static final int AGENTS = 10;
    private static final int SERIES_PER_AGENT = 100;
    private static final int RUNS = 7;

    /** Every query selects the 1,000 loaded series by this label, with or without the extra series. */
    private static final String LOADED = "src=load";

    private final ConnectionPool pool;
    private final int extraSeries;

    QueryBench(ConnectionPool pool, int extraSeries) {
        this.pool = pool;
        this.extraSeries = extraSeries;
    }

    void run() throws Exception {
        Settings settings = Settings.defaults().withLimits(AGENTS * SERIES_PER_AGENT, 11000, 2_000_000);
        MetricsStorage storage = MetricsStorage.open(pool, settings, Clock.systemUTC());
        MetricsBench.truncate(pool);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(
                    "TRUNCATE metric_series, metric_rollup_1m, metric_rollup_1h, metric_rollup_state RESTART IDENTITY");
        }
        System.out.println();
        System.out.println("## Queries over 24 h of 1,000 series at 10 s");
        long now = System.currentTimeMillis();
        long start = now - 24 * 3_600_000L;
        Ingestor ingestor = new Ingestor(storage);
        long t0 = System.nanoTime();
        long rows = 0;
        for (int hour = 0; hour < 24; hour++) {
            for (int agent = 0; agent < AGENTS; agent++) {
                byte[] json = MetricsBench.batchJson(SERIES_PER_AGENT, 360, start + hour * 3_600_000L, "load");
                ingestor.accept("bench-agent-" + agent, MetricsBench.MAPPER.readTree(json));
                rows += SERIES_PER_AGENT * 360;
            }
        }
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "load: %,d rows through the ingestion path in %.1f s (%,.0f rows/s, 36,000-row batches)%n",
                rows, load, rows / load);
        t0 = System.nanoTime();
        storage.maintain();
        System.out.printf(
                "rollups of the 24 h (1m from raw, 1h from 1m) by the maintenance job: %.1f s%n",
                (System.nanoTime() - t0) / 1e9);
        t0 = System.nanoTime();
        storage.maintain();
        System.out.printf(
                "a regular maintenance run afterwards (last minutes + tolerance): %.0f ms%n",
                (System.nanoTime() - t0) / 1e6);
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        QueryEngine engine = new QueryEngine(storage);
        Summaries summaries = new Summaries(storage);
        queries(engine, summaries, storage);
        if (extraSeries > 0) {
            extra(ingestor, storage, now);
            queries(engine, summaries, storage);
        }
        storage.close();
    }

    /** The same queries, printed with the number of series stored in all. */
    private void queries(QueryEngine engine, Summaries summaries, MetricsStorage storage) throws Exception {
        System.out.printf("%nwith %,d series stored in all:%n", seriesCount());
        System.out.printf("%-58s %-5s %9s %9s %9s %9s%n", "query", "res", "points", "min ms", "median", "max");
        top(summaries, storage, "top 10 of 1,000 series by cpu, window 5m", "by=cpu,n=10,window=5m," + LOADED);
        top(summaries, storage, "top 10 of 1,000 series by cpu, window 1h", "by=cpu,n=10,window=1h," + LOADED);
        top(summaries, storage, "top 10 of 1,000 series by cpu, window 24h", "by=cpu,n=10,window=24h," + LOADED);
        String one = "agent=bench-agent-3,cpu=c42";
        range(engine, storage, "1 series, 24 h, step 5m, raw", "from=now-24h,step=5m,resolution=raw," + one);
        range(engine, storage, "1 series, 24 h, step 5m (auto: 1m)", "from=now-24h,step=5m," + one);
        range(engine, storage, "1 series, 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + one);
        range(engine, storage, "1 series, last 1 h, step 10s (auto: raw)", "from=now-1h,step=10s," + one);
        range(
                engine,
                storage,
                "1 series, 24 h, step 5m, p95, raw",
                "from=now-24h,step=5m,agg=p95,resolution=raw," + one);
        range(engine, storage, "1 series, 24 h, step 5m, rate (auto: 1m)", "from=now-24h,step=5m,agg=rate," + one);
        String agent = "agent=bench-agent-3";
        range(
                engine,
                storage,
                "100 series (1 agent), 24 h, step 5m, raw",
                "from=now-24h,step=5m,resolution=raw," + agent);
        range(engine, storage, "100 series (1 agent), 24 h, step 5m (auto: 1m)", "from=now-24h,step=5m," + agent);
        range(engine, storage, "100 series (1 agent), 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + agent);
        range(
                engine,
                storage,
                "1,000 series, sum, 24 h, step 15m, raw",
                "from=now-24h,step=15m,agg=sum,resolution=raw," + LOADED);
        range(
                engine,
                storage,
                "1,000 series, sum, 24 h, step 15m (auto: 1m)",
                "from=now-24h,step=15m,agg=sum," + LOADED);
        range(engine, storage, "1,000 series, 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + LOADED);
    }

    /**
     * Adds {@code extraSeries} series of the same metric from other agents (100 each, the last
     * 5 minutes at 10 s), so that the second pass runs with a fleet's worth of series stored.
     */
    private void extra(Ingestor ingestor, MetricsStorage storage, long now) throws Exception {
        long t0 = System.nanoTime();
        int agents = (extraSeries + SERIES_PER_AGENT - 1) / SERIES_PER_AGENT;
        for (int agent = 0; agent < agents; agent++) {
            byte[] json = MetricsBench.batchJson(SERIES_PER_AGENT, 30, now - 300_000L, "extra");
            ingestor.accept("extra-agent-" + agent, MetricsBench.MAPPER.readTree(json));
        }
        storage.maintain();
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
        System.out.printf(
                "%nadded %,d series of %,d more agents (5 min at 10 s each) in %.1f s%n",
                agents * SERIES_PER_AGENT, agents, (System.nanoTime() - t0) / 1e9);
    }

    private long seriesCount() throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM metric_series")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Map<String, List<String>> params(String csv) {
        Map<String, List<String>> p = new HashMap<>();
        p.put("name", List.of("bench_metric"));
        for (String kv : csv.split(",")) {
            String[] x = kv.split("=", 2);
            p.put(x[0], List.of(x[1]));
        }
        return p;
    }

    private static void range(QueryEngine engine, MetricsStorage storage, String label, String csv) {
        QueryParams.Range q = QueryParams.range(params(csv), System.currentTimeMillis(), storage.settings());
        List<Double> ms = new ArrayList<>();
        long points = 0;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            List<QueryEngine.Series> s = engine.query(q);
            ms.add((System.nanoTime() - t0) / 1e6);
            points = s.stream().mapToLong(x -> x.points().size()).sum();
        }
        print(label, q.resolution().label(), points, ms);
    }

    private static void top(Summaries summaries, MetricsStorage storage, String label, String csv) {
        QueryParams.Top q = QueryParams.top(params(csv), System.currentTimeMillis(), storage.settings());
        List<Double> ms = new ArrayList<>();
        long items = 0;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            items = summaries.top(q).size();
            ms.add((System.nanoTime() - t0) / 1e6);
        }
        print(label, q.resolution().label(), items, ms);
    }

    private static void print(String label, String res, long points, List<Double> ms) {
        ms.sort(null);
        System.out.printf(
                "%-58s %-5s %9d %9.1f %9.1f %9.1f%n",
                label, res, points, ms.get(0), ms.get(ms.size() / 2), ms.get(ms.size() - 1));
    }
}
