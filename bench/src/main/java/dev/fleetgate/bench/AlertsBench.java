package dev.fleetgate.bench;

import java.io.InputStream;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.event.Event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.alerts.internal.AlertStore;
import dev.fleetgate.alerts.internal.AlertsConfig;
import dev.fleetgate.alerts.internal.AlertsRuntime;
import dev.fleetgate.alerts.internal.IncidentEngine;
import dev.fleetgate.alerts.internal.Rule;
import dev.fleetgate.alerts.internal.StoredChannel;
import dev.fleetgate.alerts.internal.WebhookChannel;
import dev.fleetgate.api.Topics;
import dev.fleetgate.security.internal.AesGcmSecretBox;

/**
 * Alerts benchmark on a scratch PostgreSQL database (prints figures, asserts nothing):
 * <ol>
 * <li>evaluation rate: metric rules over {@code --series} series (one new sample per series per
 * round, as agents send every 10 s), series evaluated per second;</li>
 * <li>latency: with the module's runtime (periodic evaluation every {@code --interval} s, outbox
 * sender) and the series load fed every 10 s, a breaching sample is stored and the time until a
 * local webhook receives the message is measured, {@code --trials} times;</li>
 * <li>condition true → message at the agent's 10 s collection interval: the condition starts at a
 * random moment, the "agent" samples it at its next 10 s collection (stamped then) and pushes the
 * batch at once (as the agent's {@code requestSync} does); measured from the condition's start.</li>
 * </ol>
 */
