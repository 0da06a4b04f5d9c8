package dev.fleetgate.bench;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.metrics.internal.CopyEncoder;
import dev.fleetgate.metrics.internal.Ingestor;
import dev.fleetgate.metrics.internal.MetricsStorage;
import dev.fleetgate.metrics.internal.Settings;

/**
 * Metrics ingestion and query benchmark, with the metrics bundle's classes on a scratch
 * database (created and dropped here). Prints figures; asserts nothing.
 *
 * <p>Ingestion: the whole path of a sync's batch (JSON bytes streamed into rows, as the core
 * hands them over → {@link Ingestor#acceptJson} → rows in PostgreSQL; and the former tree path)
 * beside the ceiling of the same
 * PostgreSQL: pre-encoded binary COPY of the same rows into the same partitioned table,
 * same batch sizes and threads, in the same run. Queries: see {@link QueryBench}.
 *
 * <pre>bench/run-metrics.sh [--seconds 15] [--threads 2] [--skip-query] [--skip-ingest] [--extra-series 99000]</pre>
 * With {@code --core URL --password PW [--core-pid PID] --db-url JDBC --db-user U --db-password P}:
 * ingestion through that live core over HTTP instead ({@link HttpIngestBench}).
 */
public final class MetricsBench {
    static final ObjectMapper MAPPER = new ObjectMapper();
    static final long INTERVAL = 10_000;

