package dev.fleetgate.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Metrics ingestion through a live core over HTTP: {@code --threads} simulated agents each
 * POST syncs ({@code wait=0}) carrying one batch, back to back, against the binary-COPY ceiling
 * of the same rows into the same core's {@code metric_sample} ({@link SampleCopy}, plain JDBC),
 * same threads, same run. The core
 * streams the batch from the request bytes into COPY rows (no tree). Prints rows/s, the ratio,
 * and the core's CPU per 1,000 samples (from {@code /proc/<pid>/stat}) beside the bench's own. The posts go
 * through the lean client ({@link Http1}: one keep-alive connection per agent, the next body sent as soon as the
 * answer is read); {@code --sync-client jdk} uses {@code java.net.http} as before.
 */
final class HttpIngestBench {
    private final CoreClient admin;
    private final HttpClient http;
    private final String corePid;
    private final ConnectionPool pool;
    /** Seconds of syncs of each shape before it is measured ({@code --ingest-warmup}, default 5). */
    private final int warmupSeconds;

    private final java.util.concurrent.atomic.AtomicBoolean staleWarned =
            new java.util.concurrent.atomic.AtomicBoolean();

    private final List<SyncBench.SimAgent> agents = new ArrayList<>();
    /** The lean client (null with {@code --sync-client jdk}): one keep-alive connection per agent. */
    private final Http1.Loop loop;

    private final List<Http1.Caller> callers = new ArrayList<>();

