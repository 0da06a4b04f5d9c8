package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.MetricsSink;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.persistence.testing.MutableClock;

/** The metrics batch of a sync goes to the sink before anything is recorded; its failure fails the sync. */
class SyncMetricsIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private static final String SERIES = "[{\"name\":\"host_cpu_usage_percent\",\"labels\":{\"cpu\":\"total\"},"
            + "\"points\":[[1732270000000,12.5]]}]";

    private final MutableClock clock = new MutableClock();
    private Core core;
    private Enrolment.Enrolled agent;

    /** Records what it got; fails while {@code failing}. */
    private static class Sink implements MetricsSink {
        final List<String> agents = new ArrayList<>();
        final List<JsonNode> batches = new ArrayList<>();
        volatile boolean failing;

        @Override
        public void accept(String agentId, JsonNode series) throws Exception {
            if (failing) {
                throw new java.sql.SQLException("database unreachable");
            }
            agents.add(agentId);
            batches.add(series);
        }
    }

    @BeforeEach
    void start() throws Exception {
        core = new Core(db.dataSource(), Settings.defaults(), clock);
        agent = core.enroll("metrics-" + System.nanoTime());
        core.idle();
    }

    @AfterEach
    void stop() {
        core.close();
    }

    private String report(String metrics, String taskResults) {
        return "{\"version\":\"0.1.0\",\"applied\":{\"bundles\":{\"revision\":1}},\"taskResults\":" + taskResults
                + ",\"metrics\":" + metrics + "}";
    }

    @Test
    void theSinkGetsTheBatchWithTheAgentId() {
        Sink sink = new Sink();
        core.sync.setMetricsSink(sink);
        core.sync.syncNow(agent.agentId(), agent.apiKey(), Json.parse(report(SERIES, "[]")));
        assertEquals(List.of(agent.agentId()), sink.agents);
        assertEquals(Json.parse(SERIES), sink.batches.get(0));

        core.sync.syncNow(agent.agentId(), agent.apiKey(), Json.parse(report("[]", "[]")));
        assertEquals(1, sink.batches.size(), "an empty batch is not handed over");
    }

    @Test
    void aFailingSinkAnswers503AndAcknowledgesNothing() {
        Sink sink = new Sink();
        sink.failing = true;
        core.sync.setMetricsSink(sink);
        TaskView task = core.tasks.submit(agent.agentId(), "probe", null, null);
        core.tasks.deliver(agent.agentId());
        String results = "[{\"id\":\"" + task.id() + "\",\"status\":\"SUCCEEDED\",\"result\":{}}]";

        WebApplicationException e = assertThrows(
                WebApplicationException.class,
                () -> core.sync.syncNow(agent.agentId(), agent.apiKey(), Json.parse(report(SERIES, results))));
        Response r = e.getResponse();
        assertEquals(503, r.getStatus());
        assertEquals("application/problem+json", r.getMediaType().toString());
        assertEquals(String.valueOf(SyncService.METRICS_RETRY_AFTER_SECONDS), r.getHeaderString("Retry-After"));
        assertTrue(Json.parse((String) r.getEntity()).get("status").asInt() == 503);
        assertEquals(
                TaskStatus.DELIVERED, core.tasks.get(task.id()).orElseThrow().status(), "task result not acknowledged");
        assertEquals(
                0L,
                core.desired.state(agent.agentId()).get("bundles").appliedRevision(),
                "applied revision not recorded");

        sink.failing = false; // the agent resends the same sync: now everything is recorded
        core.sync.syncNow(agent.agentId(), agent.apiKey(), Json.parse(report(SERIES, results)));
        assertEquals(1, sink.batches.size());
        assertEquals(
                TaskStatus.SUCCEEDED, core.tasks.get(task.id()).orElseThrow().status());
        assertEquals(1L, core.desired.state(agent.agentId()).get("bundles").appliedRevision());
    }

    /** As the REST resource calls it: the body as bytes, the metrics array handed over raw. */
    private SyncService.Answer syncRaw(String body) {
        SyncService.Answer[] out = new SyncService.Answer[1];
        core.sync.sync(
                agent.agentId(),
                agent.apiKey(),
                SyncBody.parse(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                0,
                a -> out[0] = a);
        return out[0];
    }

    @Test
    void aRawBodyHandsTheArrayAsItCameAndKeepsTheSameGuarantees() {
        List<String> raw = new ArrayList<>();
        Sink sink = new Sink() {
            @Override
            public void acceptJson(String agentId, byte[] json, int offset, int length) throws Exception {
                raw.add(new String(json, offset, length, java.nio.charset.StandardCharsets.UTF_8));
                super.acceptJson(agentId, json, offset, length); // the default: parse, then accept
            }
        };
        core.sync.setMetricsSink(sink);
        syncRaw(report(SERIES, "[]"));
        assertEquals(List.of(SERIES), raw, "the exact bytes of the array");
        assertEquals(Json.parse(SERIES), sink.batches.get(0));
        syncRaw(report("[ ]", "[]"));
        assertEquals(1, raw.size(), "an empty batch is not handed over");

        TaskView task = core.tasks.submit(agent.agentId(), "probe", null, null);
        core.tasks.deliver(agent.agentId());
        String results = "[{\"id\":\"" + task.id() + "\",\"status\":\"SUCCEEDED\",\"result\":{}}]";
        sink.failing = true;
        WebApplicationException e = assertThrows(WebApplicationException.class, () -> syncRaw(report(SERIES, results)));
        assertEquals(503, e.getResponse().getStatus());
        assertEquals(
                TaskStatus.DELIVERED, core.tasks.get(task.id()).orElseThrow().status(), "task result not acknowledged");
        sink.failing = false;
        syncRaw(report(SERIES, results));
        assertEquals(
                TaskStatus.SUCCEEDED, core.tasks.get(task.id()).orElseThrow().status());

        assertEquals(
                400,
                assertThrows(
                                dev.fleetgate.api.ApiException.class,
                                () -> syncRaw("{\"metrics\":{\"not\":\"an array\"}}"))
                        .status());
    }

    private String reportWithBatch(String metrics, long batch) {
        return "{\"version\":\"0.1.0\",\"applied\":{\"bundles\":{\"revision\":1}},\"taskResults\":[],"
                + "\"metricsBatch\":" + batch + ",\"metrics\":" + metrics + "}";
    }

    @Test
    void aBatchWithAnIdIsAnsweredBeforeItsCommitAndConfirmedInALaterAnswer() {
        List<java.util.concurrent.CompletableFuture<Void>> commits = new ArrayList<>();
        List<String> raw = new ArrayList<>();
        Sink sink = new Sink() {
            @Override
            public java.util.concurrent.CompletionStage<Void> acceptJsonLater(
                    String agentId, byte[] json, int offset, int length) throws Exception {
                if (failing) {
                    throw new java.sql.SQLException("database unreachable");
                }
                raw.add(new String(json, offset, length, java.nio.charset.StandardCharsets.UTF_8));
                java.util.concurrent.CompletableFuture<Void> commit = new java.util.concurrent.CompletableFuture<>();
                commits.add(commit);
                return commit;
            }
        };
        core.sync.setMetricsSink(sink);

        SyncService.Answer first = syncRaw(reportWithBatch(SERIES, 7));
        assertEquals(List.of(SERIES), raw, "handed over before the answer");
        assertEquals(List.of(), first.metricsStored(), "answered before the commit: nothing confirmed yet");
        assertEquals(List.of(), first.metricsFailed());
        assertEquals(1L, core.desired.state(agent.agentId()).get("bundles").appliedRevision(), "the report recorded");

        SyncService.Answer second = syncRaw(reportWithBatch(SERIES, 8));
        assertEquals(List.of(), second.metricsStored(), "still not committed");
        commits.get(0).complete(null);
        commits.get(1).completeExceptionally(new java.sql.SQLException("lost"));
        SyncService.Answer third = syncRaw(report("[]", "[]")); // no batch of its own: confirms the earlier ones
        assertEquals(List.of(7L), third.metricsStored());
        assertEquals(List.of(8L), third.metricsFailed());
        SyncService.Answer fourth = syncRaw(report("[]", "[]"));
        assertEquals(null, fourth.metricsStored(), "nothing left to confirm: an answer as before");

        sink.failing = true; // refused at once: 503, as without an id
        WebApplicationException e =
                assertThrows(WebApplicationException.class, () -> syncRaw(reportWithBatch(SERIES, 9)));
        assertEquals(503, e.getResponse().getStatus());
        sink.failing = false;

        core.sync.setMetricsSink(new Sink()); // a sink that stores at once (the default acceptJsonLater)
        SyncService.Answer atOnce = syncRaw(reportWithBatch(SERIES, 10));
        assertEquals(List.of(10L), atOnce.metricsStored(), "stored before the answer: confirmed in it");

        for (String bad : List.of("-1", "1.5", "\"7\"")) {
            dev.fleetgate.api.ApiException invalid = assertThrows(
                    dev.fleetgate.api.ApiException.class,
                    () -> syncRaw("{\"metricsBatch\":" + bad + ",\"metrics\":[]}"));
            assertEquals(400, invalid.status(), bad);
            assertEquals("metricsBatch", invalid.errors().get(0).field(), bad);
        }
    }

    @Test
    void withoutASinkBatchesAreAcceptedAndCounted() {
        long before = core.sync.droppedMetricBatches();
        SyncService.Answer a = core.sync.syncNow(agent.agentId(), agent.apiKey(), Json.parse(report(SERIES, "[]")));
        assertEquals(before + 1, core.sync.droppedMetricBatches());
        assertEquals(1L, core.desired.state(agent.agentId()).get("bundles").appliedRevision());
        assertTrue(a.sections().isEmpty());
    }
}
