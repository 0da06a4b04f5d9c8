package dev.fleetgate.agents.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import javax.sql.DataSource;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.MetricsSink;
import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.security.SecretBox;

/**
 * Handles agent syncs as docs/protocol.md describes: checks the key, records the report
 * (writing only what changed), answers with newer sections and deliverable tasks, and
 * holds the request when there is nothing to send.
 *
 * <p>A metrics batch goes to the {@link MetricsSink} (at most one, the highest ranked)
 * synchronously, before anything else of the report is recorded: when the sink fails, the
 * sync answers 503 with {@code Retry-After} and nothing is acknowledged, so the agent keeps
 * the batch (and its task results) and sends them again. Without a sink the batch is
 * dropped and counted. A batch named by {@code metricsBatch} is read by the sink before the
 * answer and may be committed after it ({@link MetricsSink#acceptJsonLater}); answers list the
 * agent's batches committed since ({@code metricsStored}) or lost ({@code metricsFailed}).
 */
@Component(service = SyncService.class)
public final class SyncService {
    private static final Logger LOG = LoggerFactory.getLogger(SyncService.class);
    /** Seconds an agent waits before resending a batch the sink could not store. */
    static final int METRICS_RETRY_AFTER_SECONDS = 5;

    /** The answer of a sync. */
    /**
     * The answer of a sync.
     *
     * @param metricsStored the agent's metric batches committed since its previous answer ({@code null}: the agent
     *                      does not take confirmations, a 200 means its batch is stored)
     * @param metricsFailed its accepted batches that could not be stored: to send again ({@code null} as above)
     */
    public record Answer(
            Map<String, DesiredStateEngine.SectionBody> sections,
            List<TaskQueue.Delivery> tasks,
            int syncIntervalSeconds,
            List<Long> metricsStored,
            List<Long> metricsFailed) {
        public Answer(
                Map<String, DesiredStateEngine.SectionBody> sections,
                List<TaskQueue.Delivery> tasks,
                int syncIntervalSeconds) {
            this(sections, tasks, syncIntervalSeconds, null, null);
        }

        /** Sections or tasks to send (confirmations alone do not end a long-poll). */
        public boolean isEmpty() {
            return sections.isEmpty() && tasks.isEmpty();
        }
    }

    private final AgentRegistry registry;
    private final DesiredStateEngine desiredState;
    private final SecretBox box;
    private final TaskQueue tasks;
    private final Notifier notifier;
    private final ReportStore reports;
    private final LongPolls polls = new LongPolls();
    private final MetricBatchConfirmations confirmations = new MetricBatchConfirmations();
    /** Section bodies of a batch of held syncs being re-checked on this thread (see {@link #prefetch}). */
    private static final ThreadLocal<Map<String, Map<String, DesiredStateEngine.SectionBody>>> PREFETCHED =
            new ThreadLocal<>();

    private final Notifier.Listener listener = this::onChange;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile EventAdmin eventAdmin;

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MetricsSink metricsSink;

    private final AtomicLong droppedMetricBatches = new AtomicLong();
    /** The last sync session (agent process) seen per agent by this core. */
    private final Map<String, String> sessions = new java.util.concurrent.ConcurrentHashMap<>();

    @Activate
    public SyncService(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference AgentRegistry registry,
            @Reference DesiredStateEngine desiredState,
            @Reference TaskQueue tasks,
            @Reference Notifier notifier,
            @Reference SecretBox box) {
        this.registry = registry;
        this.box = box;
        this.desiredState = desiredState;
        this.tasks = tasks;
        this.notifier = notifier;
        this.reports = new ReportStore(dataSource, registry.clock());
        polls.batch(this::prefetch);
        // Added after the registry's and the engine's listeners: their caches are fresh when we re-check.
        notifier.addListener(listener);
    }

    @Deactivate
    public void close() {
        notifier.removeListener(listener);
        polls.close();
        reports.close();
    }

