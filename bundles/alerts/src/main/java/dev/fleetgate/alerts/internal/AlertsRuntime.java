package dev.fleetgate.alerts.internal;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.alerts.NotificationChannel;
import dev.fleetgate.api.Backoff;
import dev.fleetgate.api.Threads;
import dev.fleetgate.api.Topics;
import dev.fleetgate.api.alerts.AlertTopics;
import dev.fleetgate.security.SecretBox;

/**
 * Runs the module: evaluates metric rules every {@code evaluationIntervalSeconds}, turns alert
 * events ({@code fleetgate/alerts/*}) into incidents, and sends the outbox (polled, and at once
 * when this core queued something). Tracks the {@link NotificationChannel} whiteboard.
 */
@Component(
        service = {AlertsRuntime.class, EventHandler.class},
        property = {
            EventConstants.EVENT_TOPIC + "=" + AlertTopics.ALL,
            EventConstants.EVENT_TOPIC + "=" + Topics.METRICS_BATCH
        })
@Designate(ocd = AlertsConfig.class)
public final class AlertsRuntime implements EventHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AlertsRuntime.class);

    private final Map<String, NotificationChannel> channels = new ConcurrentHashMap<>();
    private final AlertStore store;
    private final Templates templates = new Templates();
    private final IncidentEngine engine;
    private final Dispatcher dispatcher;
    private final ScheduledExecutorService engineThread;
    private final ScheduledExecutorService sendThread;
    private final AtomicBoolean sendQueued = new AtomicBoolean();
    private final AtomicBoolean evaluationQueued = new AtomicBoolean();
    private final long minEvaluationGapMillis;
    private volatile long lastEvaluationEnd;
    private volatile IncidentEngine.Evaluation lastEvaluation;

    @Activate
    public AlertsRuntime(@Reference AlertStore store, @Reference SecretBox box, AlertsConfig config) {
        this.store = store;
        this.minEvaluationGapMillis = config.minEvaluationGapMillis();
        this.engine = new IncidentEngine(
                store.dataSource(),
                new IncidentEngine.Settings(
                        config.lookbackSeconds(), config.flapWindowSeconds(), config.flapThreshold()));
        this.dispatcher = new Dispatcher(
                store.dataSource(),
                channels::get,
                box,
                templates,
                new Dispatcher.Settings(
                        config.maxAttempts(),
                        new Backoff(
                                Duration.ofSeconds(config.retryInitialSeconds()),
                                Duration.ofSeconds(config.retryMaxSeconds())),
                        config.webBaseUrl()));
        this.engineThread = Threads.every(
                "fleetgate-alerts-engine", Duration.ofSeconds(config.evaluationIntervalSeconds()), this::evaluate);
        this.sendThread =
                Threads.every("fleetgate-alerts-send", Duration.ofMillis(config.dispatchIntervalMillis()), this::send);
    }

    @Deactivate
    public void deactivate() {
        engineThread.shutdownNow();
        sendThread.shutdownNow();
        try {
            engineThread.awaitTermination(10, TimeUnit.SECONDS);
            sendThread.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** DS (and benchmarks): a channel type appeared. */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void bindChannel(NotificationChannel channel) {
        channels.put(channel.type(), channel);
    }

    public void unbindChannel(NotificationChannel channel) {
        channels.remove(channel.type(), channel);
    }

    /** @return the channel type, or null when no such type is registered */
    public NotificationChannel channel(String type) {
        return type == null ? null : channels.get(type);
    }

    public List<String> channelTypes() {
        return List.copyOf(new TreeSet<>(channels.keySet()));
    }

    public Templates templates() {
        return templates;
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public IncidentEngine engine() {
        return engine;
    }

    public IncidentEngine.Evaluation lastEvaluation() {
        return lastEvaluation;
    }

    @Override
    public void handleEvent(Event event) {
        if (Topics.METRICS_BATCH.equals(event.getTopic())) {
            evaluateSoon();
            return;
        }
        Map<String, Object> props = new HashMap<>();
        for (String name : event.getPropertyNames()) {
            props.put(name, event.getProperty(name));
        }
        try {
            engineThread.execute(() -> {
                try {
                    if (engine.onEvent(props) > 0) {
                        wakeSender();
                    }
                } catch (RuntimeException e) {
                    LOG.warn("Alert event {} not handled: {}", props.get("kind"), e.getMessage());
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.debug("Stopping: alert event dropped");
        }
    }

    /**
     * A batch of samples was stored on this core: evaluate at once, but at most once per
     * {@code minEvaluationGapMillis} (batches of many agents coalesce into one evaluation).
     */
    private void evaluateSoon() {
        if (evaluationQueued.compareAndSet(false, true)) {
            long delay = Math.max(0, lastEvaluationEnd + minEvaluationGapMillis - System.currentTimeMillis());
            try {
                engineThread.schedule(
                        () -> {
                            evaluationQueued.set(false);
                            evaluate();
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                evaluationQueued.set(false);
            }
        }
    }

    /** Evaluates now (the shell and tests); normally periodic and after stored batches. */
    public IncidentEngine.Evaluation evaluate() {
        try {
            IncidentEngine.Evaluation e = engine.evaluateMetrics();
            if (e.locked()) {
                lastEvaluation = e;
            }
            if (e.queued() > 0) {
                wakeSender();
            }
            return e;
        } catch (RuntimeException e) {
            LOG.warn("Alert rule evaluation failed: {}", e.getMessage());
            return null;
        } finally {
            lastEvaluationEnd = System.currentTimeMillis();
        }
    }

    private void wakeSender() {
        if (sendQueued.compareAndSet(false, true)) {
            try {
                sendThread.execute(this::send);
            } catch (RejectedExecutionException e) {
                sendQueued.set(false);
            }
        }
    }

    private void send() {
        sendQueued.set(false);
        try {
            dispatcher.dispatchDue();
        } catch (RuntimeException e) {
            if (!sendThread.isShutdown()) {
                LOG.warn("Sending alert notifications failed: {}", e.getMessage());
            }
        }
    }
}
