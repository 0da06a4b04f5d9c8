package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.MetricsOutbox;

/**
 * The metrics part of the sync: a batch rides on a sync with its id, is acknowledged once the core confirmed it
 * (at once by an older core's 200, else in {@code metricsStored} of this or a later answer) and given back
 * otherwise.
 */
class SyncLoopMetricsTest {

    /** An outbox keeping batches in memory, in order. */
    static class QueueOutbox implements MetricsOutbox {
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

        synchronized List<Long> givenBack() {
            return List.copyOf(givenBack);
        }

        synchronized int inFlight() {
            return inFlight;
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

    // --- a core that confirms batches later (metricsStored / metricsFailed); syncs driven one by one ---

    private final AtomicLong now = new AtomicLong();

    /** Drives {@link SyncLoop#syncOnce} from the test thread (no loop threads), with the test's clock. */
    private void direct() {
        loop.useIdentity(
                new AgentIdentity(core.url().toString(), FakeCore.AGENT_ID, FakeCore.API_KEY, "web-1", null, null));
        loop.setOutbox(outbox);
        loop.nanoClock(now::get);
    }

    /** An answer of a core that confirms batches later. */
    private ObjectNode confirming(List<Long> stored, List<Long> failed) {
        ObjectNode answer = core.answer();
        stored.forEach(answer.putArray("metricsStored")::add);
        if (!failed.isEmpty()) {
            failed.forEach(answer.putArray("metricsFailed")::add);
        }
        return answer;
    }

    /** One {@code sync?wait=0} answered with {@code answer} ({@code null}: an older core's answer). */
    private JsonNode sync(ObjectNode answer) throws Exception {
        core.syncs.clear();
        if (answer != null) {
            core.answers.add(answer);
        }
        loop.syncOnce(0);
        FakeCore.Sync sync = core.syncs.poll(10, TimeUnit.SECONDS);
        assertEquals(0, core.answers.size(), "the sync took the queued answer");
        return sync.body();
    }

    private static long sent(JsonNode request) {
        return request.at("/metrics/0/points/0/0").asLong() - 1_732_270_000_000L;
    }

    @Test
    void theRequestNamesItsBatchInMetricsBatch() throws Exception {
        direct();
        outbox.add(batch(5, 5));
        JsonNode request = sync(confirming(List.of(5L), List.of()));
        assertTrue(request.get("metricsBatch").isIntegralNumber());
        assertEquals(5, request.get("metricsBatch").asLong());
        assertEquals(5, sent(request));
        JsonNode empty = sync(confirming(List.of(), List.of()));
        assertFalse(empty.has("metricsBatch"), "no batch, no metricsBatch");
        assertEquals(0, empty.get("metrics").size());
    }

    @Test
    void aBatchWithANegativeIdGoesWithoutMetricsBatchAndA200StoresIt() throws Exception {
        direct();
        outbox.add(batch(-3, 3));
        JsonNode request = sync(confirming(List.of(), List.of()));
        assertFalse(request.has("metricsBatch"), "the core would refuse a negative id");
        assertEquals(-3, sent(request), "the batch went out");
        assertEquals(List.of(-3L), outbox.acknowledged(), "stored before the answer");
        assertEquals(List.of(), loop.acceptedBatches());
    }

    @Test
    void aBatchListedInMetricsStoredIsAcknowledged() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        sync(confirming(List.of(1L), List.of()));
        assertEquals(List.of(1L), outbox.acknowledged());
        assertEquals(List.of(), outbox.givenBack());
        assertEquals(0, outbox.inFlight());
        assertEquals(List.of(), loop.acceptedBatches());
    }

    @Test
    void anAcceptedBatchStaysInFlightUntilALaterAnswerListsIt() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        outbox.add(batch(2, 2));
        assertEquals(1, sent(sync(confirming(List.of(), List.of()))));
        assertEquals(List.of(), outbox.acknowledged());
        assertEquals(List.of(), outbox.givenBack());
        assertEquals(List.of(1L), loop.acceptedBatches());
        assertEquals(2, sent(sync(confirming(List.of(), List.of()))), "the next batch goes out meanwhile");
        assertEquals(List.of(1L, 2L), loop.acceptedBatches());
        assertEquals(2, outbox.inFlight());
        JsonNode request = sync(confirming(List.of(2L, 99L, 1L), List.of()));
        assertFalse(request.has("metricsBatch"));
        assertEquals(List.of(2L, 1L), outbox.acknowledged(), "unknown ids ignored");
        assertEquals(List.of(), outbox.givenBack());
        assertEquals(0, outbox.inFlight());
        assertEquals(List.of(), loop.acceptedBatches());
    }

