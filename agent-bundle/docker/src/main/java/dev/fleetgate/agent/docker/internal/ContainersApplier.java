package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.ServiceEndpoints;
import dev.fleetgate.agent.StateApplier;

/**
 * Applier of the {@code containers} section: runs the {@link Reconciler}, follows Docker
 * events, and registers the ready replicas as a {@link ServiceEndpoints} service. Stopping the
 * bundle leaves the containers running; the next instance adopts them through their labels. A
 * configuration change swaps the reconciler but keeps the endpoints service (and its set) in
 * place, so the proxy never sees the upstreams empty.
 */
@Component(
        service = StateApplier.class,
        property = StateApplier.SECTION + "=containers",
        configurationPid = DockerConfig.PID)
@Designate(ocd = DockerConfig.class)
public final class ContainersApplier implements StateApplier {

    private static final System.Logger LOG = System.getLogger(ContainersApplier.class.getName());
    private static final Set<String> TRIGGERS = Set.of(
            "create", "start", "die", "stop", "kill", "destroy", "oom", "pause", "unpause", "restart", "health_status");

    /** One configuration's worth of running parts. */
    private record Running(DockerApi api, Reconciler reconciler, EventWatcher events) {
        void close() throws IOException {
            events.close();
            reconciler.close();
            api.close();
        }
    }

    private final AgentContext agent;
    private final EndpointsPublisher endpoints;
    private final ServiceRegistration<ServiceEndpoints> registration;
    private volatile JsonNode lastBody;
    private volatile Running running;

    @Activate
    public ContainersApplier(BundleContext context, DockerConfig config, @Reference AgentContext agent) {
        this.agent = agent;
        EndpointsHolder holder = new EndpointsHolder();
        this.endpoints = new EndpointsPublisher(holder::revision);
        this.registration = context.registerService(ServiceEndpoints.class, endpoints, properties(0));
        holder.registration = registration;
        this.running = start(config);
    }

    private Running start(DockerConfig config) {
        String owner = config.owner().isBlank() ? agent.agentId() : config.owner();
        long drain = Math.max(ServiceEndpoints.DRAIN_MILLIS, config.drainMillis());
        Reconciler.Settings settings = new Reconciler.Settings(
                owner,
                config.bindAddress(),
                config.portRangeStart(),
                config.portRangeEnd(),
                Math.max(1, config.reconcileIntervalSeconds()) * 1000L,
                drain,
                Math.max(0, config.stopTimeoutSeconds()));
        DockerApi api = DockerApi.connect(config.dockerHost());
        Reconciler reconciler = new Reconciler(new DockerEngine(api), settings, endpoints, agent::requestSync);
        EventWatcher events = new EventWatcher(api, e -> event(reconciler, e), () -> reconciler.trigger(0));
        endpoints.waker(reconciler::wake);
        JsonNode body = lastBody;
        if (body != null) {
            reconciler.apply(body);
        }
        reconciler.start();
        events.start();
        LOG.log(
                System.Logger.Level.INFO,
                "containers: managing replicas as {0} through {1}, ports {2}..{3}",
                owner,
                config.dockerHost(),
                String.valueOf(config.portRangeStart()),
                String.valueOf(config.portRangeEnd()));
        return new Running(api, reconciler, events);
    }

    @Modified
    void modified(DockerConfig config) throws IOException {
        Running old = running;
        old.close();
        running = start(config);
    }

    private static void event(Reconciler reconciler, JsonNode event) {
        String action = event.path("Action").asText(event.path("status").asText(""));
        int colon = action.indexOf(':');
        if (TRIGGERS.contains(colon < 0 ? action : action.substring(0, colon))) {
            reconciler.trigger(20);
        }
    }

    @Override
    public void apply(long revision, JsonNode body) {
        ServiceSpec.parseAll(body); // an invalid body fails here and is not kept
        lastBody = body;
        running.reconciler().apply(body);
    }

    @Override
    public JsonNode status() {
        return running.reconciler().status();
    }

    @Deactivate
    void deactivate() throws IOException {
        try {
            running.close();
        } finally {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
    }

    static Dictionary<String, Object> properties(long revision) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(ServiceEndpoints.REVISION, revision);
        props.put("fleetgate.endpoints.provider", "docker");
        return props;
    }

    /** Updates the registration's revision property; set once registered. */
    private static final class EndpointsHolder {
        volatile ServiceRegistration<ServiceEndpoints> registration;

        void revision(long revision) {
            ServiceRegistration<ServiceEndpoints> r = registration;
            if (r != null) {
                try {
                    r.setProperties(properties(revision));
                } catch (IllegalStateException e) {
                    // unregistered meanwhile
                }
            }
        }
    }
}