    HttpIngestBench(Map<String, String> a, int threads) throws Exception {
        String core = a.get("core").split(",")[0];
        admin = new CoreClient(core).login(a.getOrDefault("user", "admin"), a.get("password"));
        http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(2, r -> SyncBench.daemon(r, "bench-http")))
                .build();
        corePid = a.get("core-pid") == null ? null : a.get("core-pid").split(",")[0];
        pool = new ConnectionPool(a.get("db-url"), a.get("db-user"), a.get("db-password"), threads + 1);
        for (int t = 0; t < threads; t++) {
            SyncBench.SimAgent s =
                    new SyncBench.SimAgent(http, core, admin.enroll("bench-metrics-" + System.nanoTime()));
            s.sync(0);
            s.sync(0);
            agents.add(s);
        }
        warmupSeconds = Integer.parseInt(a.getOrDefault("ingest-warmup", "5"));
        loop = "jdk".equals(a.get("sync-client")) ? null : new Http1.Loop("bench-ingest", () -> 1_000_000_000L);
        for (SyncBench.SimAgent s : agents) {
            if (loop != null) {
                callers.add(new Http1.Caller(loop, Http1.address(s.core)));
            }
        }
        System.out.println("client: " + (loop != null ? "lean (Http1, one keep-alive connection per agent)" : "jdk"));
    }

    /** Two rounds of ceiling then the HTTP path for one batch shape; updates {ratio, rows/s} of the worst round. */
    void ingest(int series, int points, int seconds, double[] worst) throws Exception {
        int threads = agents.size();
        int rows = series * points;
        System.out.printf("%n%d series × %d points = %,d rows per batch (one sync), over HTTP%n", series, points, rows);
        for (SyncBench.SimAgent s : agents) { // report what the core wants applied, as a real agent does: a
            for (int i = 0; i < 5 && s.sync(0); i++) { // stale report would make every answer carry the sections
                Thread.sleep(200);
            }
        }
        List<byte[]> bodies = new ArrayList<>();
        List<ByteBuffer> requests = new ArrayList<>(); // built once per body
        for (int t = 0; t < threads; t++) {
            SyncBench.SimAgent s = agents.get(t);
            bodies.add(syncBody(
                    s,
                    MetricsBench.batchJson(
                            series, points, System.currentTimeMillis() - points * MetricsBench.INTERVAL, "h" + t)));
            requests.add(Http1.post(s.core, "/api/v1/agents/" + s.id + "/sync?wait=0", s.key, bodies.get(t)));
        }
        for (int t = 0; t < threads; t++) { // warm: series created and cached, as on a running core
            post(t, bodies.get(t), requests.get(t));
        }
        if (warmupSeconds > 0) { // and compiled: a freshly started core's first seconds are its JIT's
            MetricsBench.run(threads, warmupSeconds, t -> () -> {
                post(t, bodies.get(t), requests.get(t));
                return rows;
            });
            if (loop != null) {
                MetricsBench.run(threads, warmupSeconds, t -> new Confirmed(t, rows, bodies.get(t)));
            }
        }
        double emptyMs = floor(series, points, seconds);
        for (int round = 1; round <= 2; round++) {
            truncate();
            MetricsBench.Result ceiling = MetricsBench.run(threads, seconds, t -> {
                byte[] copy =
                        SampleCopy.rows(series, points, System.currentTimeMillis() - points * MetricsBench.INTERVAL);
                return () -> {
                    try (Connection c = pool.getConnection()) {
                        return SampleCopy.copy(c, copy);
                    }
                };
            });
            truncate();
            long cpu0 = SyncBench.cpuTicks(corePid);
            long self0 = SyncBench.cpuTicks("self");
            MetricsBench.Result path = MetricsBench.run(threads, seconds, t -> () -> {
                post(t, bodies.get(t), requests.get(t));
                return rows;
            });
            long cpu1 = SyncBench.cpuTicks(corePid);
            long self1 = SyncBench.cpuTicks("self");
            print(round, "answered after the commit (no metricsBatch)", ceiling, path, cpu1 - cpu0, self1 - self0);
            double copyMs = threads * rows * 1000.0 / ceiling.rate(); // mean per batch and thread
            System.out.printf(
                    Locale.ROOT,
                    "           bound: an agent answered after its rows commit waits at least an empty sync (%.2f ms)"
                            + " plus a COPY of its rows (the ceiling's mean, %.2f ms): at most %.2f× of this ceiling%n",
                    emptyMs,
                    copyMs,
                    copyMs / (copyMs + emptyMs));
            double ratio = path.rate() / ceiling.rate();
            if (loop != null) { // as agents send: confirmations in later answers, every batch committed in the time
                truncate();
                cpu0 = SyncBench.cpuTicks(corePid);
                self0 = SyncBench.cpuTicks("self");
                path = MetricsBench.run(threads, seconds, t -> new Confirmed(t, rows, bodies.get(t)));
                cpu1 = SyncBench.cpuTicks(corePid);
                self1 = SyncBench.cpuTicks("self");
                print(
                        round,
                        "confirmed later (metricsBatch, as agents send)",
                        ceiling,
                        path,
                        cpu1 - cpu0,
                        self1 - self0);
                ratio = path.rate() / ceiling.rate();
            }
            if (ratio < worst[0]) {
                worst[0] = ratio;
                worst[1] = path.rate();
            }
        }
    }

    private void print(
            int round,
            String mode,
            MetricsBench.Result ceiling,
            MetricsBench.Result path,
            long coreTicks,
            long selfTicks) {
        String cpu = corePid == null
                ? "core CPU not measured"
                : String.format(
                        Locale.ROOT,
                        "core CPU %.1f%% of one core, %.2f ms CPU per 1k samples",
                        coreTicks / path.seconds(),
                        coreTicks * 10.0 / path.rows() * 1000);
        String bench = String.format(
                Locale.ROOT,
                "bench CPU %.1f%% of one core, %.2f ms per 1k samples",
                selfTicks / path.seconds(),
                selfTicks * 10.0 / path.rows() * 1000);
        System.out.printf(
                "  round %d: ceiling %,.0f rows/s (%.1f ms/batch p50) | HTTP path, %s: %,.0f rows/s"
                        + " (%.1f ms/sync p50, %.1f p99) = %.2f× | %s | %s | load average %s%n",
                round,
                ceiling.rate(),
                ceiling.p(0.5),
                mode,
                path.rate(),
                path.p(0.5),
                path.p(0.99),
                path.rate() / ceiling.rate(),
                cpu,
                bench,
                SyncBench.loadAverage());
    }

    /** Batch ids per agent, unique over the run (the core confirms them by id). */
    private final java.util.Map<Integer, java.util.concurrent.atomic.AtomicLong> batchIds =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One simulated agent sending its batches as agents do: each sync carries a {@code metricsBatch} id, the core
     * may answer before the commit and confirms the id in a later answer ({@code metricsStored}). The run's rows
     * count only once confirmed: after the measured seconds the agent sends empty syncs until every batch it sent
     * is confirmed, within the measured time.
     */
    private final class Confirmed implements MetricsBench.Batch {
        private final int t;
        private final int rows;
        private final ByteBuffer request;
        private final int idAt;
        private final ByteBuffer empty;
        private final java.util.Set<Long> open = new java.util.HashSet<>();
        private final java.util.concurrent.atomic.AtomicLong ids;

        Confirmed(int t, int rows, byte[] body) {
            this.t = t;
            this.rows = rows;
            SyncBench.SimAgent s = agents.get(t);
            String prefix = "{\"metricsBatch\":";
            byte[] withId = (prefix + " ".repeat(SyncBench.SimAgent.BATCH_DIGITS) + ","
                            + new String(body, 1, body.length - 1, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            this.request = Http1.post(s.core, "/api/v1/agents/" + s.id + "/sync?wait=0", s.key, withId);
            this.idAt = request.limit() - withId.length + prefix.length();
            this.empty = s.syncRequest(0);
            this.ids = batchIds.computeIfAbsent(t, k -> new java.util.concurrent.atomic.AtomicLong());
        }

        @Override
        public long run() throws Exception {
            long id = ids.incrementAndGet();
            SyncBench.SimAgent.putBatchId(request.array(), idAt, id);
            open.add(id);
            confirm(call(request));
            return rows;
        }

        @Override
        public void drain() throws Exception {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!open.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(open.size() + " batches not confirmed within 60 s");
                }
                confirm(call(empty));
            }
        }

        private String call(ByteBuffer r) throws Exception {
            Http1.Response res = callers.get(t).call(r.duplicate()).get(60, TimeUnit.SECONDS);
            if (res.status() != 200) {
                throw new IllegalStateException("sync answered " + res.status() + ": " + res.body());
            }
            return res.body();
        }

        private void confirm(String answer) {
            List<Long> stored = ids(answer, "metricsStored");
            if (stored == null) {
                throw new IllegalStateException("the core does not confirm metric batches: " + answer);
            }
            List<Long> failed = ids(answer, "metricsFailed");
            if (failed != null && !failed.isEmpty()) {
                throw new IllegalStateException("the core could not store batches " + failed);
            }
            stored.forEach(open::remove);
        }
    }

    /** The ids of {@code "field":[1,2]} in an answer, or null without the field. */
    static List<Long> ids(String answer, String field) {
        int at = answer.indexOf("\"" + field + "\":[");
        if (at < 0) {
            return null;
        }
        int from = at + field.length() + 4;
        int to = answer.indexOf(']', from);
        List<Long> out = new ArrayList<>();
        for (String n : answer.substring(from, to).split(",")) {
            if (!n.isBlank()) {
                out.add(Long.parseLong(n.trim()));
            }
        }
        return out;
    }

    /**
     * What a sync carrying metrics costs at least, for an agent that waits for its answer: an empty sync (the same
     * agents' reports without metrics, back to back: HTTP, key check, report), printed with the share of the
     * ceiling's COPY that is the wait for its WAL flush ({@code synchronous_commit} on against off) — the part an
     * answer before the commit could overlap. @return an empty sync's mean time, ms
     */
    private double floor(int series, int points, int seconds) throws Exception {
        int threads = agents.size();
        List<byte[]> emptyBodies = new ArrayList<>();
        List<ByteBuffer> empty = new ArrayList<>();
        for (SyncBench.SimAgent s : agents) {
            emptyBodies.add(s.body().getBytes(StandardCharsets.UTF_8));
            empty.add(s.syncRequest(0));
        }
        MetricsBench.Result syncs = MetricsBench.run(threads, seconds, t -> () -> {
            post(t, emptyBodies.get(t), empty.get(t));
            return 1;
        });
        double[] commit = new double[2];
        for (int on = 0; on < 2; on++) {
            truncate();
            String mode = on == 1 ? "on" : "off";
            List<Connection> held = java.util.Collections.synchronizedList(new ArrayList<>());
            try {
                MetricsBench.Result r = MetricsBench.run(threads, seconds, t -> {
                    byte[] copy = SampleCopy.rows(
                            series, points, System.currentTimeMillis() - points * MetricsBench.INTERVAL);
                    Connection c = pool.getConnection();
                    held.add(c);
                    try (Statement st = c.createStatement()) {
                        st.execute("SET synchronous_commit TO " + mode);
                    }
                    return () -> SampleCopy.copy(c, copy);
                });
                commit[on] = r.p(0.5);
            } finally {
                for (Connection c : held) {
                    try (Statement st = c.createStatement()) {
                        st.execute("RESET synchronous_commit");
                    }
                    c.close();
                }
            }
        }
        double emptyMs = threads * 1000.0 / syncs.rate(); // mean per sync and agent
        System.out.printf(
                "  floor: empty syncs %,.0f/s (%.2f ms each); the ceiling's COPY p50 %.2f ms with its commit waiting"
                        + " for the WAL flush, %.2f ms without (synchronous_commit off)%n",
                syncs.rate(), emptyMs, commit[1], commit[0]);
        return emptyMs;
    }

    private void post(int t, byte[] body, ByteBuffer request) throws Exception {
        if (loop == null) {
            post(http, agents.get(t), body);
            return;
        }
        Http1.Response r = callers.get(t).call(request.duplicate()).get(60, TimeUnit.SECONDS);
        if (r.status() != 200) {
            throw new IllegalStateException("sync with metrics answered " + r.status() + ": " + r.body());
        }
        if (r.body().contains("\"sections\":{\"") && staleWarned.compareAndSet(false, true)) {
            System.out.println("!!! the core answers a sync with sections: the agent's report is stale, every sync"
                    + " pays for reading them");
        }
    }

    /** A sync request of {@code s} carrying {@code metrics} (a JSON array, as agents send it). */
    static byte[] syncBody(SyncBench.SimAgent s, byte[] metrics) {
        String report = s.body();
        return (report.substring(0, report.length() - 1) + ",\"metrics\":" + new String(metrics, StandardCharsets.UTF_8)
                        + "}")
                .getBytes(StandardCharsets.UTF_8);
    }

    /** POSTs one sync ({@code wait=0}) as agent {@code s}. */
    static void post(HttpClient http, SyncBench.SimAgent s, byte[] body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(s.core + "/api/v1/agents/" + s.id + "/sync?wait=0"))
                .header("Authorization", "Bearer " + s.key)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> res = http.send(r, HttpResponse.BodyHandlers.ofString());
        if (res.statusCode() != 200) {
            throw new IllegalStateException("sync with metrics answered " + res.statusCode() + ": " + res.body());
        }
    }

    private void truncate() throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE metric_sample, metric_rollup_pending");
        }
    }

    void close() throws Exception {
        for (SyncBench.SimAgent s : agents) {
            admin.delete("/api/v1/agents/" + s.id);
        }
        pool.close();
        if (loop != null) {
            loop.close();
        }
    }
}
