package dev.fleetgate.agent.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.AgentContext;
import dev.fleetgate.agent.MetricsOutbox;
import dev.fleetgate.agent.StateApplier;
import dev.fleetgate.agent.TaskHandler;

/**
 * The agent: reads its settings from the framework properties, obtains its identity, keeps
 * syncing with the core, and tracks the {@link TaskHandler} and {@link StateApplier}
 * whiteboards. Registers {@link AgentContext} once the identity is known.
 */
@Component(
        immediate = true,
        service = {})
public final class AgentRuntime {

    private static final Logger LOG = System.getLogger(AgentRuntime.class.getName());

    private final BundleContext context;
    private final AgentSettings settings;
    private final CoreClient client;
    private final SectionDispatcher sections;
    private final TaskRunner tasks;
    private final SyncLoop loop;
    private volatile ServiceRegistration<AgentContext> registration;
    private volatile boolean stopped;

    @Activate
    public AgentRuntime(BundleContext context) {
        this.context = context;
        this.settings = AgentSettings.from(context::getProperty);
        ObjectMapper mapper = new ObjectMapper();
        IdentityStore identities = new IdentityStore(mapper, settings.stateDir());
        this.client = new CoreClient(settings.core(), mapper, pin(settings, identities));
        this.sections = new SectionDispatcher(mapper, this::requestPush);
        this.tasks = new TaskRunner(mapper, sections, this::requestPush);
        this.loop = new SyncLoop(
                settings, client, identities, tasks, sections, () -> null, this::registerContext, this::fatal, mapper);
        LOG.log(
                Level.INFO,
                "fleetgate agent {0} (role {1}) starting; core {2}, state in {3}",
                settings.version(),
                settings.role(),
                settings.core(),
                settings.stateDir());
        loop.start();
    }

    /** The pin given at start wins (a rotated certificate); else the one stored at enrolment. */
    private static String pin(AgentSettings settings, IdentityStore identities) {
        if (settings.coreFingerprint() != null) {
            return settings.coreFingerprint();
        }
        try {
            AgentIdentity stored = identities.load();
            return stored == null ? null : stored.coreFingerprint();
        } catch (java.io.IOException e) {
            return null; // SyncLoop reports the unreadable file
        }
    }

    @Deactivate
    void deactivate() {
        stopped = true;
        loop.stop();
        ServiceRegistration<AgentContext> reg = registration;
        if (reg != null) {
            try {
                reg.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        tasks.stop();
        sections.stop();
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addTaskHandler(TaskHandler handler, Map<String, Object> properties) {
        strings(properties.get(TaskHandler.TYPE)).forEach(type -> tasks.addHandler(type, handler));
    }

    void removeTaskHandler(TaskHandler handler, Map<String, Object> properties) {
        strings(properties.get(TaskHandler.TYPE)).forEach(type -> tasks.removeHandler(type, handler));
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addStateApplier(StateApplier applier, Map<String, Object> properties) {
        strings(properties.get(StateApplier.SECTION)).forEach(section -> sections.addApplier(section, applier));
    }

    void removeStateApplier(StateApplier applier, Map<String, Object> properties) {
        strings(properties.get(StateApplier.SECTION)).forEach(section -> sections.removeApplier(section, applier));
    }

    /** The metric batches attached to syncs: the best-ranked outbox (the metrics bundle's). */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setMetricsOutbox(MetricsOutbox outbox) {
        loop.setOutbox(outbox);
    }

    void unsetMetricsOutbox(MetricsOutbox outbox) {
        loop.clearOutbox(outbox);
    }

    private void requestPush() {
        loop.requestPush();
    }

    private void registerContext(AgentIdentity identity) {
        if (stopped) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(AgentContext.AGENT_ID, identity.agentId());
        AgentContextImpl agent = new AgentContextImpl(settings, identity, client, loop::requestStatusPush);
        props.put("fleetgate.agent.name", agent.name());
        registration = context.registerService(AgentContext.class, agent, props);
        LOG.log(
                Level.INFO,
                "agent {0} ({1}) ready; syncing with {2}",
                identity.agentId(),
                agent.name(),
                settings.core());
    }

    private void fatal(String message) {
        LOG.log(Level.ERROR, "FATAL: " + message + ". Stopping the agent.");
        Thread stopper = new Thread(
                () -> {
                    try {
                        context.getBundle(0).stop();
                    } catch (BundleException | IllegalStateException e) {
                        LOG.log(Level.ERROR, "cannot stop the framework", e);
                    }
                },
                "fleetgate-fatal-stop");
        stopper.start();
    }

    private static List<String> strings(Object value) {
        List<String> list = new ArrayList<>();
        if (value instanceof String s) {
            list.add(s);
        } else if (value instanceof String[] array) {
            list.addAll(List.of(array));
        } else if (value instanceof Iterable<?> iterable) {
            iterable.forEach(v -> list.add(String.valueOf(v)));
        }
        return list;
    }
}
