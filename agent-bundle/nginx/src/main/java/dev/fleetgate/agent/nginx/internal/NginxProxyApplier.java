package dev.fleetgate.agent.nginx.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /** The start, the supervision tick and endpoint changes, in order, on one thread. */
    private final ScheduledExecutorService maintenance;
    /**
     * The wake poll, on a thread of its own: a tick waiting for the driver's lock (an apply in progress, which may
     * take seconds) never holds it back.
     */
    private final ScheduledExecutorService wakes;

    private final Map<ServiceEndpoints, Boolean> providers = new ConcurrentHashMap<>();

    @Activate
    public NginxProxyApplier(@Reference AgentContext agent, NginxConfiguration config, Map<String, Object> properties) {
        NginxSettings settings = NginxSettings.from(config, agent.stateDir());
        this.driver = new ProxyDriver(settings, agent::requestSync);
        this.maintenance = Threads.scheduler("fleetgate-nginx-maintenance", 1);
        LOG.log(
                Level.INFO,
                "nginx driver: work dir {0}, http port {1}, admin port {2}",
                settings.workDir(),
                String.valueOf(settings.httpPort()),
                String.valueOf(settings.adminPort()));
        maintenance.execute(driver::start);
        maintenance.scheduleWithFixedDelay(driver::tick, TICK_SECONDS, TICK_SECONDS, TimeUnit.SECONDS);
        this.wakes = Threads.scheduler("fleetgate-nginx-wakes", 1);
        wakes.scheduleWithFixedDelay(this::pollWakes, WAKE_POLL_MILLIS, WAKE_POLL_MILLIS, TimeUnit.MILLISECONDS);
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
        wakes.shutdownNow();
        maintenance.shutdownNow();
        driver.close();
    }

    /** Collects every provider's endpoints off the SCR thread (never while SCR binds) and hands them over. */
    private void endpointsChanged() {
        if (maintenance == null || maintenance.isShutdown()) {
            return;
        }
        maintenance.execute(() -> {
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
        });
    }
}
