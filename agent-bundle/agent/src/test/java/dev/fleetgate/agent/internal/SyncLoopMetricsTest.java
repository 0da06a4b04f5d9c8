package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import dev.fleetgate.agent.MetricsOutbox;

/** The metrics part of the sync: a batch rides on a sync, is acknowledged after a 200 and given back otherwise. */
class SyncLoopMetricsTest {

    /** An outbox keeping batches in memory, in order. */
    static final class QueueOutbox implements MetricsOutbox {
        final Deque<Batch> pending = new ArrayDeque<>();
        final List<Long> acknowledged = new ArrayList<>();
        final List<Long> givenBack = new ArrayList<>();
        int inFlight;

        synchronized void add(Batch batch) {
            pending.addLast(batch);
        }

        @Override
        public synchronized Batch poll() {
            Batch batch = pending.pollFirst();
            if (batch != null) {
                inFlight++;
            }
            return batch;
        }

        @Override
        public synchronized void acknowledge(Batch batch) {
            inFlight--;
            acknowledged.add(batch.id());
        }

        @Override
        public synchronized void giveBack(Batch batch) {
            inFlight--;
            givenBack.add(batch.id());
            pending.addFirst(batch);
        }

        @Override
        public synchronized boolean hasPending() {
            return !pending.isEmpty();
        }

        synchronized List<Long> acknowledged() {
            return List.copyOf(acknowledged);
        }
    }

    private final ObjectMapper mapper = new ObjectMapper();
    private final QueueOutbox outbox = new QueueOutbox();
    private FakeCore core;
    private TestAgent agent;
    private SyncLoop loop;

    @TempDir
    Path state;

    @BeforeEach
    void start() throws Exception {
        core = new FakeCore();
        TestAgent.storeIdentity(mapper, core, state);
        agent = new TestAgent(mapper, core, state, null, id -> {}, message -> {});
        loop = agent.loop;
    }

    @AfterEach
    void stop() {
        agent.close();
        core.close();
    }

    private MetricsOutbox.Batch batch(long id, double value) {
        ArrayNode series = mapper.createArrayNode();
        var one = series.addObject();
        one.put("name", "host_cpu_usage_percent");
        one.putObject("labels").put("cpu", "total");
        one.putArray("points").addArray().add(1_732_270_000_000L + id).add(value);
        return new MetricsOutbox.Batch(id, series);
    }

    @Test
    void withoutABatchMetricsIsAnEmptyArray() throws Exception {
        loop.start();
        FakeCore.Sync sync = core.awaitSync(s -> true, 10_000);
        assertTrue(sync.body().get("metrics").isArray());
        assertEquals(0, sync.body().get("metrics").size());
        loop.setOutbox(outbox);
        FakeCore.Sync next = core.awaitSync(s -> true, 10_000);
        assertEquals(0, next.body().get("metrics").size());
    }

    @Test
    void aReadyBatchIsPushedAndAcknowledgedAfterA200() throws Exception {
        loop.setOutbox(outbox);
        loop.start();
        core.awaitSync(s -> true, 10_000); // the first long-poll is under way
        outbox.add(batch(1, 12.5));
        loop.requestPush();
        FakeCore.Sync sync = core.awaitSync(s -> s.body().get("metrics").size() > 0, 10_000);
        JsonNode series = sync.body().get("metrics").get(0);
        assertEquals("host_cpu_usage_percent", series.get("name").asText());
        assertEquals("total", series.at("/labels/cpu").asText());
        assertEquals(12.5, series.at("/points/0/1").asDouble());
        assertEquals(0, sync.waitSeconds(), "pushed at once, not held in a long-poll");
        Processes.await(() -> outbox.acknowledged().equals(List.of(1L)));
        assertEquals(List.of(), outbox.givenBack);
    }

    @Test
    void aFailedSyncGivesTheBatchBackAndItIsSentAgainInOrder() throws Exception {
        loop.setOutbox(outbox);
        core.failSyncs.set(2);
        outbox.add(batch(1, 1));
        outbox.add(batch(2, 2));
        loop.start();
        List<Long> sent = new ArrayList<>();
        List<Integer> statuses = new ArrayList<>();
        while (!sent.contains(2L)) {
            FakeCore.Sync sync = core.awaitSync(s -> s.body().get("metrics").size() > 0, 20_000);
            sent.add(sync.body().at("/metrics/0/points/0/0").asLong() - 1_732_270_000_000L);
            statuses.add(sync.status());
        }
        Processes.await(() -> outbox.acknowledged().equals(List.of(1L, 2L)));
        assertEquals(List.of(503, 503, 200, 200), statuses);
        assertEquals(List.of(1L, 1L, 1L, 2L), sent, "given back twice, then sent before the newer batch");
        assertEquals(List.of(1L, 1L), outbox.givenBack);
        assertEquals(0, outbox.inFlight);
    }

    @Test
    void aReplacedOutboxIsNotClearedByTheOldOnesUnbind() throws Exception {
        QueueOutbox newer = new QueueOutbox();
        loop.setOutbox(outbox);
        loop.setOutbox(newer);
        loop.clearOutbox(outbox);
        newer.add(batch(7, 7));
        loop.start();
        FakeCore.Sync sync = core.awaitSync(s -> s.body().get("metrics").size() > 0, 10_000);
        assertEquals(7.0, sync.body().at("/metrics/0/points/0/1").asDouble());
    }

    /** Polling helper (no bare sleeps for synchronisation). */
    static final class Processes {
        static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
            long end = System.nanoTime() + 10_000_000_000L;
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() > end) {
                    throw new AssertionError("condition not met within 10 s");
                }
                Thread.sleep(20);
            }
        }
    }
}
