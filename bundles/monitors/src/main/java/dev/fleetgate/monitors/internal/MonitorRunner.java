package dev.fleetgate.monitors.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.MetricsSink;
import dev.fleetgate.api.TaskService;
import dev.fleetgate.api.TaskStatus;
import dev.fleetgate.api.TaskView;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.alerts.AlertEvent;
import dev.fleetgate.api.alerts.Severity;
import dev.fleetgate.monitors.MonitorState;

/**
 * Runs the monitors: every {@code tickSeconds} claims the due ones (each goes to one core),
 * queues one probe task per online agent of the monitor ({@code http.probe} or
 * {@code tls.probe}), and when a task is done records its result and the state it leads to.
 * A monitor whose agents are all offline becomes UNKNOWN without a task. A state change to
 * DOWN posts the alert event {@code monitor.down} (firing), with the attached service's error-log
 * lines when an agent returns them within 3 s; back to UP clears it.
 */
@Component(service = MonitorRunner.class, configurationPid = MonitorsConfig.PID)
@Designate(ocd = MonitorsConfig.class)
public final class MonitorRunner {
    public static final String EVENT_KIND = "monitor.down";
    public static final String HTTP_TASK = "http.probe";
    public static final String TLS_TASK = "tls.probe";
    public static final String DNS_TASK = "dns.probe";
    public static final String JSON_TASK = "json.probe";
    private static final Logger LOG = LoggerFactory.getLogger(MonitorRunner.class);
    private static final int CLAIM_LIMIT = 500;
    /** The agent task (bundle dev.fleetgate.agent.nginx, docs/protocol.md) that reads the nginx logs. */
    public static final String LOGS_TASK = "logs.nginx";
    /** How long a DOWN event waits for the attached service's error-log lines at most. */
    static final Duration ERROR_LOG_WAIT = Duration.ofSeconds(3);

    static final Duration ERROR_LOG_TTL = Duration.ofSeconds(30);
    static final int ERROR_LOG_LINES = 5;
    static final int ERROR_LOG_LINE_CHARS = 300;

    private final MonitorStore store;
    private final TaskService tasks;
    private final AgentDirectory agents;
    private final EventAdmin events;
    private final Clock clock;
    private final Duration ttl;
    private final ExecutorService answers;
    private final ScheduledExecutorService ticker;
    /** Per monitor: its last alert event still being prepared or posted (keeps the events in order). */
    private final Map<UUID, CompletableFuture<?>> posting = new ConcurrentHashMap<>();

    /** Where json monitors' fields go (bundles/metrics); without it they are dropped. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile MetricsSink metrics;

    /** The proxy services attached monitors follow; absent while the proxy module is not running. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceLookup services;

    /** The services' recent 5xx rates for incident reports. */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ServiceTraffic traffic;

    @Activate
    public MonitorRunner(
            @Reference MonitorStore store,
            @Reference TaskService tasks,
            @Reference AgentDirectory agents,
            @Reference EventAdmin events,
            MonitorsConfig config) {
        this(store, tasks, agents, events, Clock.systemUTC(), Duration.ofSeconds(config.taskTtlSeconds()));
        if (config.schedulerEnabled()) {
            ticker.scheduleWithFixedDelay(
                    this::tickSafely, config.tickSeconds(), config.tickSeconds(), TimeUnit.SECONDS);
        }
        ticker.scheduleWithFixedDelay(
                () -> prune(config.resultRetentionDays(), config.hourlyRetentionDays()),
                60,
                config.pruneIntervalSeconds(),
                TimeUnit.SECONDS);
    }

    MonitorRunner(
            MonitorStore store,
            TaskService tasks,
            AgentDirectory agents,
            EventAdmin events,
            Clock clock,
            Duration ttl) {
        this.store = store;
        this.tasks = tasks;
        this.agents = agents;
        this.events = events;
        this.clock = clock;
        this.ttl = ttl;
        this.answers = Threads.pool("fleetgate-monitors", 2);
        this.ticker = Threads.scheduler("fleetgate-monitors-tick");
    }

    @Deactivate
    public void close() {
        ticker.shutdownNow();
        answers.shutdownNow();
    }

