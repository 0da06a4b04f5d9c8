package dev.fleetgate.bench;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Metrics ingestion and query benchmark through a live core (from {@code bench/run-cores.sh}) over HTTP, as agents
 * and users reach it. Prints figures; asserts nothing.
 *
 * <p>Ingestion ({@link HttpIngestBench}): simulated agents POST syncs carrying batches, beside the ceiling of the
 * same PostgreSQL — binary COPY of the same rows into the core database's {@code metric_sample} over plain JDBC
 * ({@link SampleCopy}), same batch sizes and threads, same run. Queries ({@link QueryBench}): 24 h of 1,000 series
 * loaded through syncs, rolled up by the core's maintenance job, then asked through {@code /api/v1/metrics/query} and
 * {@code /top}.
 *
 * <pre>
 * bench/run-metrics.sh --core URL --password PW [--core-pid PID] [--core-home DIR]
 *     --db-url JDBC --db-user U --db-password P [--seconds 15] [--threads 2] [--ingest-warmup 5] [--skip-ingest] [--skip-query]
 *     [--extra-series 99000] [--query-hours 24]
 * </pre>
 */
public final class MetricsBench {
    static final long INTERVAL = 10_000;

    private MetricsBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        for (String required : List.of("core", "password", "db-url", "db-user", "db-password")) {
            if (!a.containsKey(required)) {
                System.err.println("--" + required + " is required: the bench runs against a live core "
                        + "(bench/run-cores.sh start; see bench/README.md \"Metrics\")");
                System.exit(2);
            }
        }
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "15"));
        int threads = Integer.parseInt(a.getOrDefault("threads", "2"));
        if (!a.containsKey("skip-ingest")) {
            System.out.printf(
                    "Metrics ingestion through the core %s over HTTP, %d agents in parallel; load average %s%n",
                    a.get("core"), threads, SyncBench.loadAverage());
            HttpIngestBench http = new HttpIngestBench(a, threads);
            double[] worst = {Double.MAX_VALUE, 0};
            for (String shape : a.getOrDefault("shapes", "1000x100,500x6,100x1").split(",")) {
                String[] sp = shape.trim().split("x");
                http.ingest(Integer.parseInt(sp[0]), Integer.parseInt(sp[1]), seconds, worst);
            }
            http.close();
            System.out.println(String.format(Locale.ROOT, "ingest_ratio=%.2f samples_per_s=%.0f", worst[0], worst[1]));
        }
        if (!a.containsKey("skip-query")) {
            QueryBench q = new QueryBench(a, Integer.parseInt(a.getOrDefault("extra-series", "99000")));
            q.run();
            q.close();
        }
        System.exit(0);
    }

    /** The value of series {@code s} at point {@code p} (the JSON batch and the COPY ceiling store the same). */
    static double value(int s, int p) {
        return (s * 7 + p) % 100 + 0.25;
    }

    /** Rows of the benchmark shape as the agents send them (a sync's {@code metrics}). */
    static byte[] batchJson(int series, int points, long start, String agentTag) {
        return batchJson(0, series, points, start, agentTag);
    }

    /** The same for series {@code first} .. {@code first + series - 1} (label {@code cpu=c<n>}). */
    static byte[] batchJson(int first, int series, int points, long start, String agentTag) {
        StringBuilder b = new StringBuilder(series * points * 24 + series * 80).append('[');
        for (int s = first; s < first + series; s++) {
            b.append(s == first ? "" : ",")
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
                        .append(value(s, p))
                        .append(']');
            }
            b.append("]}");
        }
        return b.append(']').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Work of one thread: returns the rows it stored. */
    interface Batch {
        long run() throws Exception;

        /** After the last {@link #run}, within the measured time: waits until what it sent is stored. */
        default void drain() throws Exception {}
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
                    batch.drain();
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
