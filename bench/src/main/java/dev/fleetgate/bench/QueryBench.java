package dev.fleetgate.bench;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Query latency through a live core over HTTP, over 24 h of 1,000 series at 10 s (8.64 M raw rows; 10 simulated
 * agents × 100 series) sent in syncs as agents send them, rolled up by the core's own maintenance job, then asked
 * through {@code GET /api/v1/metrics/query} and {@code /top} at raw and rolled-up resolutions (each time: request,
 * query, JSON answer read by the client). Then, side by side in the same run, the same queries again once
 * {@code --extra-series} (default 99,000) more series of the same metric from other simulated agents (1,000 each)
 * are stored.
 *
 * <p>A query over the 1,000 series needs the core's {@code maxSeriesPerQuery} at 1,000 or more (default 500):
 * with {@code --core-home} (the core's directory, {@code CORE_HOMES} of {@code bench/run-cores.sh}) the bench sets it
 * in {@code etc/dev.fleetgate.metrics.cfg}, which Karaf applies at once. Reads of the database are plain JDBC
 * (series count, whether the rollups caught up, {@code VACUUM ANALYZE}).
 */
final class QueryBench {
    private static final int AGENTS = 10;
    private static final int SERIES_PER_AGENT = 100;
    private static final int EXTRA_PER_AGENT = 1000;
    private static final int RUNS = 7;
    private static final String METRICS_PID = "dev.fleetgate.metrics";

    /** Every query selects the 1,000 loaded series by this label, with or without the extra series. */
    private static final String LOADED = "src=load";

    private final int extraSeries;
    /** Hours of data loaded (24; fewer only to try the bench out: the 24 h queries then cover less data). */
    private final int hours;

    private final String core;
    private final String coreHome;
    private final CoreClient admin;
    private final HttpClient http;
    private final ConnectionPool pool;
    private final List<SyncBench.SimAgent> agents = new ArrayList<>();

    QueryBench(Map<String, String> a, int extraSeries) throws Exception {
        this.extraSeries = extraSeries;
        hours = Integer.parseInt(a.getOrDefault("query-hours", "24"));
        core = a.get("core").split(",")[0];
        coreHome = a.get("core-home") == null ? null : a.get("core-home").split(",")[0];
        admin = new CoreClient(core).login(a.getOrDefault("user", "admin"), a.get("password"));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(2, r -> SyncBench.daemon(r, "bench-query")))
                .build();
        pool = new ConnectionPool(a.get("db-url"), a.get("db-user"), a.get("db-password"), 2);
    }

    void run() throws Exception {
        System.out.println();
        System.out.printf("## Queries over %d h of 1,000 series at 10 s, through the core over HTTP%n", hours);
        allowQueriesOf(AGENTS * SERIES_PER_AGENT);
        for (int i = 0; i < AGENTS; i++) {
            agents.add(agent("bench-query-" + i));
        }
        long now = System.currentTimeMillis();
        long start = now - hours * 3_600_000L;
        long t0 = System.nanoTime();
        long rows = 0;
        for (int hour = 0; hour < hours; hour++) {
            for (SyncBench.SimAgent agent : agents) {
                byte[] json = MetricsBench.batchJson(SERIES_PER_AGENT, 360, start + hour * 3_600_000L, "load");
                HttpIngestBench.post(http, agent, HttpIngestBench.syncBody(agent, json));
                rows += SERIES_PER_AGENT * 360;
            }
        }
        double load = (System.nanoTime() - t0) / 1e9;
        System.out.printf(
                "load: %,d rows in syncs in %.1f s (%,.0f rows/s, 36,000-row batches, one agent at a time)%n",
                rows, load, rows / load);
        t0 = System.nanoTime();
        long loaded = System.currentTimeMillis();
        awaitRollups(loaded);
        System.out.printf(
                "rollups of the load (1m from raw, 1h from 1m) by the core's maintenance job: caught up %.1f s after"
                        + " the load (including the wait for its next run, maintenanceIntervalSeconds)%n",
                (System.nanoTime() - t0) / 1e9);
        vacuum();
        queries();
        if (extraSeries > 0) {
            extra(now);
            queries();
        }
    }

    /** The same queries, printed with the number of series stored in all. */
    private void queries() throws Exception {
        System.out.printf("%nwith %,d series stored in all:%n", seriesCount());
        System.out.printf("%-58s %-5s %9s %9s %9s %9s%n", "query", "res", "points", "min ms", "median", "max");
        top("top 10 of 1,000 series by cpu, window 5m", "by=cpu,n=10,window=5m," + LOADED);
        top("top 10 of 1,000 series by cpu, window 1h", "by=cpu,n=10,window=1h," + LOADED);
        top("top 10 of 1,000 series by cpu, window 24h", "by=cpu,n=10,window=24h," + LOADED);
        String agent = "agent=" + agents.get(3).id;
        String one = agent + ",cpu=c42";
        range("1 series, 24 h, step 5m, raw", "from=now-24h,step=5m,resolution=raw," + one);
        range("1 series, 24 h, step 5m (auto: 1m)", "from=now-24h,step=5m," + one);
        range("1 series, 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + one);
        range("1 series, last 1 h, step 10s (auto: raw)", "from=now-1h,step=10s," + one);
        range("1 series, 24 h, step 5m, p95, raw", "from=now-24h,step=5m,agg=p95,resolution=raw," + one);
        range("1 series, 24 h, step 5m, rate (auto: 1m)", "from=now-24h,step=5m,agg=rate," + one);
        range("100 series (1 agent), 24 h, step 5m, raw", "from=now-24h,step=5m,resolution=raw," + agent);
        range("100 series (1 agent), 24 h, step 5m (auto: 1m)", "from=now-24h,step=5m," + agent);
        range("100 series (1 agent), 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + agent);
        range("1,000 series, sum, 24 h, step 15m, raw", "from=now-24h,step=15m,agg=sum,resolution=raw," + LOADED);
        range("1,000 series, sum, 24 h, step 15m (auto: 1m)", "from=now-24h,step=15m,agg=sum," + LOADED);
        range("1,000 series, 24 h, step 1h (auto: 1h)", "from=now-24h,step=1h," + LOADED);
    }

    /**
     * Adds {@code extraSeries} series of the same metric from other simulated agents (1,000 each, the last 5 minutes
     * at 10 s), so that the second pass runs with a fleet's worth of series stored.
     */
    private void extra(long now) throws Exception {
        long t0 = System.nanoTime();
        int n = (extraSeries + EXTRA_PER_AGENT - 1) / EXTRA_PER_AGENT;
        for (int i = 0; i < n; i++) {
            SyncBench.SimAgent agent = agent("bench-query-extra-" + i);
            agents.add(agent);
            byte[] json = MetricsBench.batchJson(EXTRA_PER_AGENT, 30, now - 300_000L, "extra");
            HttpIngestBench.post(http, agent, HttpIngestBench.syncBody(agent, json));
        }
        awaitRollups(System.currentTimeMillis());
        vacuum();
        System.out.printf(
                "%nadded %,d series of %,d more agents (5 min at 10 s each) through syncs in %.1f s%n",
                n * EXTRA_PER_AGENT, n, (System.nanoTime() - t0) / 1e9);
    }

    private SyncBench.SimAgent agent(String name) throws Exception {
        SyncBench.SimAgent s = new SyncBench.SimAgent(http, core, admin.enroll(name + "-" + System.nanoTime()));
        s.sync(0);
        return s;
    }

    /** Sets the core's {@code maxSeriesPerQuery} to at least {@code n} (FileInstall applies the file). */
    private void allowQueriesOf(int n) throws IOException {
        if (coreHome == null) {
            System.out.println("(no --core-home: the core keeps its maxSeriesPerQuery; queries of more series than it"
                    + " allows answer 400)");
            return;
        }
        Path cfg = Path.of(coreHome, "etc", METRICS_PID + ".cfg");
        String text = Files.exists(cfg) ? Files.readString(cfg) : "";
        Matcher m =
                Pattern.compile("(?m)^maxSeriesPerQuery\\s*=\\s*(\\d+)\\s*$").matcher(text);
        if (m.find() && Integer.parseInt(m.group(1)) >= n) {
            return;
        }
        String line = "maxSeriesPerQuery = " + n;
        Files.writeString(cfg, m.find(0) ? m.replaceFirst(line) : text + "\n" + line + "\n");
        System.out.println("set " + line + " in " + cfg);
    }

    /** Waits until the core's maintenance job has rolled up everything stored up to {@code until}. */
    private void awaitRollups(long until) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (System.nanoTime() < deadline) {
            try (Connection c = pool.getConnection();
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM metric_rollup_pending) = 0"
                            + " AND coalesce((SELECT done_until FROM metric_rollup_state WHERE resolution = '1m')"
                            + " >= to_timestamp(" + until / 1000 + ") - interval '1 minute', false)")) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
            Thread.sleep(500); // polling the database; the job runs on the core's own schedule
        }
        throw new IllegalStateException("the core's rollups did not catch up within 30 minutes");
    }

    private void vacuum() throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("VACUUM ANALYZE");
        }
    }

    private long seriesCount() throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM metric_series")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** {@code name=bench_metric} and the {@code k=v} pairs of {@code csv} as a query string. */
    private static String query(String csv) {
        StringBuilder q = new StringBuilder("name=bench_metric");
        for (String kv : csv.split(",")) {
            String[] x = kv.split("=", 2);
            q.append('&').append(x[0]).append('=').append(URLEncoder.encode(x[1], StandardCharsets.UTF_8));
        }
        return q.toString();
    }

    private void range(String label, String csv) throws Exception {
        timed(label, "/api/v1/metrics/query?" + query(csv), answer -> {
            long points = 0;
            for (JsonNode s : answer.path("series")) {
                points += s.path("points").size();
            }
            return points;
        });
    }

    private void top(String label, String csv) throws Exception {
        timed(label, "/api/v1/metrics/top?" + query(csv), answer -> answer.path("items")
                .size());
    }

    private void timed(String label, String path, java.util.function.ToLongFunction<JsonNode> count) throws Exception {
        List<Double> ms = new ArrayList<>();
        JsonNode answer = null;
        for (int i = 0; i < RUNS; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> r = admin.get(path);
            ms.add((System.nanoTime() - t0) / 1e6);
            if (r.statusCode() != 200) {
                System.out.printf("%-58s answered %d: %s%n", label, r.statusCode(), r.body());
                return;
            }
            answer = CoreClient.JSON.readTree(r.body());
        }
        print(label, answer.path("resolution").asText(), count.applyAsLong(answer), ms);
    }

    private static void print(String label, String res, long points, List<Double> ms) {
        ms.sort(null);
        System.out.printf(
                "%-58s %-5s %9d %9.1f %9.1f %9.1f%n",
                label, res, points, ms.get(0), ms.get(ms.size() / 2), ms.get(ms.size() - 1));
    }

    void close() throws Exception {
        for (SyncBench.SimAgent s : agents) {
            admin.delete("/api/v1/agents/" + s.id);
        }
        pool.close();
    }
}