    private void tickSafely() {
        try {
            tick();
        } catch (RuntimeException e) {
            LOG.warn("Monitor tick failed: {}", e.toString());
        }
    }

    /** Runs the due monitors once. @return how many tasks were queued */
    int tick() {
        List<StoredMonitor> due = store.claimDue(clock.instant(), CLAIM_LIMIT);
        if (due.isEmpty()) {
            return 0;
        }
        Map<String, Boolean> online = online();
        int queued = 0;
        for (StoredMonitor stored : due) {
            List<String> up = stored.agentIds().stream()
                    .filter(a -> online.getOrDefault(a, false))
                    .toList();
            if (up.isEmpty()) {
                store.reevaluate(stored.id(), online).ifPresent(this::post);
                continue;
            }
            StoredMonitor resolved = stored;
            if (stored.serviceId() != null) {
                ServiceLookup lookup = services;
                if (lookup == null || !lookup.available()) {
                    continue; // the proxy module is not running: nothing is known, nothing is recorded
                }
                Optional<ServiceLookup.Service> service = lookup.service(stored.serviceId());
                Optional<String> target = service.flatMap(s -> attachedTarget(stored, s));
                if (target.isEmpty()) {
                    String why = service.isEmpty()
                            ? "the service " + stored.serviceId() + " does not exist"
                            : "the service " + service.get().name() + " has no domain to check";
                    for (String agentId : up) {
                        store.record(
                                        stored.id(),
                                        new ProbeResult(
                                                agentId,
                                                clock.instant(),
                                                false,
                                                null,
                                                null,
                                                "service",
                                                why,
                                                null,
                                                null),
                                        online)
                                .ifPresent(this::post);
                    }
                    continue;
                }
                resolved = stored.withTarget(target.get());
            }
            StoredMonitor m = resolved;
            for (String agentId : up) {
                try {
                    TaskView task = tasks.submit(agentId, taskType(m), payload(m), ttl);
                    queued++;
                    tasks.completion(task.id(), ttl)
                            .whenCompleteAsync(
                                    (done, failure) -> {
                                        try {
                                            completed(m, agentId, done, failure);
                                        } catch (RuntimeException e) {
                                            LOG.warn(
                                                    "Recording a result of monitor {} failed: {}",
                                                    m.name(),
                                                    e.toString());
                                        } finally {
                                            discard(task.id());
                                        }
                                    },
                                    answers);
                } catch (RuntimeException e) {
                    LOG.warn("Queueing a check of monitor {} on agent {} failed: {}", m.name(), agentId, e.toString());
                }
            }
        }
        return queued;
    }

    private Map<String, Boolean> online() {
        Map<String, Boolean> online = new HashMap<>();
        for (AgentInfo a : agents.list()) {
            online.put(a.id(), a.status() == AgentInfo.Status.ONLINE);
        }
        return online;
    }

    private void completed(StoredMonitor m, String agentId, TaskView done, Throwable failure) {
        Optional<ProbeResult> result = toResult(agentId, done, failure, clock.instant());
        if (result.isEmpty()) {
            return; // not run (expired, or the wait timed out): nothing is known
        }
        store.record(m.id(), result.get(), online()).ifPresent(this::post);
        if ("json".equals(m.type()) && result.get().ok()) {
            storeFields(m, result.get());
        }
    }

    /** Stores a json monitor's fields through the platform's {@link MetricsSink} (see {@link ResourceMetrics}). */
    private void storeFields(StoredMonitor m, ProbeResult r) {
        MetricsSink sink = metrics;
        if (sink == null || r.detail() == null) {
            return;
        }
        try {
            sink.accept(r.agentId(), ResourceMetrics.series(m, r));
        } catch (Exception e) {
            LOG.warn("Storing the fields of monitor {} failed: {}", m.name(), e.toString());
        }
    }

