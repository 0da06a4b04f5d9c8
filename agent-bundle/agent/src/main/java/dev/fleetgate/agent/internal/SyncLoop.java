package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.MetricsOutbox;
import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.Threads;

/**
 * The agent's conversation with the core (docs/protocol.md): obtains the identity (stored or
 * by enrolment), then long-polls {@code sync} on one thread, and pushes task results and
 * newly applied revisions at once with {@code sync?wait=0} on a second one.
 */
public final class SyncLoop {

    private static final Logger LOG = System.getLogger(SyncLoop.class.getName());
    static final int DEFAULT_INTERVAL_SECONDS = 20;
    private static final long MIN_SPACING_MS = 1_000;
    private static final long STATUS_COALESCE_MS = 100;
    /**
     * A batch the core accepted and has not confirmed within max(this, 3 sync intervals) is given back: the
     * core lost it or its confirmation (a resent batch only adds duplicate samples, removed at read time).
     */
    static final Duration ACCEPTED_TIMEOUT = Duration.ofSeconds(120);

    private final AgentSettings settings;
    private final CoreClient client;
    private final IdentityStore store;
    private final TaskRunner tasks;
    private final SectionDispatcher sections;
    private final Supplier<JsonNode> extraStatus;
    private final Consumer<AgentIdentity> onIdentity;
    private final Consumer<String> onFatal;
    private final ObjectMapper mapper;

    /** Identifies this agent process to the core, which re-delivers unfinished tasks after a restart. */
    private final String session = java.util.UUID.randomUUID().toString();

    private final Object pushSignal = new Object();
    private boolean pushRequested;
    /** A bundle's status changed: push one sync even when nothing else is pending. */
    private boolean statusPushRequested;

    private volatile boolean running;
    private volatile AgentIdentity identity;
    private volatile int intervalSeconds = DEFAULT_INTERVAL_SECONDS;
    private volatile Map<String, SectionDispatcher.Applied> lastReported = Map.of();
    private final OutboxSlot metrics = new OutboxSlot();
    /** Monotonic time in ns for the accepted batches' timeout (tests drive it). */
    private volatile LongSupplier nanoClock = System::nanoTime;
    /** The kind of the current outage ("" when none): each new kind is logged once. */
    private final AtomicReference<String> outage = new AtomicReference<>("");

    private Thread pollThread;
    private Thread pushThread;

    /**
     * @param extraStatus status entries added to each sync beside the appliers' (may return null)
     * @param onIdentity  called once with the identity, before the first sync
     * @param onFatal     called when the agent cannot go on (enrolment refused); the loop then ends
     */
    public SyncLoop(
            AgentSettings settings,
            CoreClient client,
            IdentityStore store,
            TaskRunner tasks,
            SectionDispatcher sections,
            Supplier<JsonNode> extraStatus,
            Consumer<AgentIdentity> onIdentity,
            Consumer<String> onFatal,
            ObjectMapper mapper) {
        this.settings = settings;
        this.client = client;
        this.store = store;
        this.tasks = tasks;
        this.sections = sections;
        this.extraStatus = extraStatus;
        this.onIdentity = onIdentity;
        this.onFatal = onFatal;
        this.mapper = mapper;
    }

    public synchronized void start() {
        running = true;
        pollThread = Threads.factory("fleetgate-sync").newThread(this::pollLoop);
        pollThread.start();
    }

