package dev.fleetgate.agent.nginx.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.ServiceEndpoints;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.Threads;

/**
 * The {@code proxy} section applier: runs the agent's nginx through a {@link ProxyDriver}, merges the ready
 * endpoints of every {@link ServiceEndpoints} into the upstreams (no reload), reports {@code status.proxy} and
 * asks for a sync when a target's health changes.
 */
@Component(
        service = StateApplier.class,
        property = StateApplier.SECTION + "=proxy",
        configurationPid = NginxConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = NginxConfiguration.class)
public final class NginxProxyApplier implements StateApplier {

    private static final Logger LOG = System.getLogger(NginxProxyApplier.class.getName());
    private static final long TICK_SECONDS = 5;
    /** How often nginx is asked for wakes (scale to zero), only while the spec holds requests of some site. */
    static final long WAKE_POLL_MILLIS = 100;

    private final ProxyDriver driver;
    /**
     * The applier's one scheduler: the start, the supervision tick, endpoint changes and the wake poll. Two
     * threads, so that a tick waiting for the driver's lock (an apply in progress, which may take seconds) never
     * holds the wake poll back; the tick and endpoint changes begin only after the start, as on the single
     * maintenance thread of before, so at most one task waits for that lock.
     */
    private final ScheduledExecutorService scheduler;
    /** Completed once {@link ProxyDriver#start} returned. */
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    /** Endpoint changes run one at a time, each with the providers' endpoints of when it runs. */
    private final Object endpointsLock = new Object();

    private final Map<ServiceEndpoints, Boolean> providers = new ConcurrentHashMap<>();

    @Activate
    public NginxProxyApplier(@Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        NginxSettings settings = NginxSettings.from(config, agent.stateDir());
        this.driver = new ProxyDriver(settings, agent::requestSync);
        this.scheduler = Threads.scheduler("fleetgate-nginx", 2);
        LOG.log(
                Level.INFO,
                "nginx driver: work dir {0}, http port {1}, admin port {2}",
                settings.workDir(),
                String.valueOf(settings.httpPort()),
                String.valueOf(settings.adminPort()));
        scheduler.execute(() -> {
            try {
                driver.start();
            } finally {
                started.complete(null);
            }
            scheduler.scheduleWithFixedDelay(driver::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
        });
        scheduler.scheduleWithFixedDelay(this::pollWakes, WAKE_POLL_MILLIS, WAKE_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Passes the services a held request woke (nginx's wake flags) to every endpoints provider. */
    private void pollWakes() {
        List<String> woken;
        try {
            woken = driver.wakes();
        } catch (java.io.IOException | RuntimeException e) {
            LOG.log(Level.DEBUG, "nginx wakes: {0}", e.toString());
            return;
        }
        for (String serviceId : woken) {
            for (ServiceEndpoints p : providers.keySet()) {
                try {
                    p.wake(serviceId);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a ServiceEndpoints provider failed to wake " + serviceId, e);
                }
            }
        }
    }

    @Override
    public void apply(long revision, JsonNode body) throws Exception {
        driver.apply(revision, body);
    }

    @Override
    public JsonNode status() {
        return driver.status();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addEndpoints(ServiceEndpoints provider) {
        providers.put(provider, Boolean.TRUE);
        endpointsChanged();
    }

    void updatedEndpoints(ServiceEndpoints provider) {
        endpointsChanged();
    }

    void removeEndpoints(ServiceEndpoints provider) {
        providers.remove(provider);
        endpointsChanged();
    }

    @Deactivate
    void deactivate() {
        scheduler.shutdownNow();
        driver.close();
    }

    /** Collects every provider's endpoints off the SCR thread (never while SCR binds) and hands them over. */
    private void endpointsChanged() {
        if (scheduler == null || scheduler.isShutdown()) {
            return;
        }
        started.thenRunAsync(this::pushEndpoints, scheduler);
    }

    /** Collects every provider's endpoints and hands them to the driver. */
    private void pushEndpoints() {
        synchronized (endpointsLock) {
            Map<String, List<ServiceEndpoints.Endpoint>> merged = new LinkedHashMap<>();
            for (ServiceEndpoints p : providers.keySet()) {
                try {
                    p.endpoints().forEach((service, list) -> merged.computeIfAbsent(service, s -> new ArrayList<>())
                            .addAll(list));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "a ServiceEndpoints provider failed", e);
                }
            }
            driver.endpoints(merged);
        }
    }
}