public final class AlertsBench {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private AlertsBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = MetricsBench.parse(args);
        int series = Integer.parseInt(a.getOrDefault("series", "10000"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
        int trials = Integer.parseInt(a.getOrDefault("trials", "20"));
        int interval = Integer.parseInt(a.getOrDefault("interval", "5"));
        try (ScratchDatabase scratch = new ScratchDatabase()) {
            String url = scratch.url();
            String user = scratch.user;
            String password = scratch.password;
            String db = scratch.name;
            System.out.printf(
                    "Alerts benchmark: %d cores, %d series, scratch database %s%n",
                    Runtime.getRuntime().availableProcessors(), series, db);
            try (ConnectionPool pool = new ConnectionPool(url, user, password, 6)) {
                migrate(pool);
                AlertStore store = AlertStore.of(pool);
                sql(
                        pool,
                        "INSERT INTO metric_series (name, labels) SELECT 'bench_load', jsonb_build_object('agent', 'a' || i)"
                                + " FROM generate_series(1, " + series + ") i");
                long base = System.currentTimeMillis() / 1000 - 3600;
                System.out.println();
                System.out.println(
                        "## Evaluation rate (one evaluation = every enabled metric rule over its new samples)");
                evaluationRate(pool, store, series, rounds, base, "last", 0);
                evaluationRate(pool, store, series, rounds, base + rounds * 10L + 10, "avg", 60);
                sql(pool, "UPDATE alert_rule SET enabled = false WHERE metric = 'bench_load'");
                latency(pool, store, series, trials, interval, true, 0);
                latency(pool, store, series, trials, interval, false, 0);
                latency(pool, store, series, trials, interval, true, 10);
            }
        }
    }

    static void evaluationRate(
            ConnectionPool pool,
            AlertStore store,
            int series,
            int rounds,
            long startSecond,
            String aggregate,
            int window)
            throws Exception {
        sql(pool, "UPDATE alert_rule SET enabled = false");
        store.createRule(new Rule(
                null,
                "bench " + aggregate + " " + UUID.randomUUID(),
                "metric",
                true,
                "warning",
                "bench_load",
                Map.of(),
                aggregate,
                window,
                ">",
                1e12,
                null,
                0,
                0,
                null,
                0,
                java.util.List.of(),
                false,
                null,
                null));
        IncidentEngine engine = new IncidentEngine(pool, new IncidentEngine.Settings(100_000, 3600, 3));
        System.out.printf(
                "%naggregate %s over %d s, %d series, one sample per series per round:%n", aggregate, window, series);
        for (int r = 0; r < rounds; r++) {
            long ts = startSecond + r * 10L;
            sql(
                    pool,
                    "INSERT INTO metric_sample (ts, series_id, value) SELECT to_timestamp(" + ts + "), id,"
                            + " random() * 100 FROM metric_series WHERE name = 'bench_load'");
            long t0 = System.nanoTime();
            IncidentEngine.Evaluation e = engine.evaluateMetrics();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(
                    "  round %d: %,d series, %,d samples in %.3f s = %,.0f series/s%s%n",
                    r + 1,
                    e.series(),
                    e.samples(),
                    s,
                    e.series() / s,
                    r == 0 ? " (first: the series' state rows are created)" : "");
        }
    }

    /**
     * @param trigger post {@code fleetgate/metrics/batch} after each stored batch, as the metrics module
     *                does (the module then evaluates at once); false: periodic evaluation only
     * @param collect 0: each trial stores its breaching sample at once (measured from the store); else
     *                the agent's collection interval: the trial's condition starts, the feeder (the
     *                "agent") samples it at its next collection, every {@code collect} s (measured from
     *                the condition's start)
     */
    static void latency(
            ConnectionPool pool, AlertStore store, int series, int trials, int interval, boolean trigger, int collect)
            throws Exception {
        sql(pool, "DELETE FROM alert_rule WHERE metric = 'bench_latency'");
        sql(pool, "DELETE FROM alert_channel");
        Map<String, Long> received = new ConcurrentHashMap<>();
        HttpServer hook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        hook.createContext("/", ex -> {
            JsonNode body = MAPPER.readTree(ex.getRequestBody().readAllBytes());
            received.putIfAbsent(
                    body.path("incident").path("subject").asText() + "/"
                            + body.path("event").asText(),
                    System.nanoTime());
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        hook.start();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        AesGcmSecretBox box = new AesGcmSecretBox(key);
        StoredChannel ch = store.createChannel(
                "bench hook",
                "webhook",
                MAPPER.createObjectNode()
                        .put("url", "http://127.0.0.1:" + hook.getAddress().getPort() + "/"),
                Map.of(),
                6000,
                true);
        // the load: the 10,000 series evaluated by a rule, one sample each every 10 s, as agents send them
        sql(pool, "UPDATE alert_rule SET enabled = true WHERE metric = 'bench_load' AND aggregate = 'last'");
        store.createRule(new Rule(
                null,
                "bench latency",
                "metric",
                true,
                "critical",
                "bench_latency",
                Map.of(),
                "last",
                0,
                ">",
                50.0,
                null,
                0,
                0,
                null,
                0,
                java.util.List.of(ch.id()),
                false,
                null,
                null));
        AlertsConfig config = config(interval);
        AlertsRuntime runtime = new AlertsRuntime(store, box, config);
        String prefix = collect > 0 ? "c" : trigger ? "t" : "p";
        java.util.Set<Long> breaching = ConcurrentHashMap.newKeySet();
        runtime.bindChannel(new WebhookChannel());
        ScheduledExecutorService feeder = Executors.newSingleThreadScheduledExecutor();
        feeder.scheduleAtFixedRate(
                () -> {
                    try {
                        sql(
                                pool,
                                "INSERT INTO metric_sample (ts, series_id, value) SELECT now(), id, random() * 100"
                                        + " FROM metric_series WHERE name = 'bench_load'");
                        for (Long id : breaching) {
                            sql(
                                    pool,
                                    "INSERT INTO metric_sample (ts, series_id, value) VALUES (now(), " + id + ", 99)");
                            breaching.remove(id);
                        }
                        if (trigger) {
                            runtime.handleEvent(new Event(Topics.METRICS_BATCH, Map.of()));
                        }
                    } catch (Exception e) {
                        e.printStackTrace();
                    }
                },
                0,
                collect > 0 ? collect : 10,
                TimeUnit.SECONDS);
        Stats stats = new Stats();
        try {
            if (collect > 0) {
                System.out.printf(
                        "%n## Condition true -> webhook received, at a %d s metrics interval (the condition"
                                + " starts at a random moment, is sampled at the next collection and pushed at once; evaluated"
                                + " after each stored batch; %,d other series evaluated meanwhile)%n",
                        collect, series);
            } else {
                System.out.printf(
                        "%n## Condition true in a stored sample -> webhook received (%s; evaluation every %d s; "
                                + "%,d other series evaluated meanwhile, one new sample each every 10 s)%n",
                        trigger
                                ? "evaluated after each stored batch, at most once a second"
                                : "periodic evaluation only",
                        interval,
                        series);
            }
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < trials; i++) {
                Thread.sleep(collect > 0 ? random.nextInt(collect * 1000) : 500 + random.nextInt(interval * 1000));
                String agent = "lat" + prefix + i;
                long seriesId;
                try (Connection c = pool.getConnection();
                        PreparedStatement ps = c.prepareStatement(
                                "INSERT INTO metric_series (name, labels) VALUES ('bench_latency', jsonb_build_object('agent', ?::text))"
                                        + " RETURNING id")) {
                    ps.setString(1, agent);
                    var rs = ps.executeQuery();
                    rs.next();
                    seriesId = rs.getLong(1);
                }
                long t0 = System.nanoTime();
                if (collect > 0) {
                    breaching.add(seriesId); // the "agent" samples it at its next collection
                } else {
                    sql(pool, "INSERT INTO metric_sample (ts, series_id, value) VALUES (now(), " + seriesId + ", 99)");
                    if (trigger) {
                        runtime.handleEvent(new Event(Topics.METRICS_BATCH, Map.of()));
                    }
                }
                String k = "agent=" + agent + "/opened";
                long deadline = t0 + TimeUnit.SECONDS.toNanos(interval * 6L + 30 + collect);
                while (!received.containsKey(k) && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                Long t1 = received.get(k);
                if (t1 == null) {
                    System.out.println("  trial " + (i + 1) + ": no message within the deadline");
                } else {
                    stats.add((t1 - t0) / 1000);
                }
            }
            System.out.printf("  %s; p95=%.0f ms%n", stats.summary(), stats.percentileMillis(95));
            System.out.println(
                    collect > 0
                            ? "  (not included: the agent's collection work and the sync request's"
                                    + " transfer, milliseconds on a LAN; see bench/run-sync.sh)"
                            : "  (end to end add the agent's collection interval, 10 s, and its sync: the sample"
                                    + " reaches the core with the next sync)");
        } finally {
            feeder.shutdownNow();
            runtime.deactivate();
            hook.stop(0);
        }
    }

    static AlertsConfig config(int interval) {
        return (AlertsConfig) Proxy.newProxyInstance(
                AlertsConfig.class.getClassLoader(),
                new Class<?>[] {AlertsConfig.class},
                (p, m, args) -> switch (m.getName()) {
                    case "evaluationIntervalSeconds" -> interval;
                    case "dispatchIntervalMillis" -> 1000;
                    case "minEvaluationGapMillis" -> 1000;
                    case "annotationType" -> AlertsConfig.class;
                    case "hashCode" -> 0;
                    case "equals" -> p == args[0];
                    case "toString" -> "AlertsConfig";
                    default -> m.getDefaultValue();
                });
    }

    static void migrate(ConnectionPool pool) throws Exception {
        for (String path : new String[] {
            "db/metrics/V1__metrics.sql",
            "db/alerts/V1__alerts.sql",
            "db/alerts/V2__default_rules.sql",
            "db/alerts/V3__event_rules.sql",
            "db/alerts/V4__monitor_down_rule.sql",
            "db/alerts/V5__service_5xx_rule.sql",
            "db/alerts/V6__event_pending.sql",
            "db/alerts/V7__monitor_down_templates.sql"
        }) {
            try (InputStream in = AlertsBench.class.getClassLoader().getResourceAsStream(path)) {
                sql(pool, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            if (path.contains("metrics")) {
                sql(pool, "CREATE TABLE metric_sample_default PARTITION OF metric_sample DEFAULT");
            }
        }
    }

    static void sql(ConnectionPool pool, String sql) throws Exception {
        try (Connection c = pool.getConnection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