    public void setEventAdmin(EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    public void setMetricsSink(MetricsSink metricsSink) {
        this.metricsSink = metricsSink;
    }

    /** @return metric batches accepted and dropped because no {@link MetricsSink} was there */
    public long droppedMetricBatches() {
        return droppedMetricBatches.get();
    }

    public int syncIntervalSeconds() {
        return registry.settings().syncIntervalSeconds();
    }

    /**
     * Handles one sync; {@code respond} is called exactly once, at once or when the held
     * request ends.
     *
     * @throws ApiException 401 for an unknown agent or a wrong key, 400 for a bad body
     * @throws WebApplicationException 503 (problem+json, {@code Retry-After}) when the metrics
     *         sink could not store the batch; nothing of the report was recorded
     */
    public void sync(String agentId, String apiKey, JsonNode body, int waitSeconds, Consumer<Answer> respond) {
        sync(agentId, apiKey, SyncBody.of(body), waitSeconds, respond);
    }

    /** As {@link #sync(String, String, JsonNode, int, Consumer)}, the metrics array handed to the sink as raw JSON. */
    public void sync(String agentId, String apiKey, SyncBody raw, int waitSeconds, Consumer<Answer> respond) {
        AgentRegistry.Check check = registry.verify(agentId, apiKey);
        if (check != AgentRegistry.Check.OK) {
            // Unknown agent and wrong key answer alike, so that strangers cannot probe agent ids.
            throw new ApiException(401, "Unknown agent or invalid API key");
        }
        syncVerified(agentId, raw, waitSeconds, respond);
    }

    /**
     * As {@link #sync(String, String, SyncBody, int, Consumer)} for a caller that checked the agent's API key
     * itself, before it read the body: the REST sync, whose key {@code AgentKeyFilter} checks.
     */
    public void syncVerified(String agentId, SyncBody raw, int waitSeconds, Consumer<Answer> respond) {
        JsonNode body = raw.report();
        SyncReport report = SyncReport.parse(body);
        long batch = report.metricsBatch();
        if (batch >= 0) { // the agent takes confirmations in later answers: no need to wait for the commit
            CompletionStage<Void> done;
            if (!raw.hasRawMetrics()) {
                done = stored(() -> storeMetrics(agentId, report.metrics()));
            } else if (confirmations.mayWait(agentId)) {
                done = storeMetricsLater(agentId, raw);
            } else { // too many of its batches wait for their commit: this one is stored before the answer
                done = stored(() -> storeMetrics(agentId, raw));
            }
            confirmations.add(agentId, batch, done);
        } else if (raw.hasRawMetrics()) {
            storeMetrics(agentId, raw);
        } else {
            storeMetrics(agentId, report.metrics());
        }
        Consumer<Answer> reply =
                batch >= 0 || confirmations.tracks(agentId) ? a -> respond.accept(confirm(agentId, a)) : respond;
        newSession(agentId, body);
        long ticket = polls.ticket(agentId);
        record(agentId, report);
        Map<String, Long> reported = report.reportedRevisions();
        Answer answer = answer(agentId, reported);
        if (!answer.isEmpty() || waitSeconds <= 0) {
            reply.accept(answer);
            return;
        }
        long holdSeconds = Math.min(waitSeconds, syncIntervalSeconds());
        polls.hold(agentId, ticket, Duration.ofSeconds(holdSeconds), new HeldSync(agentId, reported, reply));
    }

    /** A held sync: what the agent reported, and how to answer it. */
    private final class HeldSync implements LongPolls.Waiter {
        final String agentId;
        final Map<String, Long> reported;
        final Consumer<Answer> respond;

        HeldSync(String agentId, Map<String, Long> reported, Consumer<Answer> respond) {
            this.agentId = agentId;
            this.reported = reported;
            this.respond = respond;
        }

        @Override
        public boolean recheck() {
            Answer a = answer(agentId, reported);
            if (a.isEmpty()) {
                return false;
            }
            respond.accept(a);
            return true;
        }

        @Override
        public void answerEmpty() {
            respond.accept(emptyAnswer());
        }
    }

    /**
     * Loads the section bodies a batch of woken held syncs will send, in one query; {@link
     * #answer} takes them from here instead of one query per agent.
     */
    private AutoCloseable prefetch(List<LongPolls.Waiter> waiters) {
        Map<String, Set<String>> wanted = new java.util.HashMap<>();
        for (LongPolls.Waiter w : waiters) {
            if (w instanceof HeldSync h) {
                Set<String> send = SyncPlanner.sectionsToSend(desiredState.revisions(h.agentId), h.reported);
                if (!send.isEmpty()) {
                    wanted.put(h.agentId, send);
                }
            }
        }
        if (wanted.size() < 2) {
            return () -> {};
        }
        PREFETCHED.set(desiredState.bodies(wanted));
        return PREFETCHED::remove;
    }

    /** Convenience for callers that do not hold (wait = 0). */
    public Answer syncNow(String agentId, String apiKey, JsonNode body) {
        Answer[] out = new Answer[1];
        sync(agentId, apiKey, body, 0, a -> out[0] = a);
        return out[0];
    }

    /**
     * An agent process that restarted (a new {@code session} in its sync) will never answer
     * the tasks delivered to its previous process, and that process's long-poll may still be
     * held here on a dead connection: release the held request and deliver the unfinished
     * tasks again (the agent runs each id once, so this is safe at-least-once).
     */
    private void newSession(String agentId, JsonNode body) {
        JsonNode s = body == null ? null : body.get("session");
        if (s == null || !s.isTextual() || s.asText().isEmpty() || s.asText().length() > 64) {
            return;
        }
        String previous = sessions.put(agentId, s.asText());
        if (previous != null && !previous.equals(s.asText())) {
            polls.release(agentId);
            int again = tasks.redeliverUnfinished(agentId);
            if (again > 0) {
                LOG.info("Agent {} restarted: {} unfinished task(s) will be delivered again", agentId, again);
            }
        }
    }

    private void record(String agentId, SyncReport report) {
        registry.seen(agentId, report.version(), report.hostname(), report.address());
        reports.recordApplied(agentId, report.applied()).forEach((section, change) -> {
            AlertEvent alert =
                    ApplyFailures.alert(agentId, agentName(agentId, report), section, change.before(), change.after());
            if (alert != null) {
                post(alert.topic(), alert.toProperties());
            }
        });
        tasks.complete(agentId, report.taskResults());
        if (report.status() != null) {
            post(Topics.AGENT_REPORT, Map.of("agentId", agentId, "status", report.status()));
            reports.recordBundles(agentId, report.status().get("bundles"));
        }
    }

    private String agentName(String agentId, SyncReport report) {
        try {
            String name = registry.get(agentId).map(AgentInfo::name).orElse(null);
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (RuntimeException e) {
            LOG.debug("Agent {} name not read", agentId, e);
        }
        return report.hostname() == null ? agentId : report.hostname();
    }

    /** Hands the batch to the sink before anything is recorded; its failure fails the sync. */
    private void storeMetrics(String agentId, JsonNode metrics) {
        if (metrics == null || metrics.isEmpty()) {
            return;
        }
        MetricsSink sink = metricsSink;
        if (sink == null) {
            if (droppedMetricBatches.getAndIncrement() == 0) {
                LOG.info("No metrics sink (is the metrics module deployed?): metric batches are dropped");
            }
            return;
        }
        try {
            sink.accept(agentId, metrics);
        } catch (Exception e) {
            LOG.warn("Metrics batch of agent {} not stored; the agent will resend it: {}", agentId, e.toString());
            LOG.debug("Metrics sink failure", e);
            throw metricsUnavailable();
        }
    }

    /**
     * A batch still in the request bytes, for an agent that takes confirmations: the sink reads it now and may
     * commit it after the answer.
     *
     * @return completes when the batch is committed (or dropped: no sink)
     * @throws WebApplicationException 503 as {@link #storeMetrics(String, SyncBody)} when the sink refused it now
     */
    private CompletionStage<Void> storeMetricsLater(String agentId, SyncBody raw) {
        MetricsSink sink = metricsSink;
        if (sink == null) {
            return stored(() -> storeMetrics(agentId, raw));
        }
        try {
            return sink.acceptJsonLater(agentId, raw.raw(), raw.metricsOffset(), raw.metricsLength());
        } catch (Exception e) {
            LOG.warn("Metrics batch of agent {} not stored; the agent will resend it: {}", agentId, e.toString());
            LOG.debug("Metrics sink failure", e);
            throw metricsUnavailable();
        }
    }

    /** Runs a store that is over when it returns (or throws, which is not caught). */
    private static CompletionStage<Void> stored(Runnable store) {
        store.run();
        return CompletableFuture.completedFuture(null);
    }

    /** The answer with the confirmations of the agent's metric batches whose commit is over. */
    private Answer confirm(String agentId, Answer a) {
        MetricBatchConfirmations.Confirmed c = confirmations.take(agentId);
        return new Answer(a.sections(), a.tasks(), a.syncIntervalSeconds(), c.stored(), c.failed());
    }

    /** The same for a batch still in the request bytes: the sink reads it without a tree. */
    private void storeMetrics(String agentId, SyncBody raw) {
        MetricsSink sink = metricsSink;
        if (sink == null) {
            if (droppedMetricBatches.getAndIncrement() == 0) {
                LOG.info("No metrics sink (is the metrics module deployed?): metric batches are dropped");
            }
            return;
        }
        try {
            sink.acceptJson(agentId, raw.raw(), raw.metricsOffset(), raw.metricsLength());
        } catch (Exception e) {
            LOG.warn("Metrics batch of agent {} not stored; the agent will resend it: {}", agentId, e.toString());
            LOG.debug("Metrics sink failure", e);
            throw metricsUnavailable();
        }
    }

    private static WebApplicationException metricsUnavailable() {
        String detail = "Metrics could not be stored; send the sync again later";
        String problem = "{\"type\":\"about:blank\",\"title\":\"Service Unavailable\",\"status\":503," + "\"detail\":\""
                + detail + "\"}";
        return new WebApplicationException(
                detail,
                Response.status(503)
                        .type("application/problem+json")
                        .header(HttpHeaders.RETRY_AFTER, METRICS_RETRY_AFTER_SECONDS)
                        .entity(problem)
                        .build());
    }

    /** The sections newer than reported and the deliverable tasks (marked delivered). */
    Answer answer(String agentId, Map<String, Long> reported) {
        Set<String> send = SyncPlanner.sectionsToSend(desiredState.revisions(agentId), reported);
        Map<String, DesiredStateEngine.SectionBody> sections = new java.util.TreeMap<>();
        Map<String, Map<String, DesiredStateEngine.SectionBody>> batch = PREFETCHED.get();
        Map<String, DesiredStateEngine.SectionBody> pre = batch == null ? null : batch.get(agentId);
        Map<String, DesiredStateEngine.SectionBody> stored;
        if (pre != null && pre.keySet().containsAll(send)) {
            stored = new java.util.HashMap<>(pre);
            stored.keySet().retainAll(send);
        } else {
            stored = desiredState.bodies(agentId, send);
        }
        // stored sealed; opened only here, on the way to the agent
        stored.forEach((section, b) -> sections.put(
                section, new DesiredStateEngine.SectionBody(b.revision(), SealedValues.open(b.body(), box::decrypt))));
        // task payloads too (e.g. a monitor's request headers): sealed in the task table, opened here
        List<TaskQueue.Delivery> delivered = tasks.deliver(agentId).stream()
                .map(d -> new TaskQueue.Delivery(
                        d.id(), d.type(), SealedValues.open(d.payload(), box::decrypt), d.expiresAt()))
                .toList();
        return new Answer(sections, delivered, syncIntervalSeconds());
    }

    public Answer emptyAnswer() {
        return new Answer(Map.of(), List.of(), syncIntervalSeconds());
    }

    private void post(String topic, Map<String, Object> props) {
        EventAdmin ea = eventAdmin;
        if (ea != null) {
            ea.postEvent(new Event(topic, props));
        }
    }

    private void onChange(String agentId) {
        if (agentId == null) {
            polls.wakeAll();
        } else {
            polls.wake(agentId);
            if (!registry.exists(agentId)) {
                reports.forget(agentId);
                confirmations.forget(agentId);
            }
        }
    }

    /** For tests: how many requests are held. */
    public int heldCount() {
        return polls.heldCount();
    }
}