    /** Maps a finished task to a result; empty when the agent did not run it. */
    static Optional<ProbeResult> toResult(String agentId, TaskView done, Throwable failure, Instant now) {
        if (failure != null || done == null || !done.isDone() || done.status() == TaskStatus.EXPIRED) {
            return Optional.empty();
        }
        Instant at = done.completedAt() == null ? now : done.completedAt();
        if (done.status() == TaskStatus.FAILED) {
            return Optional.of(new ProbeResult(
                    agentId,
                    at,
                    false,
                    null,
                    null,
                    "agent",
                    done.error() == null ? "the agent could not run the probe" : done.error(),
                    null,
                    null));
        }
        JsonNode r = done.result() == null ? JsonNodeFactory.instance.objectNode() : done.result();
        boolean ok = r.path("ok").asBoolean(false);
        Integer status = r.path("status").canConvertToInt() ? r.path("status").asInt() : null;
        Integer latency =
                r.path("latencyMs").canConvertToInt() ? r.path("latencyMs").asInt() : null;
        String kind = ok ? null : r.path("errorKind").asText(r.has("status") && status != null ? "status" : "connect");
        String error = ok ? null : r.path("error").asText(status != null ? "unexpected status " + status : "failed");
        Instant expires = null;
        if (r.path("tlsExpiresAt").isTextual()) {
            try {
                expires = Instant.parse(r.path("tlsExpiresAt").asText());
            } catch (RuntimeException e) {
                // not a time: ignored
            }
        }
        return Optional.of(new ProbeResult(agentId, at, ok, status, latency, kind, error, expires, r));
    }

    /**
     * What a monitor attached to a service checks: its first non-wildcard domain, as
     * {@code https://<domain><path>} (http, json), {@code <domain>[:port]} (tls) or the name (dns).
     */
    static Optional<String> attachedTarget(StoredMonitor m, ServiceLookup.Service s) {
        return s.primaryDomain().map(d -> switch (m.type()) {
            case "http", "json" -> "https://" + d + m.target();
            case "tls" -> d + m.target();
            default -> d;
        });
    }

    static String taskType(StoredMonitor m) {
        return switch (m.type()) {
            case "tls" -> TLS_TASK;
            case "dns" -> DNS_TASK;
            case "json" -> JSON_TASK;
            default -> HTTP_TASK;
        };
    }

    static ObjectNode payload(StoredMonitor m) {
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("timeoutMs", m.timeoutMs());
        switch (m.type()) {
            case "tls" -> {
                p.put("target", m.target());
                p.put("minDaysLeft", m.expect().path("minDaysLeft").asInt(14));
                return p;
            }
            case "dns" -> {
                p.put("name", m.target());
                p.put("recordType", m.options().path("recordType").asText("A"));
                if (m.options().hasNonNull("resolver")) {
                    p.put("resolver", m.options().get("resolver").asText());
                }
                p.set(
                        "expectValues",
                        m.expect().path("values").isArray()
                                ? m.expect().get("values").deepCopy()
                                : JsonNodeFactory.instance.arrayNode());
                return p;
            }
            case "json" -> {
                p.put("url", m.target());
                if (m.options().has("headers")) {
                    p.set("headers", m.options().get("headers").deepCopy());
                }
                return p;
            }
            default -> {
                // http, below
            }
        }
        if (m.options().has("headers")) {
            p.set("headers", m.options().get("headers").deepCopy());
        }
        p.put("url", m.target());
        p.put("method", "GET");
        p.put("followRedirects", m.followRedirects());
        p.set("expectStatuses", m.expect().path("statuses").deepCopy());
        if (m.expect().has("maxLatencyMs")) {
            p.put("maxLatencyMs", m.expect().get("maxLatencyMs").asInt());
        }
        if (m.expect().has("bodyContains")) {
            p.put("bodyContains", m.expect().get("bodyContains").asText());
        }
        return p;
    }

    /**
     * Posts the alert event of a state change, if it has one. A DOWN of a monitor attached to a
     * service first asks one failing agent for the service's recent error-log lines (task
     * {@code logs.nginx}), waiting {@link #ERROR_LOG_WAIT} at most, without blocking the caller;
     * the events of one monitor are posted in order (a quick UP waits for the DOWN before it).
     */
    void post(Transition t) {
        ReportContext ctx = context(t);
        CompletableFuture<ReportContext> full = withErrorLog(t, ctx);
        inOrder(t.monitorId(), full, c -> publish(alert(t, c)));
    }

