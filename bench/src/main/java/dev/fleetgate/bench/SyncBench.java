package dev.fleetgate.bench;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Benchmarks of the sync protocol against one or more running cores on one database (see
 * bench/README.md):
 * <ol>
 * <li>task delivery latency core → agent through the long-poll (submit → the held sync answers);
 * <li>syncs per second with N simulated agents at a fixed interval, handling time percentiles,
 * core CPU and PostgreSQL writes per no-change sync;
 * <li>long-poll at scale: M agents holding a sync, one desired-state change (a bundle deployed
 * to every agent), time until each held agent has it.
 * </ol>
 * A simulated agent is a state machine, not a socket: no-change syncs go through a fixed pool of
 * {@code --inflight} keep-alive connections on one selector thread ({@link PacedSyncs}, the lean
 * {@link Http1} client; {@code --sync-client jdk}: the shared {@code java.net.http} client behind a
 * limiter, as before); only held long-polls need one connection each ({@link HeldPolls}). {@code
 * --settle S} keeps the paced syncs running until the database has settled before measuring.
 */
public final class SyncBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        List<String> cores =
                List.of(a.getOrDefault("core", "http://127.0.0.1:8080").split(","));
        int agents = Integer.parseInt(a.getOrDefault("agents", "2000"));
        int interval = Integer.parseInt(a.getOrDefault("interval", "5"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int tasks = Integer.parseInt(a.getOrDefault("tasks", "200"));
        int inflight = Integer.parseInt(a.getOrDefault("inflight", "64"));
        int longpoll = Integer.parseInt(a.getOrDefault("longpoll", "0"));
        int series = Integer.parseInt(a.getOrDefault("series", "0"));
        metricsBatch = !"false".equals(a.getOrDefault("metrics-batch", "true"));
        boolean leanSyncs = !"jdk".equals(a.getOrDefault("sync-client", "lean"));
        if (series < 0 || series > 0 && !leanSyncs) {
            throw new IllegalArgumentException("--series: 0 or more, with the lean sync client only");
        }
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .executor(Executors.newFixedThreadPool(
                        Integer.parseInt(a.getOrDefault("threads", "4")), r -> daemon(r, "bench-http")))
                .build();
        CoreClient admin = new CoreClient(cores.get(0)).login(a.getOrDefault("user", "admin"), a.get("password"));
        System.out.printf("cores: %s; load average at start: %s%n", cores, loadAverage());

        if (tasks > 0) {
            System.out.println("== task delivery through long-poll (" + tasks + " tasks)");
            taskLatency(admin, http, tasks);
        }

        boolean seeded = a.containsKey("seed") && a.get("db-url") != null;
        List<SimAgent> sims = seeded
                ? seed(
                        http,
                        cores,
                        Math.max(agents, longpoll),
                        a.get("db-url"),
                        a.get("db-user"),
                        a.get("db-password"),
                        Integer.parseInt(a.getOrDefault("warmup", "15")))
                : enrol(
                        admin,
                        http,
                        cores,
                        Math.max(agents, longpoll),
                        Integer.parseInt(a.getOrDefault("warmup", "15")));
        Limiter limiter = new Limiter(inflight);
        if (agents > 0 && seconds > 0) {
            System.out.printf(
                    "== %d simulated agents on %d core(s), one %s sync each every %d s, for %d s "
                            + "(at most %d requests in flight)%n",
                    agents,
                    cores.size(),
                    series == 0 ? "no-change" : "otherwise no-change",
                    interval,
                    seconds,
                    inflight);
            if (series > 0) {
                System.out.printf(
                        "   each sync carries %d series with one point at the sync's time (labels "
                                + "cpu=c<s>, group=g<s%%10>, src=fleet-<agent index>), %s%n",
                        series,
                        metricsBatch
                                ? "named by metricsBatch as agents send (answered before the commit)"
                                : "without metricsBatch (--metrics-batch false: answered after the commit)");
            }
            syncLoad(
                    sims.subList(0, agents),
                    limiter,
                    interval,
                    seconds,
                    Integer.parseInt(a.getOrDefault("settle", "0")),
                    leanSyncs,
                    inflight,
                    series,
                    a.get("core-pid"),
                    a.get("db-url"),
                    a.get("db-user"),
                    a.get("db-password"));
        }
        if (longpoll > 0) {
            System.out.printf(
                    "== long-poll at scale: %d agents hold a sync (wait=%d), one bundle deployed to every agent%n",
                    longpoll, interval);
            longPollFanOut(
                    admin,
                    sims.subList(0, longpoll),
                    interval,
                    Integer.parseInt(a.getOrDefault("rounds", "4")),
                    Integer.parseInt(a.getOrDefault("warmup-rounds", "2")),
                    !"jdk".equals(a.getOrDefault("poll-client", "nio")));
        }
        System.out.println("removing the simulated agents");
        if (seeded) {
            unseed(a.get("db-url"), a.get("db-user"), a.get("db-password"));
        } else {
            remove(admin, sims, limiter);
        }
        System.exit(0);
    }

    static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    static void taskLatency(CoreClient admin, HttpClient http, int tasks) throws Exception {
        SimAgent agent = new SimAgent(http, admin.base, admin.enroll("bench-latency-" + System.nanoTime()));
        // picks up its sections (computed just after enrolment), so later answers carry tasks only
        for (int i = 0; i < 50 && agent.sync(0); i++) {
            Thread.sleep(100);
        }
        Stats stats = new Stats();
        int late = 0;
        for (int i = 0; i < tasks; i++) {
            CompletableFuture<HttpResponse<String>> held = agent.syncAsync(25);
            Thread.sleep(20); // let the request reach the core and be held
            long t0 = System.nanoTime();
            admin.post(
                    "/api/v1/agents/" + agent.id + "/tasks",
                    CoreClient.JSON.createObjectNode().put("type", "echo"));
            HttpResponse<String> r = held.get(30, TimeUnit.SECONDS);
            long micros = (System.nanoTime() - t0) / 1000;
            JsonNode body = CoreClient.JSON.readTree(r.body());
            if (body.path("tasks").size() == 0) {
                // a section computed late on a fresh core came first: take it, then measure this one again
                if (++late > 5) {
                    throw new IllegalStateException("long-poll answered without the task: " + r.body());
                }
                for (int k = 0; k < 50 && agent.sync(0); k++) {
                    Thread.sleep(100);
                }
                i--;
                continue;
            }
            stats.add(micros);
            agent.ackTasks(body);
        }
        admin.delete("/api/v1/agents/" + agent.id);
        System.out.println("task submit → held sync answered: " + stats.summary());
    }

    /** Enrols n agents (8 at a time, through the first core), spread round-robin over the cores. */
    static List<SimAgent> enrol(CoreClient admin, HttpClient http, List<String> cores, int n, int warmupSeconds)
            throws Exception {
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<SimAgent>> enrolling = new ArrayList<>();
        String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            String core = cores.get(i % cores.size());
            enrolling.add(CompletableFuture.supplyAsync(
                    () -> {
                        try {
                            SimAgent s = new SimAgent(http, core, admin.enroll(name));
                            s.sync(0);
                            return s;
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    pool));
        }
        List<SimAgent> sims = new ArrayList<>();
        for (CompletableFuture<SimAgent> f : enrolling) {
            sims.add(f.join());
        }
        pool.shutdown();
        System.out.printf("enrolled and synced %d agents in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        // Let the enrolment burst settle (ONLINE transitions, first desired-state computations):
        // the figures below are for the steady state.
        Thread.sleep(warmupSeconds * 1000L);
        // A real agent long-polls, picks up its first sections at once and reports them applied in
        // its next sync; these did not yet: sync each twice (receive, then report).
        Limiter settle = new Limiter(32);
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<?>> all = new ArrayList<>();
            for (SimAgent s : sims) {
                all.add(settle.submit(() -> s.syncAsync(0).thenAccept(r -> s.absorb(r.body()))));
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        }
        return sims;
    }

    static final String SEED_PREFIX = "bench-seed-";

    /**
     * Enrolling through the REST API runs ~10–100 enrolments/s here (each computes the new
     * agent's desired state): for 10,000+ agents {@code --seed} writes the agent rows straight
     * into the core's database (as an enrolment does: id, name, SHA-256 of the API key), signals
     * every core to reload its agents ({@code NOTIFY fleetgate_agent '*'}), then syncs each
     * agent once. Seeded agents have no desired state until a section is recomputed for the fleet.
     */
    static List<SimAgent> seed(
            HttpClient http, List<String> cores, int n, String url, String user, String password, int warmupSeconds)
            throws Exception {
        long t0 = System.nanoTime();
        unseed(url, user, password);
        List<SimAgent> sims = new ArrayList<>();
        java.security.SecureRandom random = new java.security.SecureRandom();
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO agents (id, name, hostname, role,"
                    + " api_key_hash, version) VALUES (?, ?, 'bench', 'host', ?, 'bench')")) {
                for (int i = 0; i < n; i++) {
                    byte[] k = new byte[32];
                    random.nextBytes(k);
                    String key = "fga_"
                            + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(k);
                    String id = java.util.UUID.randomUUID().toString();
                    ps.setObject(1, java.util.UUID.fromString(id));
                    ps.setString(2, SEED_PREFIX + i);
                    ps.setString(
                            3,
                            java.util.HexFormat.of()
                                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                                            .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
                    ps.addBatch();
                    sims.add(new SimAgent(
                            http,
                            cores.get(i % cores.size()),
                            CoreClient.JSON
                                    .createObjectNode()
                                    .put("agentId", id)
                                    .put("apiKey", key)));
                }
                ps.executeBatch();
            }
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_notify('fleetgate_agent', '*')");
            }
            c.commit();
        }
        Thread.sleep(3000); // every core reloads its agents
        Limiter first = new Limiter(32);
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (SimAgent s : sims) {
            all.add(first.submit(() -> s.syncAsync(0).thenAccept(r -> {
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("first sync answered " + r.statusCode() + ": " + r.body());
                }
                s.absorb(r.body());
            })));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        System.out.printf("seeded and synced %d agents in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        Thread.sleep(warmupSeconds * 1000L);
        return sims;
    }

    static void unseed(String url, String user, String password) throws Exception {
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement s = c.createStatement()) {
            s.execute("DELETE FROM agents WHERE name LIKE '" + SEED_PREFIX + "%'");
            s.execute("SELECT pg_notify('fleetgate_agent', '*')");
        }
    }

    /** What the sync load measures, fed by either client. */
    static final class SyncFigures implements PacedSyncs.Recorder {
        final Stats due = new Stats(); // from the moment the sync was due (includes waiting for a free request)
        final Stats sent = new Stats(); // from the moment it was sent
        final AtomicInteger errors = new AtomicInteger();
        final AtomicInteger withContent = new AtomicInteger();
        final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        private final AtomicInteger shown = new AtomicInteger();
        volatile boolean measuring;

        @Override
        public void answered(SimAgent s, long dueAt, long sentAt, int status, String body) {
            if (status != 200) {
                failed(s, "HTTP " + status + " " + (body.length() > 200 ? body.substring(0, 200) : body));
                return;
            }
            long now = System.nanoTime();
            answered.incrementAndGet();
            boolean content = s.absorb(body);
            if (measuring) {
                due.add((now - dueAt) / 1000);
                sent.add((now - sentAt) / 1000);
                if (content) {
                    withContent.incrementAndGet();
                }
            }
        }

        @Override
        public void failed(SimAgent s, String why) {
            if (measuring) {
                errors.incrementAndGet();
            }
            if (shown.incrementAndGet() <= 3) {
                System.out.println("sync of " + s.id + " failed: " + why);
            }
        }
    }

    /** Whether metered syncs name their batch ({@code --metrics-batch}, default true: as agents send). */
    private static boolean metricsBatch = true;

    static void syncLoad(
            List<SimAgent> sims,
            Limiter limiter,
            int interval,
            int seconds,
            int settle,
            boolean leanClient,
            int inflight,
            int series,
            String corePids,
            String dbUrl,
            String dbUser,
            String dbPassword)
            throws Exception {
        int n = sims.size();
        SyncFigures f = new SyncFigures();
        ScheduledExecutorService timer = null;
        PacedSyncs paced = null;
        // The agents sync from now on; figures are taken over a window once they all synced a few
        // times (so none went OFFLINE while the bench waited, which would write transitions).
        for (int i = 0; series > 0 && i < n; i++) {
            sims.get(i).meter(series, "fleet-" + i, metricsBatch);
        }
        long sinceMillis = System.currentTimeMillis(); // every point sent from now on is stamped later
        if (leanClient) {
            paced = new PacedSyncs(sims, interval, inflight, f);
        } else {
            timer = Executors.newScheduledThreadPool(1, r -> daemon(r, "bench-timer"));
            for (int i = 0; i < n; i++) {
                SimAgent s = sims.get(i);
                long offset = (long) i * interval * 1_000_000L / n;
                timer.scheduleAtFixedRate(
                        () -> {
                            long due = System.nanoTime();
                            limiter.submit(() -> {
                                long q = System.nanoTime();
                                return s.syncAsync(0).whenComplete((r, e) -> {
                                    if (e != null) {
                                        f.failed(s, e.toString());
                                    } else {
                                        f.answered(s, due, q, r.statusCode(), r.body());
                                    }
                                });
                            });
                        },
                        offset,
                        interval * 1_000_000L,
                        TimeUnit.MICROSECONDS);
            }
        }
        if (settle > 0 && dbUrl != null) {
            settle(f, settle, series > 0, dbUrl, dbUser, dbPassword);
        } else {
            // PostgreSQL 15 backends publish their statistics lazily (idle ones within ~10 s): with the
            // load already running, both ends of the window are equally late.
            Thread.sleep(Math.max(2 * interval, dbUrl != null ? 11 : 0) * 1000L);
        }
        long samplesAt0 = System.nanoTime();
        long samples0 = series > 0 ? samplesSince(sinceMillis, dbUrl, dbUser, dbPassword) : -1;
        long cpu0 = cpuTicks(corePids);
        long self0 = cpuTicks("self");
        long[] db0 = dbCounters(dbUrl, dbUser, dbPassword);
        Map<String, Long> tables0 = dbUrl == null ? null : tableWrites(dbUrl, dbUser, dbPassword);
        long start = System.nanoTime();
        f.measuring = true;
        Thread.sleep(seconds * 1000L);
        f.measuring = false;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu1 = cpuTicks(corePids);
        long self1 = cpuTicks("self");
        long[] db1 = dbCounters(dbUrl, dbUser, dbPassword);
        Map<String, Long> tables1 = dbUrl == null ? null : tableWrites(dbUrl, dbUser, dbPassword);
        long samplesAt1 = System.nanoTime();
        long samples1 = series > 0 ? samplesSince(sinceMillis, dbUrl, dbUser, dbPassword) : -1;
        String load = loadAverage();
        long waiting = paced != null ? paced.waiting() : -1;
        if (paced != null) {
            paced.close();
        } else {
            timer.shutdownNow();
            limiter.drain();
        }
        int count = f.due.count();
        System.out.printf(
                "syncs: %d in %.1f s = %.0f syncs/s of %.0f offered (%s client), errors %d, answers with content %d%s%n",
                count,
                elapsed,
                count / elapsed,
                n / (double) interval,
                leanClient ? "lean" : "jdk",
                f.errors.get(),
                f.withContent.get(),
                waiting >= 0 ? ", due and not yet sent at the end " + waiting : "");
        System.out.println("sync handling (client-side round trip, wait=0, from due): " + f.due.summary());
        System.out.println("sync handling (client-side round trip, wait=0, from sent): " + f.sent.summary());
        System.out.println("load average at the end of the run: " + load);
        double cpuPct = Double.NaN;
        if (cpu0 >= 0) {
            double cpuSeconds = (cpu1 - cpu0) / 100.0;
            cpuPct = 100 * cpuSeconds / elapsed;
            System.out.printf(
                    "core CPU: %.1f%% of one core (%.0f µs CPU per sync), all cores together%n",
                    cpuPct, cpuSeconds * 1e6 / Math.max(1, count));
        }
        double benchSeconds = (self1 - self0) / 100.0;
        double benchPct = 100 * benchSeconds / elapsed;
        System.out.printf(
                "bench CPU: %.1f%% of one core (%.0f µs CPU per sync), the load generator's own process%n",
                benchPct, benchSeconds * 1e6 / Math.max(1, count));
        double writesPerSync = Double.NaN;
        if (db0 != null && series > 0) {
            // the sample rows (and the rollups and series they bring) are not the sync's own writes:
            // db_writes_per_sync stays the figure of the rest, comparable with --series 0
            long[] m = {db1[4] - db0[4], db1[5] - db0[5]};
            long all = db1[0] - db0[0] + db1[1] - db0[1] + db1[2] - db0[2];
            writesPerSync = (double) (all - m[0] - m[1]) / count;
            System.out.printf(
                    "PostgreSQL during the run: %d rows inserted, %d updated, %d deleted, %d commits; of the row "
                            + "writes %d in metric_sample (the samples, %.1f per sync), %d in the other metric_* "
                            + "tables (series, rollups), %d elsewhere (%.3f row writes per sync besides the metrics "
                            + "tables, %.3f commits per sync); most written: %s%n",
                    db1[0] - db0[0],
                    db1[1] - db0[1],
                    db1[2] - db0[2],
                    db1[3] - db0[3],
                    m[0],
                    (double) m[0] / count,
                    m[1],
                    all - m[0] - m[1],
                    writesPerSync,
                    (double) (db1[3] - db0[3]) / count,
                    mostWritten(tables0, tables1));
        } else if (db0 != null) {
            writesPerSync = (double) (db1[0] - db0[0] + db1[1] - db0[1] + db1[2] - db0[2]) / count;
            System.out.printf(
                    "PostgreSQL during the run: %d rows inserted, %d updated, %d deleted, %d commits "
                            + "(%.3f row writes per sync, %.3f commits per sync); most written: %s%n",
                    db1[0] - db0[0],
                    db1[1] - db0[1],
                    db1[2] - db0[2],
                    db1[3] - db0[3],
                    writesPerSync,
                    (double) (db1[3] - db0[3]) / count,
                    mostWritten(tables0, tables1));
        }
        String samples = "";
        if (series > 0) {
            double accepted = (double) count * series / elapsed; // answered 200: the core answers once stored
            double stored = samples0 < 0 ? Double.NaN : (samples1 - samples0) / ((samplesAt1 - samplesAt0) / 1e9);
            double perSecond = samples0 < 0 ? accepted : stored;
            double msPer1k =
                    cpuPct * 10 / (perSecond / 1000); // core CPU ms per second / thousands of samples per second
            System.out.printf(
                    Locale.ROOT,
                    "samples: %d series per sync; %.0f samples/s offered (%d agents / %d s × %d), %.0f/s accepted "
                            + "(syncs answered 200 × %d), %s%n",
                    series,
                    n / (double) interval * series,
                    n,
                    interval,
                    series,
                    accepted,
                    series,
                    samples0 < 0
                            ? "stored not counted (no --db-url)"
                            : String.format(
                                    Locale.ROOT,
                                    "%.0f/s stored (metric_sample rows counted over JDBC: %d in %.1f s)",
                                    stored,
                                    samples1 - samples0,
                                    (samplesAt1 - samplesAt0) / 1e9));
            System.out.printf(
                    Locale.ROOT,
                    "core CPU per 1k samples: %.2f ms (the whole sync's CPU over the %s samples: compare with "
                            + "--series 0 for the sync alone)%n",
                    msPer1k,
                    samples0 < 0 ? "accepted" : "stored");
            samples = String.format(Locale.ROOT, " samples_per_s=%.0f core_ms_per_1k_samples=%.2f", perSecond, msPer1k);
        }
        // one line to compare runs over time (NaN: not measured in this run)
        System.out.println(String.format(
                        Locale.ROOT,
                        "sync_agents=%d sync_p99_ms=%.2f core_cpu_pct=%.1f db_writes_per_sync=%.3f errors=%d "
                                + "bench_cpu_pct=%.1f syncs_per_s=%.0f offered_per_s=%.0f sync_client=%s",
                        n,
                        f.due.percentileMillis(99),
                        cpuPct,
                        writesPerSync,
                        f.errors.get(),
                        benchPct,
                        count / elapsed,
                        n / (double) interval,
                        leanClient ? "lean" : "jdk")
                + samples);
    }

    /** Rows of {@code metric_sample} with a point at or after {@code sinceMillis}; -1 without a database. */
    static long samplesSince(long sinceMillis, String url, String user, String password) throws Exception {
        if (url == null) {
            return -1;
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                java.sql.PreparedStatement ps =
                        c.prepareStatement("SELECT count(*) FROM metric_sample WHERE ts >= ?")) {
            ps.setObject(
                    1,
                    java.time.OffsetDateTime.ofInstant(
                            java.time.Instant.ofEpochMilli(sinceMillis), java.time.ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /**
     * The database's rows inserted, updated, deleted and its commits, and, from the same statistics snapshot (so that
     * they can be subtracted), the rows written to {@code metric_sample} (its partitions) and to the other
     * {@code metric_*} tables; null without a database.
     */
    static long[] dbCounters(String url, String user, String password) throws Exception {
        if (url == null) {
            return null;
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                Statement st = c.createStatement()) {
            st.execute("SET stats_fetch_consistency = snapshot"); // PostgreSQL 15: one snapshot per transaction
            try (ResultSet rs = st.executeQuery("SELECT d.tup_inserted, d.tup_updated, d.tup_deleted, d.xact_commit,"
                    + " coalesce(sum(t.n_tup_ins + t.n_tup_upd + t.n_tup_del) FILTER (WHERE t.relname LIKE"
                    + " 'metric\\_sample%'), 0), coalesce(sum(t.n_tup_ins + t.n_tup_upd + t.n_tup_del) FILTER (WHERE"
                    + " t.relname LIKE 'metric\\_%' AND t.relname NOT LIKE 'metric\\_sample%'), 0)"
                    + " FROM pg_stat_database d LEFT JOIN pg_stat_user_tables t ON true"
                    + " WHERE d.datname = current_database()"
                    + " GROUP BY d.tup_inserted, d.tup_updated, d.tup_deleted, d.xact_commit")) {
                rs.next();
                return new long[] {
                    rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)
                };
            }
        }
    }

    /**
     * Keeps the paced syncs running until a 5 s window shows fewer than 0.01 row writes per sync,
     * or for {@code maxSeconds}; prints each window and the tables written most in it.
     */
    static void settle(SyncFigures f, int maxSeconds, boolean metered, String url, String user, String password)
            throws Exception {
        long t0 = System.nanoTime();
        long deadline = t0 + maxSeconds * 1_000_000_000L;
        long[] db0 = dbCounters(url, user, password);
        Map<String, Long> tables0 = tableWrites(url, user, password);
        long syncs0 = f.answered.get();
        System.out.printf("settling: up to %d s until a 5 s window has < 0.01 row writes per sync%n", maxSeconds);
        while (true) {
            Thread.sleep(5000);
            long[] db1 = dbCounters(url, user, password);
            Map<String, Long> tables1 = tableWrites(url, user, password);
            long syncs1 = f.answered.get();
            long writes = db1[0] - db0[0] + db1[1] - db0[1] + db1[2] - db0[2];
            long metricsRows = 0;
            if (metered) { // the samples the syncs carry are not settling writes
                metricsRows = db1[4] - db0[4] + db1[5] - db0[5];
                writes -= metricsRows;
            }
            long syncs = syncs1 - syncs0;
            double perSync = syncs == 0 ? Double.NaN : (double) writes / syncs;
            double at = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "  settling %.0f s: %d syncs (%.0f/s), %.4f row writes per sync (%d inserted, %d updated, "
                            + "%d deleted%s), most written: %s; load average %s%n",
                    at,
                    syncs,
                    syncs / 5.0,
                    perSync,
                    db1[0] - db0[0],
                    db1[1] - db0[1],
                    db1[2] - db0[2],
                    metered ? "; " + metricsRows + " of them in the metric_* tables, not counted" : "",
                    mostWritten(tables0, tables1),
                    loadAverage());
            if (syncs > 0 && perSync < 0.01) {
                System.out.printf("settled after %.0f s: measuring%n", at);
                return;
            }
            if (System.nanoTime() >= deadline) {
                System.out.printf(
                        "!!! NOT SETTLED after %d s (last window %.3f row writes per sync): measuring anyway, "
                                + "the figures below include the settling writes !!!%n",
                        maxSeconds, perSync);
                return;
            }
            db0 = db1;
            tables0 = tables1;
            syncs0 = syncs1;
        }
    }

    /** The (at most 4) tables with the most rows written between two {@link #tableWrites}. */
    static String mostWritten(Map<String, Long> before, Map<String, Long> after) {
        List<Map.Entry<String, Long>> top = new ArrayList<>();
        for (var e : after.entrySet()) {
            long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
            if (d > 0) {
                top.add(Map.entry(e.getKey(), d));
            }
        }
        top.sort(Map.Entry.<String, Long>comparingByValue().reversed());
        return top.isEmpty() ? "none" : top.subList(0, Math.min(4, top.size())).toString();
    }

    /** Rows inserted + updated + deleted so far, per table. */
    static Map<String, Long> tableWrites(String url, String user, String password) throws Exception {
        Map<String, Long> m = new HashMap<>();
        try (Connection c = DriverManager.getConnection(url, user, password);
                ResultSet rs = c.createStatement()
                        .executeQuery("SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_user_tables")) {
            while (rs.next()) {
                m.merge(rs.getString(1), rs.getLong(2), Long::sum);
            }
        }
        return m;
    }

    /**
     * Every agent holds a sync; once all are held, fleet-wide changes are made one after the
     * other: a bundle deployed to every agent, then the deployment removed, and so on. For each,
     * every agent's time from the request to its held sync answering with the new bundles
     * section. The first {@code warmup} changes are not counted: they bring the load generator's
     * own answer path to compiled code (measured, the first fan-out of a fresh bench JVM spends
     * most of its time in the bench's JIT compiler and GC, not in the core).
     */
    static void longPollFanOut(
            CoreClient admin, List<SimAgent> sims, int wait, int rounds, int warmup, boolean nioClient)
            throws Exception {
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger held = new AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<FanOutRound> current =
                new java.util.concurrent.atomic.AtomicReference<>();
        HeldPolls nio = null;
        if (nioClient) {
            nio = new HeldPolls(
                    wait,
                    (agent, answer) -> {
                        SimAgent s = (SimAgent) agent;
                        s.absorb(answer);
                        FanOutRound r = current.get();
                        if (r != null) {
                            r.answered(s);
                        }
                    },
                    errors);
            nio.start(sims);
        } else {
            for (SimAgent s : sims) {
                poll(
                        s,
                        wait,
                        stop,
                        held,
                        () -> {
                            FanOutRound r = current.get();
                            if (r != null) {
                                r.answered(s);
                            }
                        },
                        errors);
            }
        }
        // Every agent's first poll is held at once (nothing to send); wait for one whole hold so
        // that they also re-poll, as real agents do.
        Thread.sleep((wait + 2) * 1000L);
        if (nio != null && errors.get() > 0) {
            System.out.println("poll errors by reason: " + nio.errorsByReason());
        }
        System.out.printf(
                "polls in flight: %d (errors so far %d); load average %s%n",
                nio != null ? nio.inFlight.get() : held.get(), errors.get(), loadAverage());
        String bundleId =
                admin.upload("/api/v1/bundles", benchBundle()).get("id").asText();
        Stats all = new Stats();
        int reachedAll = 0;
        int measured = 0;
        for (int i = 0; i < warmup + rounds; i++) {
            boolean deploy = i % 2 == 0;
            FanOutRound r = new FanOutRound(sims);
            int errorsBefore = errors.get();
            current.set(r);
            r.changeAt = System.nanoTime();
            if (deploy) {
                admin.post("/api/v1/bundles/" + bundleId + "/deployments", CoreClient.JSON.createObjectNode());
            } else {
                admin.delete("/api/v1/bundles/" + bundleId + "/deployments");
            }
            long requested = (System.nanoTime() - r.changeAt) / 1000;
            StringBuilder progress = new StringBuilder();
            long deadline = r.changeAt + TimeUnit.SECONDS.toNanos(120);
            while (!r.all.isDone() && System.nanoTime() < deadline) {
                try {
                    r.all.get(1, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    if (progress.length() < 200) {
                        progress.append(' ').append(r.done.size());
                    }
                }
            }
            current.set(null);
            if (nio != null && errors.get() > errorsBefore) {
                System.out.println("poll errors by reason: " + nio.errorsByReason());
            }
            boolean counted = i >= warmup;
            System.out.printf(
                    "%s %d (%s, request answered after %.1f ms): reached %d of %d, poll errors %d, "
                            + "reached second by second:%s; %s; load average %s%n",
                    counted ? "change" : "warm-up change",
                    i + 1,
                    deploy ? "deploy" : "undeploy",
                    requested / 1000.0,
                    r.done.size(),
                    sims.size(),
                    errors.get() - errorsBefore,
                    progress.length() == 0 ? " (all within 1 s)" : progress,
                    r.reach.summary(),
                    loadAverage());
            if (counted) {
                all.addAll(r.reach);
                reachedAll += r.done.size();
                measured++;
            }
            Thread.sleep(1000);
        }
        stop.set(true);
        if (nio != null) {
            nio.close();
        }
        System.out.printf(
                "deployment request → held sync answered with it, %d changes × %d agents: %s%n",
                measured, sims.size(), all.summary());
        System.out.println(String.format(
                Locale.ROOT,
                "longpoll_agents=%d longpoll_reached=%d longpoll_p99_ms=%.1f " + "longpoll_max_ms=%.1f",
                sims.size(),
                measured == 0 ? 0 : reachedAll / measured,
                all.percentileMillis(99),
                all.percentileMillis(100)));
        admin.delete("/api/v1/bundles/" + bundleId + "/deployments");
        admin.delete("/api/v1/bundles/" + bundleId);
        Thread.sleep((wait + 2) * 1000L); // the polls end
    }

    /** One fleet-wide change: who has it and when. */
    private static final class FanOutRound {
        final Map<SimAgent, Long> baseline = new HashMap<>();
        final Stats reach = new Stats();
        final CompletableFuture<Void> all = new CompletableFuture<>();
        final java.util.Set<SimAgent> done = ConcurrentHashMap.newKeySet();
        final int size;
        volatile long changeAt;

        FanOutRound(List<SimAgent> sims) {
            for (SimAgent s : sims) {
                baseline.put(s, s.revision("bundles"));
            }
            size = sims.size();
        }

        void answered(SimAgent s) {
            Long before = baseline.get(s);
            if (before != null && s.revision("bundles") > before && done.add(s)) {
                reach.add((System.nanoTime() - changeAt) / 1000);
                if (done.size() == size) {
                    all.complete(null);
                }
            }
        }
    }

    private static void poll(
            SimAgent s,
            int wait,
            java.util.concurrent.atomic.AtomicBoolean stop,
            AtomicInteger held,
            Runnable onAnswer,
            AtomicInteger errors) {
        if (stop.get()) {
            return;
        }
        held.incrementAndGet();
        s.syncAsync(wait).whenComplete((r, e) -> {
            held.decrementAndGet();
            if (e != null || r.statusCode() != 200) {
                if (errors.incrementAndGet() <= 3) {
                    System.out.println("poll failed: " + (e != null ? e : r.statusCode() + " " + r.body()));
                }
                CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS)
                        .execute(() -> poll(s, wait, stop, held, onAnswer, errors));
                return;
            }
            s.absorb(r.body());
            onAnswer.run();
            poll(s, wait, stop, held, onAnswer, errors);
        });
    }

    /** A minimal bundle jar (manifest only), unique per run. */
    static byte[] benchBundle() throws java.io.IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        mf.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        mf.getMainAttributes().putValue("Bundle-SymbolicName", "dev.fleetgate.bench.fanout");
        mf.getMainAttributes().putValue("Bundle-Version", "1.0.0." + System.currentTimeMillis());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            jar.flush();
        }
        return out.toByteArray();
    }

    /** Removes simulated agents so that runs do not pile up in the core. */
    static void remove(CoreClient admin, List<SimAgent> sims, Limiter limiter) {
        List<CompletableFuture<?>> all = new ArrayList<>();
        for (SimAgent s : sims) {
            all.add(limiter.submit(() -> admin.deleteAsync("/api/v1/agents/" + s.id)));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
    }

    /** utime+stime of processes and their threads, in clock ticks (-1 when no pid). */
    static long cpuTicks(String pids) throws Exception {
        if (pids == null || pids.isBlank()) {
            return -1;
        }
        long sum = 0;
        for (String pid : pids.split(",")) {
            String[] f = Files.readString(Path.of("/proc/" + pid.trim() + "/stat"))
                    .replaceAll(".*\\) ", "")
                    .split(" ");
            sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        }
        return sum;
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!m.containsKey("password")) {
            throw new IllegalArgumentException(
                    "usage: --core URL[,URL...] --password ADMIN_PASSWORD [--agents 2000] "
                            + "[--interval 5] [--seconds 60] [--warmup 15] [--tasks 200] [--inflight 64] [--threads 4] "
                            + "[--longpoll 0] [--series 0] [--seed true] [--settle 0] [--sync-client lean|jdk] [--poll-client nio|jdk] [--core-pid PID[,PID...]] [--db-url JDBC --db-user U --db-password P]");
        }
        return m;
    }

    /** At most {@code permits} requests in flight; the others wait in order (never a thread each). */
    static final class Limiter {
        private final int permits;
        private int inFlight;
        private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();

        Limiter(int permits) {
            this.permits = permits;
        }

        <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> call) {
            CompletableFuture<T> out = new CompletableFuture<>();
            Runnable start = () -> {
                CompletableFuture<T> f;
                try {
                    f = call.get();
                } catch (RuntimeException e) {
                    f = CompletableFuture.failedFuture(e);
                }
                f.whenComplete((v, e) -> {
                    release();
                    if (e != null) {
                        out.completeExceptionally(e);
                    } else {
                        out.complete(v);
                    }
                });
            };
            boolean now;
            synchronized (this) {
                now = inFlight < permits;
                if (now) {
                    inFlight++;
                } else {
                    waiting.add(start);
                }
            }
            if (now) {
                start.run();
            }
            return out;
        }

        private void release() {
            Runnable next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    inFlight--;
                    notifyAll();
                }
            }
            if (next != null) {
                next.run();
            }
        }

        /** Drops what waits and waits for what is in flight. */
        synchronized void drain() throws InterruptedException {
            waiting.clear();
            long deadline = System.currentTimeMillis() + 30_000;
            while (inFlight > 0 && System.currentTimeMillis() < deadline) {
                wait(100);
            }
        }
    }

    /** One simulated agent speaking docs/protocol.md. */
    static final class SimAgent implements HeldPolls.Agent {
        final String id;
        final String key;
        final String core;
        final HttpClient http;
        final ObjectNode applied = CoreClient.JSON.createObjectNode();
        final List<ObjectNode> results = new ArrayList<>();
        private String body;
        private String requestBody;
        private int requestWait = -1;
        private java.nio.ByteBuffer request;
        private int series; // metrics series per paced sync (--series), 0: none
        private String tag;
        private String meteredBody; // the report the template below was built from
        private byte[] metered; // the whole request, timestamps as at the time it was built
        private int[] stamps; // where the 13 digits of each point's timestamp start in it
        private boolean named = true; // metricsBatch in metered syncs, as agents send (--metrics-batch)
        private int batchAt = -1; // where the blank-padded digits of metricsBatch start in the request
        private long batches; // the last metricsBatch sent

        /** Width of a metered sync's metricsBatch (blank-padded). */
        static final int BATCH_DIGITS = 19;

        /** Writes {@code id} (≥ 1) right-aligned over the {@value #BATCH_DIGITS} blanks at {@code at} (valid JSON). */
        static void putBatchId(byte[] a, int at, long id) {
            for (int i = BATCH_DIGITS - 1; i >= 0; i--, id /= 10) {
                a[at + i] = id == 0 ? (byte) ' ' : (byte) ('0' + id % 10);
            }
        }

        SimAgent(HttpClient http, String core, JsonNode enrolled) {
            this.http = http;
            this.core = core;
            this.id = enrolled.get("agentId").asText();
            this.key = enrolled.get("apiKey").asText();
        }

        @Override
        public String core() {
            return core;
        }

        @Override
        public synchronized java.nio.ByteBuffer syncRequest(int wait) {
            String b = body();
            if (b != requestBody || wait != requestWait) { // the same text while nothing changed
                request = Http1.post(
                        core,
                        "/api/v1/agents/" + id + "/sync?wait=" + wait,
                        key,
                        b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                requestBody = b;
                requestWait = wait;
            }
            return request.duplicate();
        }

        /**
         * From now on every paced sync ({@link #meteredRequest}) carries {@code series} series of one point each
         * at the sync's time, labelled {@code src=<tag>}, in the shape agents send ({@link MetricsBench#batchJson}).
         */
        synchronized void meter(int series, String tag) {
            meter(series, tag, true);
        }

        /** @param named whether each metered sync names its batch ({@code metricsBatch}, as agents do) */
        synchronized void meter(int series, String tag, boolean named) {
            this.series = series;
            this.tag = tag;
            this.named = named;
            this.meteredBody = null;
        }

        int series() {
            return series;
        }

        /**
         * The paced sync ({@code wait=0}) carrying this agent's series with one point each at {@code millis}: the
         * request is built once per report (the report plus {@code "metrics"}), and for each sync copied into
         * {@code scratch} (grown when too small: the caller keeps what this returns) with the timestamp's digits
         * written over the template's. Timestamps have 13 digits (2001–2286), so the length never changes.
         */
        synchronized java.nio.ByteBuffer meteredRequest(long millis, java.nio.ByteBuffer scratch) {
            if (millis < 1_000_000_000_000L || millis >= 10_000_000_000_000L) {
                throw new IllegalStateException("timestamp without 13 digits: " + millis);
            }
            String b = body();
            if (b != meteredBody) { // the same text while nothing changed; task results go out once
                byte[] report = b.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                byte[] metrics = MetricsBench.batchJson(series, 1, millis, tag);
                String batchField = named ? ",\"metricsBatch\":" + " ".repeat(BATCH_DIGITS) : "";
                byte[] field = (batchField + ",\"metrics\":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                if (report[report.length - 1] != '}') {
                    throw new IllegalStateException("a report that is not an object: " + b);
                }
                byte[] json = new byte[report.length - 1 + field.length + metrics.length + 1];
                System.arraycopy(report, 0, json, 0, report.length - 1);
                System.arraycopy(field, 0, json, report.length - 1, field.length);
                System.arraycopy(metrics, 0, json, report.length - 1 + field.length, metrics.length);
                json[json.length - 1] = '}';
                java.nio.ByteBuffer r = Http1.post(core, "/api/v1/agents/" + id + "/sync?wait=0", key, json);
                metered = java.util.Arrays.copyOf(r.array(), r.limit());
                batchAt = named ? r.limit() - json.length + report.length - 1 + batchField.length() - BATCH_DIGITS : -1;
                stamps = stampsOf(metered, ("[[" + millis + ",").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (stamps.length != series) {
                    throw new IllegalStateException(stamps.length + " timestamps found for " + series + " series");
                }
                meteredBody = b;
            }
            int n = metered.length;
            java.nio.ByteBuffer out =
                    scratch != null && scratch.capacity() >= n ? scratch : java.nio.ByteBuffer.allocate(n);
            byte[] a = out.array();
            System.arraycopy(metered, 0, a, 0, n);
            for (int i = 12; i >= 0; i--, millis /= 10) {
                a[stamps[0] + i] = (byte) ('0' + millis % 10);
            }
            for (int k = 1; k < stamps.length; k++) {
                System.arraycopy(a, stamps[0], a, stamps[k], 13);
            }
            if (batchAt >= 0) {
                putBatchId(a, batchAt, ++batches);
            }
            out.clear();
            out.limit(n);
            return out;
        }

        /** Where each occurrence of {@code marker} ({@code [[<millis>,}) leaves off its {@code [[}. */
        private static int[] stampsOf(byte[] b, byte[] marker) {
            int[] at = new int[16];
            int n = 0;
            outer:
            for (int i = 0; i <= b.length - marker.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (b[i + j] != marker[j]) {
                        continue outer;
                    }
                }
                if (n == at.length) {
                    at = java.util.Arrays.copyOf(at, n * 2);
                }
                at[n++] = i + 2;
            }
            return java.util.Arrays.copyOf(at, n);
        }

        /** The report; built again only when something changed (task results go out once). */
        synchronized String body() {
            if (body == null || !results.isEmpty()) {
                ObjectNode b = CoreClient.JSON
                        .createObjectNode()
                        .put("version", "bench")
                        .put("hostname", "bench")
                        .put("address", "127.0.0.1");
                b.set("applied", applied.deepCopy());
                b.putArray("taskResults").addAll(results);
                if (!results.isEmpty()) {
                    results.clear();
                    body = null;
                    return b.toString();
                }
                body = b.toString();
            }
            return body;
        }

        synchronized long revision(String section) {
            return applied.path(section).path("revision").asLong(-1);
        }

        CompletableFuture<HttpResponse<String>> syncAsync(int wait) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(core + "/api/v1/agents/" + id + "/sync?wait=" + wait))
                    .header("Authorization", "Bearer " + key)
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(wait + 30))
                    .POST(HttpRequest.BodyPublishers.ofString(body()))
                    .build();
            return http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
        }

        /** @return whether the answer carried anything */
        boolean sync(int wait) throws Exception {
            HttpResponse<String> r = syncAsync(wait).get(wait + 30L, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("sync answered " + r.statusCode() + ": " + r.body());
            }
            return absorb(r.body());
        }

        /** Applies an answer as a real agent would; returns whether it carried anything. */
        boolean absorb(String answer) {
            try {
                JsonNode b = CoreClient.JSON.readTree(answer);
                synchronized (this) {
                    b.path("sections").fields().forEachRemaining(e -> applied.putObject(e.getKey())
                            .put("revision", e.getValue().path("revision").asLong())
                            .putNull("error"));
                    if (b.path("sections").size() > 0) {
                        body = null;
                    }
                }
                ackTasks(b);
                return b.path("sections").size() > 0 || b.path("tasks").size() > 0;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable answer: " + answer, e);
            }
        }

        synchronized void ackTasks(JsonNode answer) {
            for (JsonNode t : answer.path("tasks")) {
                ObjectNode res = CoreClient.JSON
                        .createObjectNode()
                        .put("id", t.get("id").asText())
                        .put("status", "SUCCEEDED");
                res.putObject("result");
                results.add(res);
            }
        }
    }

    private SyncBench() {}
}
