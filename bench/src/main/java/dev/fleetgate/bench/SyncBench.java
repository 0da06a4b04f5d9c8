package dev.fleetgate.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Benchmarks of the sync protocol against a running core (see bench/README.md):
 * <ol>
 * <li>task delivery latency core → agent through the long-poll (submit → the held sync answers);
 * <li>syncs per second with N simulated agents at a fixed interval, handling time percentiles,
 * core CPU and PostgreSQL writes per no-change sync.
 * </ol>
 */
public final class SyncBench {

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        String core = a.getOrDefault("core", "http://127.0.0.1:8080");
        int agents = Integer.parseInt(a.getOrDefault("agents", "2000"));
        int interval = Integer.parseInt(a.getOrDefault("interval", "5"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "60"));
        int tasks = Integer.parseInt(a.getOrDefault("tasks", "200"));
        CoreClient admin = new CoreClient(core).login(a.getOrDefault("user", "admin"), a.get("password"));

        System.out.println("== task delivery through long-poll (" + tasks + " tasks)");
        taskLatency(admin, tasks);

        System.out.printf("== %d simulated agents, one no-change sync each every %d s, for %d s%n", agents, interval,
                seconds);
        syncLoad(admin, agents, interval, seconds, Integer.parseInt(a.getOrDefault("warmup", "15")), a.get("core-pid"), a.get("db-url"), a.get("db-user"),
                a.get("db-password"));
        System.exit(0);
    }

    static void taskLatency(CoreClient admin, int tasks) throws Exception {
        SimAgent agent = new SimAgent(admin, admin.enroll("bench-latency-" + System.nanoTime()));
        agent.sync(0); // picks up its sections, so later answers carry tasks only
        Stats stats = new Stats();
        for (int i = 0; i < tasks; i++) {
            CompletableFuture<HttpResponse<String>> held = agent.syncAsync(25);
            Thread.sleep(20); // let the request reach the core and be held
            long t0 = System.nanoTime();
            admin.post("/api/v1/agents/" + agent.id + "/tasks", CoreClient.JSON.createObjectNode().put("type", "echo"));
            HttpResponse<String> r = held.get(30, TimeUnit.SECONDS);
            long micros = (System.nanoTime() - t0) / 1000;
            JsonNode body = CoreClient.JSON.readTree(r.body());
            if (body.path("tasks").size() == 0) {
                throw new IllegalStateException("long-poll answered without the task: " + r.body());
            }
            stats.add(micros);
            agent.ackTasks(body);
        }
        remove(admin, List.of(agent));
        System.out.println("task submit → held sync answered: " + stats.summary());
    }

    static void syncLoad(CoreClient admin, int n, int interval, int seconds, int warmupSeconds, String corePid,
            String dbUrl, String dbUser, String dbPassword) throws Exception {
        List<SimAgent> sims = new ArrayList<>();
        long t0 = System.nanoTime();
        var pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<SimAgent>> enrolling = new ArrayList<>();
        String prefix = "bench-" + Long.toString(System.currentTimeMillis(), 36) + "-";
        for (int i = 0; i < n; i++) {
            String name = prefix + i;
            enrolling.add(CompletableFuture.supplyAsync(() -> {
                try {
                    SimAgent s = new SimAgent(admin, admin.enroll(name));
                    s.sync(0);
                    return s;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, pool));
        }
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
        for (int round = 0; round < 2; round++) {
            for (SimAgent s : sims) {
                s.sync(0);
            }
        }

        Stats stats = new Stats();
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger withContent = new AtomicInteger();
        ScheduledExecutorService timer = Executors.newScheduledThreadPool(2);
        if (dbUrl != null) {
            // PostgreSQL 15 backends publish their statistics lazily (idle ones within ~10 s):
            // wait, so the writes of the warm-up are not counted in the run.
            Thread.sleep(11_000);
        }
        long cpu0 = cpuTicks(corePid);
        long[] db0 = dbCounters(dbUrl, dbUser, dbPassword);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            SimAgent s = sims.get(i);
            long offset = (long) i * interval * 1_000_000L / n;
            timer.scheduleAtFixedRate(() -> {
                long q = System.nanoTime();
                s.syncAsync(0).whenComplete((r, e) -> {
                    if (e != null || r.statusCode() != 200) {
                        errors.incrementAndGet();
                        return;
                    }
                    stats.add((System.nanoTime() - q) / 1000);
                    if (s.absorb(r.body())) {
                        withContent.incrementAndGet();
                    }
                });
            }, offset, interval * 1_000_000L, TimeUnit.MICROSECONDS);
        }
        Thread.sleep(seconds * 1000L);
        timer.shutdownNow();
        Thread.sleep(2000);
        double elapsed = (System.nanoTime() - start) / 1e9;
        long cpu1 = cpuTicks(corePid);
        if (dbUrl != null) {
            Thread.sleep(11_000); // let the run's statistics be published (see above)
        }
        long[] db1 = dbCounters(dbUrl, dbUser, dbPassword);
        System.out.printf("syncs: %d in %.1f s = %.0f syncs/s, errors %d, answers with content %d%n", stats.count(),
                elapsed, stats.count() / elapsed, errors.get(), withContent.get());
        System.out.println("sync handling (client-side round trip, wait=0): " + stats.summary());
        if (cpu0 >= 0) {
            double cpuSeconds = (cpu1 - cpu0) / 100.0;
            System.out.printf("core CPU: %.1f%% of one core (%.0f µs CPU per sync)%n", 100 * cpuSeconds / elapsed,
                    cpuSeconds * 1e6 / Math.max(1, stats.count()));
        }
        double writesPerSync = Double.NaN;
        if (db0 != null) {
            writesPerSync = (double) (db1[0] - db0[0] + db1[1] - db0[1] + db1[2] - db0[2]) / stats.count();
            System.out.printf("PostgreSQL during the run: %d rows inserted, %d updated, %d deleted, %d commits "
                    + "(%.3f row writes per sync)%n", db1[0] - db0[0], db1[1] - db0[1], db1[2] - db0[2],
                    db1[3] - db0[3], writesPerSync);
        }
        double cpuPct = cpu0 >= 0 ? (cpu1 - cpu0) / 100.0 * 100 / elapsed : Double.NaN;
        // one line to compare runs over time (NaN: not measured in this run)
        System.out.println(String.format(java.util.Locale.ROOT,
                "sync_agents=%d sync_p99_ms=%.2f core_cpu_pct=%.1f db_writes_per_sync=%.3f errors=%d", n,
                stats.percentileMillis(99), cpuPct, writesPerSync, errors.get()));
        remove(admin, sims);
    }

    /** Removes simulated agents so that runs do not pile up in the core. */
    static void remove(CoreClient admin, List<SimAgent> sims) throws Exception {
        for (SimAgent s : sims) {
            admin.delete("/api/v1/agents/" + s.id);
        }
    }

    /** utime+stime of a process and its threads, in clock ticks (-1 when no pid). */
    static long cpuTicks(String pid) throws Exception {
        if (pid == null) {
            return -1;
        }
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long[] dbCounters(String url, String user, String password) throws Exception {
        if (url == null) {
            return null;
        }
        try (Connection c = DriverManager.getConnection(url, user, password);
                ResultSet rs = c.createStatement().executeQuery("SELECT tup_inserted, tup_updated, tup_deleted, xact_commit FROM pg_stat_database "
                        + "WHERE datname = current_database()")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
        }
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            m.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        if (!m.containsKey("password")) {
            throw new IllegalArgumentException("usage: --core URL --password ADMIN_PASSWORD [--agents 2000] "
                    + "[--interval 5] [--seconds 60] [--warmup 15] [--tasks 200] [--core-pid PID] [--db-url JDBC --db-user U --db-password P]");
        }
        return m;
    }

    /** One simulated agent speaking docs/protocol.md. */
    static final class SimAgent {
        final String id;
        final String key;
        final CoreClient client;
        final ObjectNode applied = CoreClient.JSON.createObjectNode();
        final List<ObjectNode> results = new ArrayList<>();

        SimAgent(CoreClient client, JsonNode enrolled) {
            this.client = client;
            this.id = enrolled.get("agentId").asText();
            this.key = enrolled.get("apiKey").asText();
        }

        synchronized String body() {
            ObjectNode b = CoreClient.JSON.createObjectNode().put("version", "bench").put("hostname", "bench")
                    .put("address", "127.0.0.1");
            b.set("applied", applied.deepCopy());
            b.putArray("taskResults").addAll(results);
            results.clear();
            return b.toString();
        }

        CompletableFuture<HttpResponse<String>> syncAsync(int wait) {
            HttpRequest r = HttpRequest.newBuilder(URI.create(client.base + "/api/v1/agents/" + id + "/sync?wait=" + wait))
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(wait + 30)).POST(HttpRequest.BodyPublishers.ofString(body())).build();
            return client.http.sendAsync(r, HttpResponse.BodyHandlers.ofString());
        }

        void sync(int wait) throws Exception {
            HttpResponse<String> r = syncAsync(wait).get(wait + 30L, TimeUnit.SECONDS);
            if (r.statusCode() != 200) {
                throw new IllegalStateException("sync answered " + r.statusCode() + ": " + r.body());
            }
            absorb(r.body());
        }

        /** Applies an answer as a real agent would; returns whether it carried anything. */
        boolean absorb(String answer) {
            try {
                JsonNode body = CoreClient.JSON.readTree(answer);
                synchronized (this) {
                    body.path("sections").fields().forEachRemaining(e -> applied.putObject(e.getKey())
                            .put("revision", e.getValue().path("revision").asLong()).putNull("error"));
                }
                ackTasks(body);
                return body.path("sections").size() > 0 || body.path("tasks").size() > 0;
            } catch (java.io.IOException e) {
                throw new IllegalStateException("unreadable answer: " + answer, e);
            }
        }

        synchronized void ackTasks(JsonNode answer) {
            for (JsonNode t : answer.path("tasks")) {
                ObjectNode res = CoreClient.JSON.createObjectNode().put("id", t.get("id").asText())
                        .put("status", "SUCCEEDED");
                res.putObject("result");
                results.add(res);
            }
        }
    }

    private SyncBench() {
    }
}