    private void publish(AlertEvent e) {
        if (e != null) {
            events.postEvent(new Event(e.topic(), e.toProperties()));
        }
    }

    /**
     * Runs {@code effect} with the value of {@code ready} once it is there and the monitor's
     * earlier alert event (if still pending) has been posted.
     */
    private <T> void inOrder(UUID monitorId, CompletableFuture<T> ready, java.util.function.Consumer<T> effect) {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        CompletableFuture<?>[] chained = new CompletableFuture<?>[1];
        posting.compute(monitorId, (id, prev) -> {
            chained[0] = gate.thenCompose(x ->
                            prev == null ? ready : prev.handle((y, e) -> null).thenCompose(y -> ready))
                    .thenAccept(effect);
            return chained[0];
        });
        chained[0].whenComplete((x, e) -> {
            if (e != null) {
                LOG.warn("Posting the alert event of monitor {} failed: {}", monitorId, e.toString());
            }
            posting.remove(monitorId, chained[0]);
        });
        gate.complete(null);
    }

    /**
     * The context with the attached service's error-log lines read by one failing online agent:
     * completes within {@link #ERROR_LOG_WAIT} (the lines, or why there are none), never
     * exceptionally; at once when there is nothing to read.
     */
    CompletableFuture<ReportContext> withErrorLog(Transition t, ReportContext ctx) {
        if (t.to() != MonitorState.DOWN || t.report() == null || ctx.domain() == null) {
            return CompletableFuture.completedFuture(ctx);
        }
        Map<String, Boolean> online;
        try {
            online = online();
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ctx);
        }
        Optional<String> agent = t.report().failing().stream()
                .map(ProbeResult::agentId)
                .filter(a -> online.getOrDefault(a, false))
                .findFirst();
        if (agent.isEmpty()) {
            return CompletableFuture.completedFuture(ctx);
        }
        String agentId = agent.get();
        String agentName = ctx.agentNames().getOrDefault(agentId, agentId);
        ObjectNode p = JsonNodeFactory.instance.objectNode();
        p.put("log", "error");
        p.put("tail", ERROR_LOG_LINES);
        p.putNull("cursor");
        p.put("filter", ctx.domain());
        p.put("limit", ERROR_LOG_LINES);
        p.put("maxBytes", 16_384);
        TaskView task;
        try {
            task = tasks.submit(agentId, LOGS_TASK, p, ERROR_LOG_TTL);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(
                    ctx.with(new ErrorLog(agentName, ctx.domain(), List.of(), "not read: " + e.getMessage())));
        }
        CompletableFuture<ReportContext> out = new CompletableFuture<>();
        try {
            tasks.completion(task.id(), ERROR_LOG_WAIT)
                    .whenCompleteAsync(
                            (done, failure) -> {
                                try {
                                    out.complete(ctx.with(errorLog(agentName, ctx.domain(), done, failure)));
                                } catch (RuntimeException e) {
                                    out.complete(ctx);
                                } finally {
                                    discard(task.id());
                                }
                            },
                            answers);
        } catch (RuntimeException e) { // e.g. the executor is shut down
            out.complete(ctx);
        }
        return out;
    }

    /** The error-log lines of a {@code logs.nginx} answer, or why there are none. */
    static ErrorLog errorLog(String agent, String domain, TaskView done, Throwable failure) {
        if (failure != null || done == null) {
            return new ErrorLog(
                    agent, domain, List.of(), "not read: " + (failure == null ? "no such task" : failure.toString()));
        }
        if (!done.isDone()) {
            return new ErrorLog(agent, domain, List.of(), "no answer within " + ERROR_LOG_WAIT.toSeconds() + " s");
        }
        if (done.status() != TaskStatus.SUCCEEDED) {
            return new ErrorLog(
                    agent,
                    domain,
                    List.of(),
                    "not read: "
                            + (done.error() == null
                                    ? done.status().name().toLowerCase(java.util.Locale.ROOT)
                                    : done.error()));
        }
        List<String> lines = new java.util.ArrayList<>();
        for (JsonNode l : done.result() == null
                ? JsonNodeFactory.instance.arrayNode()
                : done.result().path("lines")) {
            String text = l.path("text").asText("").strip();
            if (!text.isEmpty()) {
                lines.add(text.length() > ERROR_LOG_LINE_CHARS ? text.substring(0, ERROR_LOG_LINE_CHARS) + "…" : text);
            }
        }
        int from = Math.max(0, lines.size() - ERROR_LOG_LINES);
        return new ErrorLog(agent, domain, List.copyOf(lines.subList(from, lines.size())), null);
    }

    /**
     * The attached service's recent error-log lines as one agent read them.
     *
     * @param problem why there are no lines (not read, no answer in time), or null
     */
    record ErrorLog(String agent, String domain, List<String> lines, String problem) {}

    /** What the report adds to a DOWN event: agent names, the attached service, its traffic and error log. */
    record ReportContext(
            Map<String, String> agentNames,
            String serviceName,
            ServiceTraffic.Rate rate,
            String domain,
            ErrorLog errorLog) {
        static final ReportContext NONE = new ReportContext(Map.of(), null, null);

        ReportContext(Map<String, String> agentNames, String serviceName, ServiceTraffic.Rate rate) {
            this(agentNames, serviceName, rate, null, null);
        }

        ReportContext with(ErrorLog log) {
            return new ReportContext(agentNames, serviceName, rate, domain, log);
        }
    }

    private ReportContext context(Transition t) {
        if (t.report() == null) {
            return ReportContext.NONE;
        }
        Map<String, String> names = new HashMap<>();
        try {
            agents.list().forEach(a -> names.put(a.id(), a.name()));
        } catch (RuntimeException e) {
            LOG.debug("Agent names unavailable: {}", e.toString());
        }
        String serviceName = null;
        String domain = null;
        ServiceTraffic.Rate rate = null;
        ServiceLookup lookup = services;
        if (t.report().serviceId() != null && lookup != null && lookup.available()) {
            Optional<ServiceLookup.Service> service = lookup.service(t.report().serviceId());
            serviceName = service.map(ServiceLookup.Service::name).orElse(null);
            domain = service.flatMap(ServiceLookup.Service::primaryDomain).orElse(null);
            ServiceTraffic tr = traffic;
            if (serviceName != null && tr != null) {
                rate = tr.rate(serviceName, clock.millis()).orElse(null);
            }
        }
        return new ReportContext(names, serviceName, rate, domain, null);
    }

    static AlertEvent alert(Transition t) {
        return alert(t, ReportContext.NONE);
    }

    /**
     * The alert event of a transition: DOWN fires {@code monitor.down} with a readable report
     * (first line: what failed; then since when, from which agents, the last success and, when
     * attached to a service, its recent 5xx rate) and the same facts as labels for templates.
     */
    static AlertEvent alert(Transition t, ReportContext ctx) {
        if (t.to() == MonitorState.DOWN) {
            ProbeResult r = t.cause();
            String why = r == null || r.errorKind() == null
                    ? ""
                    : ": " + r.errorKind() + (r.error() == null ? "" : " — " + r.error()) + " (agent " + r.agentId()
                            + ")";
            StringBuilder message = new StringBuilder("Monitor " + t.name() + " (" + t.target() + ") is DOWN" + why);
            AlertEvent e = AlertEvent.firing(EVENT_KIND, t.monitorId().toString())
                    .severity(Severity.CRITICAL)
                    .label("monitor", t.name())
                    .label("target", t.target());
            if (r != null && r.errorKind() != null) {
                e.label("errorKind", r.errorKind()).label("agent", r.agentId());
            }
            DownReport report = t.report();
            if (report != null) {
                List<String> failing = report.failing().stream()
                        .map(f -> ctx.agentNames().getOrDefault(f.agentId(), f.agentId()) + ": " + f.errorKind()
                                + (f.error() == null ? "" : " — " + f.error()))
                        .toList();
                message.append("\nFailing since ")
                        .append(report.since() == null ? "?" : report.since())
                        .append(" from ")
                        .append(report.failing().size())
                        .append(" of ")
                        .append(report.agents())
                        .append(" agents");
                failing.forEach(f -> message.append("\n  ").append(f));
                message.append("\nLast success: ")
                        .append(
                                report.lastSuccess() == null
                                        ? "none kept"
                                        : report.lastSuccess().toString());
                e.label(
                        "failingAgents",
                        String.join(
                                ", ",
                                report.failing().stream()
                                        .map(f -> ctx.agentNames().getOrDefault(f.agentId(), f.agentId()))
                                        .toList()));
                e.label("since", String.valueOf(report.since()));
                e.label(
                        "lastSuccess",
                        report.lastSuccess() == null
                                ? "none"
                                : report.lastSuccess().toString());
                if (ctx.serviceName() != null) {
                    e.label("service", ctx.serviceName());
                    message.append("\nService ").append(ctx.serviceName()).append(": ");
                    if (ctx.rate() == null) {
                        message.append("no recent traffic reported");
                    } else {
                        String pct = String.format(
                                java.util.Locale.ROOT, "%.1f", ctx.rate().errorPercent());
                        message.append(pct)
                                .append("% 5xx of ")
                                .append(String.format(
                                        java.util.Locale.ROOT,
                                        "%.2f",
                                        ctx.rate().requestsPerSecond()))
                                .append(" req/s (last reports)");
                        e.label("service5xxPercent", pct);
                    }
                }
                ErrorLog log = ctx.errorLog();
                if (log != null) {
                    if (log.problem() != null) {
                        message.append("\nError log (")
                                .append(log.agent())
                                .append("): ")
                                .append(log.problem());
                    } else if (log.lines().isEmpty()) {
                        message.append("\nError log (")
                                .append(log.agent())
                                .append("): no recent lines with ")
                                .append(log.domain());
                    } else {
                        message.append("\nError log (")
                                .append(log.agent())
                                .append(", last lines with ")
                                .append(log.domain())
                                .append("):");
                        log.lines().forEach(l -> message.append("\n  ").append(l));
                    }
                    e.label("errorLogLines", String.valueOf(log.lines().size()));
                }
            }
            return e.message(message.toString());
        }
        if (t.from() == MonitorState.DOWN && t.to() == MonitorState.UP) {
            return AlertEvent.cleared(EVENT_KIND, t.monitorId().toString())
                    .severity(Severity.CRITICAL)
                    .message("Monitor " + t.name() + " (" + t.target() + ") is UP again")
                    .label("monitor", t.name())
                    .label("target", t.target());
        }
        return null;
    }

    /** A deleted monitor that was DOWN clears its alert (after its pending DOWN, if any). */
    void deleted(StoredMonitor m) {
        if (m.state() == MonitorState.DOWN) {
            AlertEvent e = AlertEvent.cleared(EVENT_KIND, m.id().toString())
                    .message("Monitor " + m.name() + " was deleted")
                    .label("monitor", m.name());
            inOrder(m.id(), CompletableFuture.completedFuture(e), this::publish);
        }
    }

    /**
     * Creates the coming daily partitions, rolls the raw results up into hourly aggregates (the
     * last 3 hours again, for late results), then drops the raw partitions older than {@code days}
     * (and deletes such rows of the default partition) and aggregates older than {@code hourlyDays}.
     * Every core may run it: creating is IF NOT EXISTS, the rollup idempotent, the deletes by time.
     */
    void prune(int days, int hourlyDays) {
        try {
            Instant now = clock.instant();
            store.ensurePartitions(now, MonitorStore.PARTITIONS_AHEAD);
            store.rollup(now, 3);
            long n = store.prune(now.minus(Duration.ofDays(days)), 10_000);
            int h = store.pruneHourly(now.minus(Duration.ofDays(hourlyDays)));
            if (n > 0 || h > 0) {
                LOG.info(
                        "Deleted {} monitor results older than {} days, {} hourly aggregates older than {} days",
                        n,
                        days,
                        h,
                        hourlyDays);
            }
        } catch (RuntimeException e) {
            LOG.warn("Rolling up or pruning monitor results failed: {}", e.toString());
        }
    }

    private void discard(String taskId) {
        try {
            tasks.discard(taskId);
        } catch (RuntimeException e) {
            LOG.debug("Could not delete probe task {}: {}", taskId, e.toString());
        }
    }
}