    @Test
    void aBatchListedInMetricsFailedIsGivenBackAndSentAgain() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        sync(confirming(List.of(), List.of()));
        sync(confirming(List.of(), List.of(1L)));
        assertEquals(List.of(1L), outbox.givenBack());
        assertEquals(List.of(), loop.acceptedBatches());
        JsonNode again = sync(confirming(List.of(), List.of(1L)));
        assertEquals(1, again.get("metricsBatch").asLong(), "sent again");
        assertEquals(1, sent(again));
        assertEquals(List.of(1L, 1L), outbox.givenBack(), "the batch of the sync itself, failed at once");
        JsonNode third = sync(confirming(List.of(1L), List.of()));
        assertEquals(1, third.get("metricsBatch").asLong());
        assertEquals(List.of(1L), outbox.acknowledged());
        assertEquals(0, outbox.inFlight());
    }

    @Test
    void anOlderCoresAnswerAcknowledgesAtOnceAndGivesTheAcceptedBack() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        sync(confirming(List.of(), List.of()));
        outbox.add(batch(2, 2));
        JsonNode request = sync(null);
        assertEquals(2, request.get("metricsBatch").asLong());
        assertEquals(List.of(2L), outbox.acknowledged(), "no metricsStored: the 200 means stored");
        assertEquals(List.of(1L), outbox.givenBack(), "that core will not confirm it");
        assertEquals(List.of(), loop.acceptedBatches());
        assertEquals(1, sent(sync(null)));
        assertEquals(List.of(2L, 1L), outbox.acknowledged());
        assertEquals(0, outbox.inFlight());
    }

    @Test
    void aFailedSyncGivesBackItsBatchAndTheAcceptedOnes() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        outbox.add(batch(2, 2));
        sync(confirming(List.of(), List.of()));
        core.failSyncs.set(1);
        CoreStatusException e = assertThrows(CoreStatusException.class, () -> loop.syncOnce(0));
        assertEquals(503, e.status());
        assertEquals(List.of(2L, 1L), outbox.givenBack(), "newest first: the outbox keeps the order");
        assertEquals(List.of(), outbox.acknowledged());
        assertEquals(List.of(), loop.acceptedBatches());
        assertEquals(0, outbox.inFlight());
        assertEquals(1, sent(sync(confirming(List.of(1L), List.of()))), "sent again, in order");
        assertEquals(2, sent(sync(confirming(List.of(2L), List.of()))));
        assertEquals(List.of(1L, 2L), outbox.acknowledged());
    }

    @Test
    void anUnconfirmedBatchIsGivenBackAfterTheTimeout() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        sync(confirming(List.of(), List.of())); // accepted at 0; syncIntervalSeconds 2: the timeout is 120 s
        now.set(TimeUnit.SECONDS.toNanos(120));
        assertFalse(sync(confirming(List.of(), List.of())).has("metricsBatch"));
        assertEquals(List.of(), outbox.givenBack());
        assertEquals(List.of(1L), loop.acceptedBatches());
        now.set(TimeUnit.SECONDS.toNanos(121));
        ObjectNode slower = confirming(List.of(), List.of());
        slower.put("syncIntervalSeconds", 60);
        JsonNode request = sync(slower);
        assertEquals(List.of(1L), outbox.givenBack());
        assertEquals(1, request.get("metricsBatch").asLong(), "given back, then sent again by the same sync");
        assertEquals(List.of(1L), loop.acceptedBatches(), "accepted again at 121 s");
        // 60 s intervals: three of them (180 s) beat the 120 s
        now.set(TimeUnit.SECONDS.toNanos(121 + 180));
        sync(slower.deepCopy());
        assertEquals(List.of(1L), outbox.givenBack(), "not after 120 s but after 180 s");
        now.set(TimeUnit.SECONDS.toNanos(121 + 181));
        sync(slower.deepCopy());
        assertEquals(List.of(1L, 1L), outbox.givenBack());
    }

    @Test
    void theAcceptedBatchesOfAReplacedOutboxAreForgotten() throws Exception {
        direct();
        outbox.add(batch(1, 1));
        sync(confirming(List.of(), List.of()));
        QueueOutbox newer = new QueueOutbox();
        loop.setOutbox(newer);
        assertEquals(List.of(), loop.acceptedBatches());
        newer.add(batch(1, 10)); // the same id in the new outbox: not the old batch
        JsonNode request = sync(confirming(List.of(), List.of()));
        assertEquals(10.0, request.at("/metrics/0/points/0/1").asDouble());
        assertEquals(List.of(1L), loop.acceptedBatches());
        loop.clearOutbox(newer);
        assertEquals(List.of(), loop.acceptedBatches());
        sync(confirming(List.of(1L), List.of()));
        core.failSyncs.set(1);
        assertThrows(CoreStatusException.class, () -> loop.syncOnce(0));
        for (QueueOutbox box : List.of(outbox, newer)) {
            assertEquals(List.of(), box.acknowledged());
            assertEquals(List.of(), box.givenBack());
        }
    }

    @Test
    void aFaultyOutboxDoesNotBreakTheSync() throws Exception {
        QueueOutbox faulty = new QueueOutbox() {
            @Override
            public synchronized void acknowledge(Batch batch) {
                throw new IllegalStateException("acknowledge failed");
            }

            @Override
            public synchronized void giveBack(Batch batch) {
                throw new IllegalStateException("give back failed");
            }
        };
        direct();
        loop.setOutbox(faulty);
        faulty.add(batch(1, 1));
        faulty.add(batch(2, 2));
        sync(confirming(List.of(), List.of()));
        ObjectNode withTask = confirming(List.of(1L), List.of());
        withTask.putArray("tasks").addObject().put("id", "t-1").put("type", "none");
        core.answers.add(withTask);
        assertTrue(loop.syncOnce(0), "the answer's task is taken although acknowledging failed");
        assertEquals(List.of(2L), loop.acceptedBatches(), "1 settled (and the failure logged), 2 accepted");
        core.failSyncs.set(1);
        CoreStatusException e = assertThrows(CoreStatusException.class, () -> loop.syncOnce(0));
        assertEquals(503, e.status(), "the sync's own failure, not the outbox's");
        assertEquals(List.of(), loop.acceptedBatches());
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