    public void stop() {
        running = false;
        Thread poll;
        Thread push;
        synchronized (this) {
            poll = pollThread;
            push = pushThread;
        }
        for (Thread thread : new Thread[] {poll, push}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        for (Thread thread : new Thread[] {poll, push}) {
            if (thread != null) {
                try {
                    thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** Asks for a {@code sync?wait=0} soon: a task result is ready or a section was applied. */
    public void requestPush() {
        synchronized (pushSignal) {
            pushRequested = true;
            pushSignal.notifyAll();
        }
    }

    /**
     * Asks for one {@code sync?wait=0} soon even when nothing else is pending: a bundle's
     * status changed (AgentContext.requestSync). Bursts are coalesced into one push.
     */
    public void requestStatusPush() {
        synchronized (pushSignal) {
            statusPushRequested = true;
            pushRequested = true;
            pushSignal.notifyAll();
        }
    }

    public AgentIdentity identity() {
        return identity;
    }

    /** Sets the source of metric batches attached to syncs ({@code null}: {@code "metrics": []}). */
    public void setOutbox(MetricsOutbox outbox) {
        metrics.set(outbox);
    }

    /** Clears the outbox if it is this one (a replacement may have been set already). */
    public void clearOutbox(MetricsOutbox old) {
        metrics.clear(old);
    }

    /** Replaces the clock of the accepted batches' timeout, so that tests need not wait for it. */
    void nanoClock(LongSupplier clock) {
        nanoClock = clock;
    }

    /** Uses {@code id} as if obtained, so that tests can drive {@link #syncOnce} without the loop's threads. */
    void useIdentity(AgentIdentity id) {
        identity = id;
    }

    /** @return the ids of the batches the core accepted and has not confirmed yet, oldest first */
    List<Long> acceptedBatches() {
        return metrics.acceptedIds();
    }

    private void pollLoop() {
        try {
            AgentIdentity id = obtainIdentity();
            if (id == null) {
                return;
            }
            identity = id;
            onIdentity.accept(id);
            synchronized (this) {
                if (!running) {
                    return;
                }
                pushThread = Threads.factory("fleetgate-push").newThread(this::pushLoop);
                pushThread.start();
            }
            Backoff backoff = new Backoff();
            while (running) {
                long started = System.nanoTime();
                Map<String, SectionDispatcher.Applied> reported = sections.applied();
                boolean news;
                try {
                    news = syncOnce(intervalSeconds);
                    backoff.reset();
                } catch (IOException e) {
                    pause(failed(e, backoff));
                    continue;
                }
                long elapsedMs = (System.nanoTime() - started) / 1_000_000;
                if (!news && elapsedMs < MIN_SPACING_MS) {
                    // the core answered at once with nothing new. Usually this poll went out before the sections
                    // of the previous answer were applied (it reports applied revisions, so the core sent them
                    // again): wait for those applies and poll again at once when something was applied since this
                    // poll's report, else a change made meanwhile waited out the whole pause (issue 11: API call →
                    // served p50 ~0.5 s). Otherwise do not spin.
                    sections.awaitApplying(MIN_SPACING_MS - elapsedMs);
                    if (sections.applied().equals(reported)) {
                        long left = MIN_SPACING_MS - (System.nanoTime() - started) / 1_000_000;
                        if (left > 0) {
                            pause(Duration.ofMillis(left));
                        }
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "sync loop stopped unexpectedly", e);
        }
    }

    private void pushLoop() {
        Backoff backoff = new Backoff();
        try {
            while (running) {
                boolean status;
                synchronized (pushSignal) {
                    while (!pushRequested && running) {
                        pushSignal.wait();
                    }
                    pushRequested = false;
                    status = statusPushRequested;
                }
                if (status) {
                    Thread.sleep(STATUS_COALESCE_MS);
                    synchronized (pushSignal) {
                        statusPushRequested = false;
                    }
                }
                while (running
                        && (status
                                || tasks.hasUnsentResults()
                                || !sections.applied().equals(lastReported)
                                || metrics.pending())) {
                    status = false;
                    try {
                        syncOnce(0);
                        backoff.reset();
                    } catch (IOException e) {
                        pause(failed(e, backoff));
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * One sync: sends the report, hands the answer's sections and tasks over. A metric batch rides along
     * with its id; the answer may confirm it (and batches of earlier syncs) only later: see {@link OutboxSlot}.
     *
     * @return whether the answer carried anything new
     */
    boolean syncOnce(int waitSeconds) throws IOException, InterruptedException {
        Map<String, SectionDispatcher.Applied> applied = sections.applied();
        List<ObjectNode> results = tasks.unsentResults();
        metrics.expire(nanoClock.getAsLong(), acceptedTimeout().toNanos());
        MetricsOutbox box = metrics.current();
        MetricsOutbox.Batch batch = metrics.take(box);
        ObjectNode request = request(applied, results, batch);
        JsonNode answer;
        try {
            answer = client.sync(identity, waitSeconds, request);
        } catch (IOException | InterruptedException | RuntimeException e) {
            metrics.failed(box, batch);
            throw e;
        }
        metrics.answered(
                box,
                batch,
                batchIds(answer, "metricsStored"),
                batchIds(answer, "metricsFailed"),
                nanoClock.getAsLong());
        tasks.acknowledge(results);
        lastReported = applied;
        if (!outage.getAndSet("").isEmpty()) {
            LOG.log(Level.INFO, "connected to the core {0} again", client.core());
        }
        int interval = answer.path("syncIntervalSeconds").asInt(0);
        if (interval > 0) {
            intervalSeconds = interval;
        }
        boolean news = false;
        JsonNode answerSections = answer.path("sections");
        for (Map.Entry<String, JsonNode> section : answerSections.properties()) {
            JsonNode value = section.getValue();
            news |= sections.offer(section.getKey(), value.path("revision").asLong(), value.get("body"));
        }
        for (JsonNode task : answer.path("tasks")) {
            String id = task.path("id").asText(null);
            if (id == null) {
                continue;
            }
            JsonNode payload = task.get("payload");
            tasks.submit(new Task(
                    id,
                    task.path("type").asText(""),
                    payload == null || payload.isNull() ? mapper.createObjectNode() : payload));
            news = true;
        }
        return news;
    }

    /**
     * The time after which an accepted batch is given back: a core confirms in later answers, and with long-polls
     * the next answer may come an interval later, so never less than three intervals.
     */
    private Duration acceptedTimeout() {
        Duration intervals = Duration.ofSeconds(3L * intervalSeconds);
        return intervals.compareTo(ACCEPTED_TIMEOUT) > 0 ? intervals : ACCEPTED_TIMEOUT;
    }

    /**
     * The batch ids of an answer's {@code metricsStored}/{@code metricsFailed}.
     *
     * @return {@code null} when the answer has no such array: a core that confirms no batches later (for
     *     {@code metricsStored}: its 200 means the attached batch is stored)
     */
    private static List<Long> batchIds(JsonNode answer, String field) {
        JsonNode ids = answer.get(field);
        if (ids == null || !ids.isArray()) {
            return null;
        }
        List<Long> out = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (id.isIntegralNumber() && id.canConvertToLong()) {
                out.add(id.asLong());
            }
        }
        return out;
    }

    ObjectNode request(Map<String, SectionDispatcher.Applied> applied, List<ObjectNode> results) {
        return request(applied, results, null);
    }

    ObjectNode request(
            Map<String, SectionDispatcher.Applied> applied, List<ObjectNode> results, MetricsOutbox.Batch batch) {
        ObjectNode request = mapper.createObjectNode();
        request.put("version", settings.version());
        request.put("hostname", settings.hostname());
        request.put("address", settings.address());
        request.put("session", session);
        ObjectNode appliedNode = request.putObject("applied");
        applied.forEach((name, value) -> {
            ObjectNode entry = appliedNode.putObject(name);
            entry.put("revision", value.revision());
            entry.put("error", value.error());
        });
        ArrayNode resultsNode = request.putArray("taskResults");
        results.forEach(resultsNode::add);
        if (batch != null && batch.series() != null && batch.series().isArray()) {
            request.set("metrics", batch.series());
        } else {
            request.putArray("metrics");
        }
        if (batch != null && batch.id() >= 0) {
            // the core names it in metricsStored/metricsFailed of this or a later answer (a negative id is not
            // sent: the core then stores the batch before it answers)
            request.put("metricsBatch", batch.id());
        }
        ObjectNode status = sections.statuses();
        JsonNode extra = extraStatus.get();
        if (extra != null && extra.isObject()) {
            extra.properties().forEach(e -> {
                if (!status.has(e.getKey())) {
                    status.set(e.getKey(), e.getValue());
                }
            });
        }
        request.set("status", status);
        return request;
    }

    private Duration failed(IOException e, Backoff backoff) {
        if (e instanceof CoreStatusException status && !status.transientFailure()) {
            if (!outage.getAndSet("status " + status.status()).equals("status " + status.status())) {
                String why =
                        switch (status.status()) {
                            case 401 ->
                                "the core refused this agent's API key (401): re-enrol it (remove " + store.file()
                                        + " and start with a new --token)";
                            case 404 -> "the core does not know this agent (404): an operator removed it?";
                            default -> "the core refused the sync: " + e.getMessage();
                        };
                LOG.log(Level.ERROR, why + "; retrying every ~30 s");
            }
            return backoff.max();
        }
        if (!outage.getAndSet("unreachable").equals("unreachable")) {
            LOG.log(
                    Level.WARNING,
                    "core " + client.core() + " unreachable (" + describe(e) + "); retrying with backoff");
        }
        return backoff.next();
    }

    private AgentIdentity obtainIdentity() throws InterruptedException {
        try {
            AgentIdentity stored = store.load();
            if (stored != null) {
                if (stored.core() != null && !stored.core().equals(client.core().toString())) {
                    LOG.log(
                            Level.WARNING,
                            "{0} was written for core {1}; using it with {2}",
                            store.file(),
                            stored.core(),
                            client.core());
                }
                String pin = settings.coreFingerprint();
                if (pin != null && !pin.equals(stored.coreFingerprint())) {
                    // a rotated core certificate, given with --core-fingerprint: pinned from now on
                    stored = stored.withCoreFingerprint(pin);
                    store.save(stored);
                    LOG.log(Level.INFO, "pinned the core certificate {0}", pin);
                }
                return stored;
            }
        } catch (IOException e) {
            onFatal.accept("cannot read " + store.file() + ": " + e.getMessage());
            return null;
        }
        if (settings.token() == null) {
            onFatal.accept("this agent is not enrolled (no " + store.file()
                    + ") and no enrolment token was given: start it with --token");
            return null;
        }
        ObjectNode request = mapper.createObjectNode();
        request.put("token", settings.token());
        request.put("name", settings.name());
        request.put("hostname", settings.hostname());
        request.put("role", settings.role());
        request.put("version", settings.version());
        Backoff backoff = new Backoff();
        boolean logged = false;
        while (running) {
            try {
                JsonNode answer = client.enroll(request);
                String agentId = answer.path("agentId").asText(null);
                String apiKey = answer.path("apiKey").asText(null);
                if (agentId == null || apiKey == null) {
                    throw new IOException("enrolment answer without agentId/apiKey");
                }
                String signingKey = answer.path("bundleSigningKey").asText(null);
                AgentIdentity id = new AgentIdentity(
                        client.core().toString(),
                        agentId,
                        apiKey,
                        settings.name(),
                        settings.coreFingerprint(),
                        signingKey);
                store.save(id);
                int interval = answer.path("syncIntervalSeconds").asInt(0);
                if (interval > 0) {
                    intervalSeconds = interval;
                }
                LOG.log(
                        Level.INFO,
                        "enrolled with core {0} as {1} (agent {2})",
                        client.core(),
                        settings.name(),
                        agentId);
                return id;
            } catch (CoreStatusException e) {
                if (!e.transientFailure()) {
                    String why =
                            switch (e.status()) {
                                case 401 ->
                                    "the core refused the enrolment token (401: unknown, already used or expired); "
                                            + "create a new one (POST /api/v1/agents/enrollment-tokens) and start again with --token";
                                case 409 ->
                                    "the core refused the enrolment: the name " + settings.name()
                                            + " is taken (409); start with another --name";
                                default -> "the core refused the enrolment: " + e.getMessage();
                            };
                    onFatal.accept(why);
                    return null;
                }
                logged = logOnce(logged, e);
                pause(backoff.next());
            } catch (IOException e) {
                logged = logOnce(logged, e);
                pause(backoff.next());
            }
        }
        return null;
    }

    private boolean logOnce(boolean logged, IOException e) {
        if (!logged) {
            LOG.log(
                    Level.WARNING,
                    "cannot enrol with core " + client.core() + " (" + describe(e) + "); retrying with backoff");
        }
        return true;
    }

    /** The message and the causes' (a refused pin shows as the trust manager's reason inside the TLS error). */
    private static String describe(IOException e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 600; t = t.getCause()) {
            String message = t.getMessage();
            String part = message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
            if (out.indexOf(part) < 0) {
                out.append(out.length() == 0 ? "" : ": ").append(part);
            }
        }
        return out.toString();
    }

    private static void pause(Duration delay) throws InterruptedException {
        Thread.sleep(delay.toMillis());
    }
}
