package dev.fleetgate.agent.docker.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds {@code status.containers}: the engine, every container of the host (managed by this
 * agent or not), and the state of each desired service. Start time and restart count come from
 * an inspect, repeated only when a container's state changes.
 */
final class StatusBuilder {

    private record Cached(String state, DockerEngine.Details details) {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final DockerEngine engine;
    private final Map<String, Cached> details = new HashMap<>();
    private static final System.Logger LOG = System.getLogger(StatusBuilder.class.getName());
    private String version;
    private boolean bridge;
    private boolean down;

    StatusBuilder(DockerEngine engine) {
        this.engine = engine;
    }

    /** Called after a successful call: fetches the version once per engine (re)appearance. */
    void engineUp() {
        if (version == null) {
            try {
                version = engine.version();
                bridge = engine.hasBridge();
                LOG.log(System.Logger.Level.INFO, "containers: Docker engine {0} available", version);
            } catch (DockerException e) {
                version = null;
            }
        }
        down = false;
    }

    /** @return the status before the first pass (logs nothing) */
    ObjectNode initial() {
        boolean wasDown = down;
        down = true;
        ObjectNode status = unavailable("not checked yet", List.of());
        down = wasDown;
        return status;
    }

    ObjectNode unavailable(String error, List<ServiceState> services) {
        if (!down) {
            LOG.log(System.Logger.Level.WARNING, "containers: Docker engine not available: {0}", error);
            down = true;
        }
        version = null;
        ObjectNode status = F.objectNode();
        ObjectNode e = status.putObject("engine");
        e.put("available", false);
        e.putNull("version");
        e.put("error", error);
        status.putArray("containers");
        services(status.putArray("services"), services);
        return status;
    }

    ObjectNode build(
            List<ContainerInfo> all, List<ContainerInfo> mine, Set<String> ready, List<ServiceState> services) {
        ObjectNode status = F.objectNode();
        ObjectNode e = status.putObject("engine");
        e.put("available", true);
        e.put("version", version);
        // whether replicas could use network "bridge" here: the core then keeps "host" for admins
        e.put("bridge", bridge);
        e.putNull("error");
        Set<String> mineIds = new HashSet<>();
        mine.forEach(c -> mineIds.add(c.id()));
        Set<String> present = new HashSet<>();
        ArrayNode containers = status.putArray("containers");
        for (ContainerInfo c : all) {
            present.add(c.id());
            containers.add(container(c, mineIds.contains(c.id()), ready.contains(c.id())));
        }
        details.keySet().retainAll(present);
        services(status.putArray("services"), services);
        return status;
    }

    private ObjectNode container(ContainerInfo c, boolean managed, boolean ready) {
        ObjectNode n = F.objectNode();
        n.put("id", c.id());
        n.put("name", c.name());
        n.put("image", c.image());
        n.put("state", c.state());
        n.put("health", c.health());
        if (managed) {
            n.put("serviceId", c.label(Labels.SERVICE));
            n.put("replica", Reconciler.slot(c));
            n.put("hostPort", Reconciler.port(c));
        } else {
            n.putNull("serviceId");
            n.putNull("replica");
            n.putNull("hostPort");
        }
        ArrayNode ports = n.putArray("ports");
        for (ContainerInfo.Port p : c.ports()) {
            ObjectNode port = ports.addObject();
            port.put("ip", p.ip());
            port.put("privatePort", p.privatePort());
            port.put("publicPort", p.publicPort());
            port.put("type", p.type());
        }
        ObjectNode labels = n.putObject("labels");
        c.labels().forEach(labels::put);
        n.put("createdAt", Instant.ofEpochSecond(c.createdEpochSeconds()).toString());
        DockerEngine.Details d = details(c);
        n.put("startedAt", d == null ? null : d.startedAt());
        n.put("restartCount", d == null ? 0 : d.restartCount());
        n.put("ready", ready);
        return n;
    }

    private DockerEngine.Details details(ContainerInfo c) {
        Cached cached = details.get(c.id());
        if (cached == null || !cached.state().equals(c.state())) {
            try {
                cached = new Cached(c.state(), engine.details(c.id()));
                details.put(c.id(), cached);
            } catch (DockerException e) {
                return cached == null ? null : cached.details();
            }
        }
        return cached.details();
    }

    private static void services(ArrayNode array, List<ServiceState> services) {
        for (ServiceState s : services) {
            ObjectNode n = array.addObject();
            n.put("serviceId", s.serviceId());
            n.put("desired", s.desired());
            n.put("running", s.running());
            n.put("ready", s.ready());
            n.put("state", s.state());
            n.put("error", s.error());
        }
    }
}