    private MetricsBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "15"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        if (a.containsKey("core")) { // through a live core over HTTP (bench/run-metrics.sh --http)
            System.out.printf(
                    "Metrics ingestion through the core %s over HTTP, %d agents in parallel; load average %s%n",
                    a.get("core"), threads, SyncBench.loadAverage());
            HttpIngestBench http = new HttpIngestBench(a, threads);
            double[] worst = {Double.MAX_VALUE, 0};
            http.ingest(1000, 100, seconds, worst);
            http.ingest(500, 6, seconds, worst);
            http.ingest(100, 1, seconds, worst);
            http.close();
            System.out.println(
                    String.format(java.util.Locale.ROOT, "ingest_ratio=%.2f samples_per_s=%.0f", worst[0], worst[1]));
            System.exit(0);
        }
        try (ScratchDatabase scratch = new ScratchDatabase()) {
            String url = scratch.url();
            String user = scratch.user;
            String password = scratch.password;
            String db = scratch.name;
            System.out.printf(
                    "Metrics benchmark: PostgreSQL %s, %d threads, %d cores, scratch database %s%n",
                    version(url, user, password), threads, Runtime.getRuntime().availableProcessors(), db);
            try (ConnectionPool pool = new ConnectionPool(url, user, password, threads + 2)) {
                migrate(pool);
                if (!a.containsKey("skip-ingest")) {
                    Settings settings = Settings.defaults();
                    MetricsStorage storage = MetricsStorage.open(pool, settings, Clock.systemUTC());
                    System.out.println();
                    System.out.println("## Ingestion (rows/s; ceiling = pre-encoded binary COPY of the same rows)");
                    double[] worst = {Double.MAX_VALUE, 0}; // path/ceiling ratio and path rows/s of the worst round
                    ingest(storage, pool, 1000, 100, threads, seconds, worst);
                    ingest(storage, pool, 500, 6, threads, seconds, worst);
                    ingest(storage, pool, 100, 1, threads, seconds, worst);
                    // one line to compare runs over time (in-process streaming path; --core for HTTP)
                    System.out.println(String.format(
                            java.util.Locale.ROOT, "ingest_ratio=%.2f samples_per_s=%.0f", worst[0], worst[1]));
                    storage.close();
                }
                if (!a.containsKey("skip-query")) {
                    new QueryBench(pool, Integer.parseInt(a.getOrDefault("extra-series", "99000"))).run();
                }
            }
        }
    }

    /** Two rounds of ceiling then path for one batch shape. */
    static void ingest(
            MetricsStorage storage,
            ConnectionPool pool,
            int series,
            int points,
            int threads,
            int seconds,
            double[] worst)
            throws Exception {
        int rows = series * points;
        System.out.printf("%n%d series × %d points = %,d rows per batch (one sync)%n", series, points, rows);
        List<byte[]> json = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            json.add(batchJson(series, points, System.currentTimeMillis() - points * INTERVAL, "t" + t));
        }
        Ingestor ingestor = new Ingestor(storage);
        for (int t = 0; t < threads; t++) { // warm: series ids cached, classes loaded, as on a running core
            ingestor.accept("bench-agent-" + t, MAPPER.readTree(json.get(t)));
        }
        for (int round = 1; round <= 2; round++) {
            truncate(pool);
            Result ceiling = run(threads, seconds, t -> {
                byte[] copy = copyBytes(series, points, System.currentTimeMillis() - points * INTERVAL);
                return () -> {
                    try (Connection c = pool.getConnection()) {
                        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyEncoder.COPY_SAMPLES);
                        in.writeToCopy(copy, 0, copy.length);
                        return in.endCopy();
                    }
                };
            });
            truncate(pool);
            Result path = run(threads, seconds, t -> () -> { // as the core does now: bytes → rows, no tree
                byte[] j = json.get(t);
                ingestor.acceptJson("bench-agent-" + t, j, 0, j.length);
                return rows;
            });
            truncate(pool);
            Result treePath = run(threads, seconds, t -> () -> { // as it did before: bytes → tree → rows
                ingestor.accept("bench-agent-" + t, MAPPER.readTree(json.get(t)));
                return rows;
            });
            truncate(pool);
            Result sink = run(threads, seconds, t -> {
                com.fasterxml.jackson.databind.JsonNode tree = MAPPER.readTree(json.get(t));
                return () -> {
                    ingestor.accept("bench-agent-" + t, tree);
                    return rows;
                };
            });
            System.out.printf(
                    "  round %d: ceiling %,.0f rows/s (%.1f ms/batch p50) | streaming path %,.0f rows/s"
                            + " (%.1f ms/batch p50, %.1f p99) = %.2f× | tree path (before) %,.0f rows/s = %.2f×"
                            + " | sink alone (tree parsed beforehand) %,.0f rows/s = %.2f× | load average %s%n",
                    round,
                    ceiling.rate(),
                    ceiling.p(0.5),
                    path.rate(),
                    path.p(0.5),
                    path.p(0.99),
                    path.rate() / ceiling.rate(),
                    treePath.rate(),
                    treePath.rate() / ceiling.rate(),
                    sink.rate(),
                    sink.rate() / ceiling.rate(),
                    SyncBench.loadAverage());
            if (path.rate() / ceiling.rate() < worst[0]) {
                worst[0] = path.rate() / ceiling.rate();
                worst[1] = path.rate();
            }
        }
        long stored = count(pool, "SELECT count(*) FROM metric_sample");
        System.out.printf("  rows in metric_sample after the last path run: %,d%n", stored);
    }

    /** Rows of the benchmark shape as the agents send them. */
    static byte[] batchJson(int series, int points, long start, String agentTag) {
        StringBuilder b = new StringBuilder(series * points * 24 + series * 80).append('[');
        for (int s = 0; s < series; s++) {
            b.append(s == 0 ? "" : ",")
                    .append("{\"name\":\"bench_metric\",\"labels\":{\"cpu\":\"c")
                    .append(s)
                    .append("\",\"group\":\"g")
                    .append(s % 10)
                    .append("\",\"src\":\"")
                    .append(agentTag)
                    .append("\"},\"points\":[");
            for (int p = 0; p < points; p++) {
                b.append(p == 0 ? "" : ",")
                        .append('[')
                        .append(start + p * INTERVAL)
                        .append(',')
                        .append((s * 7 + p) % 100 + 0.25)
                        .append(']');
            }
            b.append("]}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] copyBytes(int series, int points, long start) {
        CopyEncoder e = new CopyEncoder(series * points);
        for (int s = 0; s < series; s++) {
            for (int p = 0; p < points; p++) {
                e.row(start + p * INTERVAL, s + 1, (s * 7 + p) % 100 + 0.25);
            }
        }
        byte[] bytes = e.finish();
        return java.util.Arrays.copyOf(bytes, e.length());
    }

    /** Work of one thread: returns the rows it stored. */
    interface Batch {
        long run() throws Exception;
    }

    interface BatchFactory {
        Batch create(int thread) throws Exception;
    }

    record Result(long rows, double seconds, List<Long> nanos) {
        double rate() {
            return rows / seconds;
        }

        double p(double q) {
            List<Long> sorted = new ArrayList<>(nanos);
            sorted.sort(null);
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.min(sorted.size() - 1, q * sorted.size())) / 1e6;
        }
    }

    static Result run(int threads, int seconds, BatchFactory factory) throws Exception {
        AtomicLong rows = new AtomicLong();
        AtomicBoolean stop = new AtomicBoolean();
        List<Long> nanos = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads; t++) {
            Batch batch = factory.create(t);
            workers.add(new Thread(() -> {
                try {
                    while (!stop.get()) {
                        long t0 = System.nanoTime();
                        rows.addAndGet(batch.run());
                        nanos.add(System.nanoTime() - t0);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        Thread.sleep(seconds * 1000L); // the measured interval itself, not a synchronisation
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        if (!failures.isEmpty()) {
            throw new IllegalStateException("benchmark thread failed", failures.get(0));
        }
        return new Result(rows.get(), elapsed, nanos);
    }

    static void truncate(ConnectionPool pool) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute("TRUNCATE metric_sample, metric_rollup_pending");
        }
    }

    static long count(ConnectionPool pool, String sql) throws SQLException {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The module's migrations, in order (as the core's migrator applies them). */
    static final List<String> MIGRATIONS =
            List.of("db/metrics/V1__metrics.sql", "db/metrics/V2__series_labels_index.sql");

    static void migrate(ConnectionPool pool) throws Exception {
        for (String m : MIGRATIONS) {
            try (InputStream in = MetricsBench.class.getClassLoader().getResourceAsStream(m);
                    Connection c = pool.getConnection();
                    Statement s = c.createStatement()) {
                s.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    private static String version(String url, String user, String password) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW server_version")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** {@code --name value} pairs; {@code --skip-x} flags stand alone. */
    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String k = args[i].replaceFirst("^--", "");
            if (k.startsWith("skip-") || i + 1 >= args.length) {
                m.put(k, "true");
            } else {
                m.put(k, args[++i]);
            }
        }
        return m;
    }
}
