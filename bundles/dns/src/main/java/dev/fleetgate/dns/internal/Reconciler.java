package dev.fleetgate.dns.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.AgentDirectory;
import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.Topics;
import dev.fleetgate.proxy.ServiceDirectory;
import dev.fleetgate.security.SecretBox;

/**
 * Keeps the records of services in step: reconciles (debounced) after a service changed, a
 * zone changed, or an agent's status, role or address changed; retries failing zones with
 * backoff; reconciles periodically to follow changes made through other cores. All passes
 * run on one thread.
 *
 * <p>The service directory is a mandatory reference: while the proxy module is stopped this
 * component is inactive, so a missing module never reads as "no services, delete every
 * record".
 */
@Component(
        service = {Reconciler.class, EventHandler.class},
        immediate = true,
        configurationPid = DnsConfig.PID,
        property = {
            EventConstants.EVENT_TOPIC + "=" + ServiceDirectory.TOPIC_CHANGED,
            EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_STATUS,
            EventConstants.EVENT_TOPIC + "=" + Topics.AGENT_REPORT,
            EventConstants.EVENT_TOPIC + "=" + ZoneService.TOPIC_ZONE_CHANGED
        })
@Designate(ocd = DnsConfig.class)
public final class Reconciler implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final Duration BUSY_RETRY = Duration.ofSeconds(2);
    private static final Duration ERROR_RETRY = Duration.ofSeconds(10);
    static final Duration WAIT = Duration.ofSeconds(60);

    private final ReconcileEngine engine;
    private final Supplier<List<AgentInfo>> agents;
    private final long debounceMillis;
    private final ScheduledExecutorService executor;
    private final AtomicBoolean pending = new AtomicBoolean();
    private ScheduledFuture<?> retry;
    private Instant retryAt;
    private final Function<String, Optional<AgentInfo>> lookup;
    /** What DNS cares about of each agent (role, status, address), to skip events that change none of it. */
    private final Map<String, String> agentKeys = new ConcurrentHashMap<>();

    @Activate
    public Reconciler(
            @Reference ServiceDirectory services,
            @Reference AgentDirectory agents,
            @Reference ZoneStore zones,
            @Reference RecordStore records,
            @Reference Providers providers,
            @Reference SecretBox box,
            DnsConfig config) {
        this(
                new ReconcileEngine(
                        zones,
                        records,
                        services::services,
                        agents::list,
                        providers,
                        new ZoneAccess(box),
                        new Backoff(
                                Duration.ofSeconds(config.retryInitialSeconds()),
                                Duration.ofSeconds(config.retryMaxSeconds())),
                        new RecordPlanner.Options(config.onlineAgentsOnly(), config.preferEdge()),
                        Clock.systemUTC()),
                agents::list,
                agents::get,
                config.debounceMillis(),
                config.resyncSeconds());
    }

    /** For tests: an engine of one's own. */
    Reconciler(
            ReconcileEngine engine,
            Supplier<List<AgentInfo>> agents,
            Function<String, Optional<AgentInfo>> lookup,
            long debounceMillis,
            int resyncSeconds) {
        this.engine = engine;
        this.agents = agents;
        this.lookup = lookup;
        this.debounceMillis = debounceMillis;
        this.executor = Threads.scheduler("fleetgate-dns");
        agents.get().forEach(a -> agentKeys.put(a.id(), key(a)));
        if (resyncSeconds > 0) {
            executor.scheduleWithFixedDelay(this::trigger, resyncSeconds, resyncSeconds, TimeUnit.SECONDS);
        }
        trigger();
    }

    /** For tests: an engine of one's own. */
    static Reconciler of(ReconcileEngine engine, Supplier<List<AgentInfo>> agents, long debounceMillis) {
        return new Reconciler(
                engine,
                agents,
                id -> agents.get().stream().filter(a -> a.id().equals(id)).findFirst(),
                debounceMillis,
                0);
    }

    @Deactivate
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public void handleEvent(Event event) {
        if (agentEventChangesNothing(event)) {
            return; // a sync that changed nothing DNS cares about
        }
        trigger();
    }

    /**
     * True for an agent event whose agent kept its role, status and address. Looks at that one
     * agent only: a fleet of 10,000 agents reporting must not cost a pass over all of them per
     * report. An agent event without an agent id counts as a change.
     */
    boolean agentEventChangesNothing(Event event) {
        if (!Topics.AGENT_REPORT.equals(event.getTopic()) && !Topics.AGENT_STATUS.equals(event.getTopic())) {
            return false;
        }
        if (!(event.getProperty("agentId") instanceof String id)) {
            return false;
        }
        String now = lookup.apply(id).map(Reconciler::key).orElse(null);
        String before = now == null ? agentKeys.remove(id) : agentKeys.put(id, now);
        return Objects.equals(before, now);
    }

    /** Reconciles soon; a burst of triggers gives one pass. */
    public void trigger() {
        if (pending.compareAndSet(false, true)) {
            try {
                executor.schedule(
                        () -> {
                            pending.set(false);
                            runNow(false);
                        },
                        debounceMillis,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending.set(false); // shutting down
            }
        }
    }

    /** Full reconcile now: ignores backoff, sends every record again. */
    public SyncResult syncNow() {
        return await(() -> runNow(true));
    }

    /** See {@link ReconcileEngine#remove(UUID, boolean)}. */
    public ReconcileEngine.Removal remove(UUID zoneId, boolean force) {
        return await(() -> engine.remove(zoneId, force));
    }

    public List<RecordPlanner.Unresolved> unresolved() {
        return engine.unresolved();
    }

    private SyncResult runNow(boolean force) {
        SyncResult r;
        try {
            r = engine.run(force);
        } catch (RuntimeException e) {
            LOG.warn("DNS reconcile failed: {}; retrying in {} s", e.getMessage(), ERROR_RETRY.toSeconds());
            scheduleRetry(Instant.now().plus(ERROR_RETRY));
            throw e;
        }
        if (r.busy()) {
            scheduleRetry(Instant.now().plus(BUSY_RETRY));
        } else if (r.nextAttempt() != null) {
            scheduleRetry(r.nextAttempt());
        }
        return r;
    }

    private synchronized void scheduleRetry(Instant at) {
        if (retry != null && !retry.isDone() && retryAt != null && !retryAt.isAfter(at)) {
            return; // an earlier retry is already planned
        }
        if (retry != null) {
            retry.cancel(false);
        }
        long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis());
        try {
            retryAt = at;
            retry = executor.schedule(() -> runNow(false), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // shutting down
        }
    }

    private <T> T await(Callable<T> task) {
        try {
            Future<T> f = executor.submit(task);
            return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted");
        } catch (TimeoutException e) {
            throw new IllegalStateException("The DNS reconcile did not finish within " + WAIT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException("The DNS module is stopping");
        }
    }

    private static String key(AgentInfo a) {
        return a.role() + "|" + a.status() + "|" + Objects.toString(a.address(), "");
    }
}
