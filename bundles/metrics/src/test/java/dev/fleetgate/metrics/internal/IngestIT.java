package dev.fleetgate.metrics.internal;

import static dev.fleetgate.metrics.internal.Batches.batch;
import static dev.fleetgate.metrics.internal.Batches.labels;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

import dev.fleetgate.api.Topics;
import dev.fleetgate.metrics.MetricSeries;
import dev.fleetgate.persistence.testing.MutableClock;

class IngestIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    private static final String AGENT = "0b0e7a8e-1111-4c4c-9d9d-000000000001";

    private final MutableClock clock =
            new MutableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30));
    private MetricsStorage storage;
    private Ingestor ingestor;
    private final List<Event> events = new ArrayList<>();

    @BeforeEach
    void start() {
        db.truncate();
        storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        ingestor = new Ingestor(storage);
        ingestor.eventAdmin = new EventAdmin() {
            @Override
            public void postEvent(Event event) {
                events.add(event);
            }

            @Override
            public void sendEvent(Event event) {
                events.add(event);
            }
        };
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    private long t(int secondsAgo) {
        return clock.millis() - secondsAgo * 1000L;
    }

    @Test
    void newSeriesAreCreatedWithTheAgentLabelAndEveryPointIsStored() throws Exception {
        ingestor.accept(
                AGENT,
                batch().series(
                                "host_cpu_usage_percent",
                                labels("cpu", "total", "agent", "someone-else"),
                                t(20),
                                10,
                                t(10),
                                20,
                                t(0),
                                30)
                        .series("host_memory_used_bytes", labels(), t(10), 1e9, t(0), 2e9)
                        .json());
        assertEquals(2, db.count("SELECT count(*) FROM metric_series"));
        assertEquals(2, db.count("SELECT count(*) FROM metric_series WHERE labels->>'agent' = ?", AGENT));
        assertEquals(
                1,
                db.count(
                        "SELECT count(*) FROM metric_series WHERE labels = ?::jsonb",
                        "{\"agent\":\"" + AGENT + "\",\"cpu\":\"total\"}"));
        assertEquals(5, db.count("SELECT count(*) FROM metric_sample"));
        assertEquals(
                60,
                db.count("SELECT sum(value)::bigint FROM metric_sample s JOIN metric_series m"
                        + " ON m.id = s.series_id WHERE m.name = 'host_cpu_usage_percent'"));
        assertEquals(
                t(0) * 1000, db.count("SELECT (extract(epoch FROM max(ts)) * 1000000)::bigint FROM metric_sample"));

        Event e = events.get(0);
        assertEquals(Topics.METRICS_BATCH, e.getTopic());
        assertEquals(AGENT, e.getProperty("agentId"));
        assertEquals(5, e.getProperty("points"));
        @SuppressWarnings("unchecked")
        List<MetricSeries> series = (List<MetricSeries>) e.getProperty("series");
        assertEquals(Map.of("agent", AGENT, "cpu", "total"), series.get(0).labels());
        assertEquals(30.0, series.get(0).latest());
        assertEquals(5, storage.stats().rows());
    }

    @Test
    void aBatchInRawBytesIsStoredLikeATreeWithoutBuildingOne() throws Exception {
        byte[] body = ("{\"version\":\"x\",\"metrics\":"
                        + batch().series("host_cpu_usage_percent", labels("cpu", "total"), t(20), 10, t(10), 20)
                                .series("host_memory_used_bytes", labels(), t(10), 1e9)
                                .json()
                        + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int offset = "{\"version\":\"x\",\"metrics\":".length();
        ingestor.acceptJson(AGENT, body, offset, body.length - offset - 1);
        assertEquals(2, db.count("SELECT count(*) FROM metric_series WHERE labels->>'agent' = ?", AGENT));
        assertEquals(3, db.count("SELECT count(*) FROM metric_sample"));
        assertEquals(
                30,
                db.count("SELECT sum(value)::bigint FROM metric_sample s JOIN metric_series m"
                        + " ON m.id = s.series_id WHERE m.name = 'host_cpu_usage_percent'"));
        assertEquals(3, events.get(0).getProperty("points"));
        assertEquals(3, storage.stats().rows());
    }

    /** A sync body with the batch, and where the batch starts in it. */
    private static byte[] body(String batch) {
        return ("{\"metrics\":" + batch + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private java.util.concurrent.CompletableFuture<Void> later(Object batch) throws Exception {
        byte[] b = body(batch.toString());
        int offset = "{\"metrics\":".length();
        return ingestor.acceptJsonLater(AGENT, b, offset, b.length - offset - 1).toCompletableFuture();
    }

    /** Ends the backend of a COPY into metric_sample of this test's database once one waits (30 s at most). */
    private static long killWaitingCopy() throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long killed = 0;
        while (killed == 0 && System.nanoTime() < deadline) {
            killed = db.count("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE query LIKE 'COPY metric_sample%' AND pid <> pg_backend_pid()"
                    + " AND datname = current_database()");
            Thread.sleep(20);
        }
        return killed;
    }

    @Test
    void aBatchTakenForALaterCommitIsCommittedAfterTheCallAndAFailedCommitMakesTheNextOnesWait() throws Exception {
        Object first = batch().series("host_cpu_usage_percent", labels("cpu", "total"), t(20), 10, t(10), 20)
                .json();
        java.util.concurrent.CompletableFuture<Void> stage;
        try (java.sql.Connection lock = db.dataSource().getConnection();
                java.sql.Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE metric_sample IN ACCESS EXCLUSIVE MODE"); // holds the writer's COPY
            stage = later(first);
            assertTrue(!stage.isDone(), "the call returns before the commit");
            assertEquals(List.of(), events, "the event follows the commit");
            lock.commit();
        }
        stage.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(2, db.count("SELECT count(*) FROM metric_sample"));
        assertEquals(2, events.get(0).getProperty("points"));

        // a commit that fails: its stage fails, and the next batches are stored before the call returns
        java.util.concurrent.CompletableFuture<Void> failing;
        try (java.sql.Connection lock = db.dataSource().getConnection();
                java.sql.Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE metric_sample IN ACCESS EXCLUSIVE MODE");
            failing = later(batch().series("host_cpu_usage_percent", labels("cpu", "total"), t(5), 30)
                    .json());
            assertEquals(1, killWaitingCopy(), "the writer's COPY was found waiting");
            lock.commit();
        }
        java.util.concurrent.ExecutionException e = assertThrows(
                java.util.concurrent.ExecutionException.class,
                () -> failing.get(30, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof SQLException, String.valueOf(e.getCause()));
        java.util.concurrent.CompletableFuture<Void> next =
                later(batch().series("host_cpu_usage_percent", labels("cpu", "total"), t(4), 40)
                        .json());
        assertTrue(next.isDone() && !next.isCompletedExceptionally(), "stored before the call returned");
        assertEquals(3, db.count("SELECT count(*) FROM metric_sample"));
        clock.advance(Duration.ofMillis(SampleWriter.STORE_AT_ONCE_AFTER_FAILURE_MS + 1));
        java.util.concurrent.CompletableFuture<Void> again =
                later(batch().series("host_cpu_usage_percent", labels("cpu", "total"), t(3), 50)
                        .json());
        again.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(4, db.count("SELECT count(*) FROM metric_sample"));
    }

    @Test
    void aBigBatchIsStoredBeforeTheCallReturnsAndItsFailureIsThrown() throws Exception {
        Batches big = batch();
        for (int s = 0; s < SampleWriter.ALONE_ROWS; s++) {
            big.series("host_cpu_usage_percent", labels("cpu", "c" + s), t(5), s);
        }
        assertTrue(later(big.json()).isDone(), "stored on the caller's thread");
        assertEquals(SampleWriter.ALONE_ROWS, db.count("SELECT count(*) FROM metric_sample"));

        java.util.concurrent.CompletableFuture<Object> call;
        try (java.sql.Connection lock = db.dataSource().getConnection();
                java.sql.Statement st = lock.createStatement()) {
            lock.setAutoCommit(false);
            st.execute("LOCK TABLE metric_sample IN ACCESS EXCLUSIVE MODE");
            call = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return later(big.json());
                } catch (Exception e) {
                    return e;
                }
            });
            assertEquals(1, killWaitingCopy(), "the caller's COPY was found waiting");
            lock.commit();
        }
        Object outcome = call.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(outcome instanceof SQLException, "thrown, so that the sync answers 503: " + outcome);
    }

    @Test
    void concurrentSyncsShareCopyStatementsAndEachReturnsStored() throws Exception {
        ingestor.eventAdmin = null;
        int threads = 16;
        int each = 20;
        ingestor.accept(
                AGENT, batch().series("load1", labels("t", "0"), t(10), 1).json()); // series exist
        long before = storage.writer().groups();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            String agent = "0b0e7a8e-1111-4c4c-9d9d-0000000001" + String.format("%02d", i);
            Thread w = new Thread(() -> {
                try {
                    for (int n = 0; n < each; n++) {
                        ingestor.accept(
                                agent,
                                batch().series("load1", labels("t", "0"), t(n), n)
                                        .series("load5", labels(), t(n), n)
                                        .json());
                        // returned: committed, so a fresh connection sees this agent's rows so far
                        assertEquals(
                                2L * (n + 1),
                                db.count(
                                        "SELECT count(*) FROM metric_sample s JOIN metric_series m ON m.id = s.series_id"
                                                + " WHERE m.labels->>'agent' = ?",
                                        agent));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            workers.add(w);
            w.start();
        }
        for (Thread w : workers) {
            w.join(60_000);
        }
        assertTrue(failures.isEmpty(), failures.toString());
        assertEquals(1 + 2L * threads * each, db.count("SELECT count(*) FROM metric_sample"));
        long statements = storage.writer().groups() - before;
        assertTrue(statements < threads * each, "batches were grouped: " + statements + " COPYs for " + threads * each);
    }

    @Test
    void existingSeriesKeepTheirIdsAcrossBatchesAndCores() throws Exception {
        ingestor.accept(AGENT, batch().series("load1", labels(), t(10), 1).json());
        long id = db.count("SELECT id FROM metric_series");
        ingestor.accept(
                AGENT,
                batch().series("load1", labels(), t(0), 2)
                        .series("load5", labels(), t(0), 3)
                        .json());
        // another core: empty cache, same table
        Ingestor other = new Ingestor(MetricsStorage.open(db.dataSource(), Settings.defaults(), clock));
        other.accept(AGENT, batch().series("load1", labels(), t(5), 4).json());
        assertEquals(2, db.count("SELECT count(*) FROM metric_series"));
        assertEquals(3, db.count("SELECT count(*) FROM metric_sample WHERE series_id = ?", id));
    }

    @Test
    void twoAgentsSendingTheSameBytesKeepTheirOwnSeriesSyncAfterSync() throws Exception {
        String other = "0b0e7a8e-1111-4c4c-9d9d-000000000002";
        for (int sync = 0; sync < 3; sync++) {
            byte[] body = ("{\"metrics\":"
                            + batch().series("load1", labels("cpu", "total"), t(30 - sync * 10), sync)
                                    .json()
                            + "}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int offset = "{\"metrics\":".length();
            ingestor.acceptJson(AGENT, body, offset, body.length - offset - 1);
            ingestor.acceptJson(other, body, offset, body.length - offset - 1);
        }
        assertEquals(2, storage.sent().size(), "each agent's series remembered once");
        for (String agent : List.of(AGENT, other)) {
            assertEquals(
                    3,
                    db.count(
                            "SELECT count(*) FROM metric_sample s JOIN metric_series m ON m.id = s.series_id"
                                    + " WHERE m.labels->>'agent' = ? AND m.labels->>'cpu' = 'total'",
                            agent),
                    agent);
        }
        assertEquals(2, db.count("SELECT count(*) FROM metric_series"));
    }

    @Test
    void aResentBatchIsStoredTwiceButReadOnce() throws Exception {
        var b = batch().series("rps", labels("service", "shop"), t(50), 10, t(40), 20, t(30), 60)
                .json();
        ingestor.accept(AGENT, b);
        ingestor.accept(AGENT, b);
        assertEquals(6, db.count("SELECT count(*) FROM metric_sample"));
        storage.maintain();
        assertEquals(3, db.count("SELECT sum(cnt) FROM metric_rollup_1m"), "rollups count each (series, ts) once");
        assertEquals(90, db.count("SELECT sum(sum)::bigint FROM metric_rollup_1m"));
    }

    @Test
    void malformedSeriesAndPointsAreSkippedAndCounted() throws Exception {
        var b = Json.parse("[{\"name\":\"bad name\",\"points\":[[" + t(0) + ",1]]},"
                + "{\"name\":\"ok\",\"labels\":{\"__reserved\":\"x\"},\"points\":[[" + t(0) + ",1]]},"
                + "{\"name\":\"ok\",\"labels\":{\"k\":\"v\"},\"points\":[[" + t(0) + ",1],[\"x\",2],[" + t(0)
                + "],[" + t(0) + ",\"NaN\"],[1.5,3]]},"
                + "{\"name\":\"no_points\"}, 17]");
        ingestor.accept(AGENT, b);
        assertEquals(1, db.count("SELECT count(*) FROM metric_sample"));
        assertEquals(4, storage.stats().rejectedSeries());
        assertEquals(4, storage.stats().rejectedPoints());
    }

    @Test
    void pointsOutsideThePartitionsAreRejectedNotFailed() throws Exception {
        long tooOld = clock.millis() - Duration.ofDays(10).toMillis();
        long tooNew = clock.millis() + Duration.ofDays(10).toMillis();
        ingestor.accept(
                AGENT,
                batch().series("x", labels(), tooOld, 1, t(0), 2, tooNew, 3).json());
        assertEquals(1, db.count("SELECT count(*) FROM metric_sample"));
        assertEquals(2, storage.stats().rejectedPoints());
    }

    @Test
    void lateSamplesMarkTheirRangeAndTheRollupPicksThemUp() throws Exception {
        storage.maintain();
        long late = clock.millis() - Duration.ofHours(3).toMillis();
        ingestor.accept(
                AGENT,
                batch().series("late", labels(), late, 5, late + 10_000, 7).json());
        assertEquals(1, db.count("SELECT count(*) FROM metric_rollup_pending"));
        storage.maintain();
        assertEquals(0, db.count("SELECT count(*) FROM metric_rollup_pending"));
        assertEquals(2, db.count("SELECT sum(cnt) FROM metric_rollup_1m"));
        assertEquals(2, db.count("SELECT sum(cnt) FROM metric_rollup_1h"));
    }

    @Test
    void aStorageFailureThrowsAndIsCounted() {
        db.exec("ALTER TABLE metric_sample RENAME TO metric_sample_gone");
        try {
            assertThrows(
                    SQLException.class,
                    () -> ingestor.accept(
                            AGENT, batch().series("x", labels(), t(0), 1).json()));
            assertEquals(1, storage.stats().errors());
            assertTrue(events.isEmpty(), "nothing posted for a batch not stored");
        } finally {
            db.exec("ALTER TABLE metric_sample_gone RENAME TO metric_sample");
        }
    }
}
