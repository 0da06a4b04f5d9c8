package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds the {@code containers} desired-state section of one agent: the services with
 * managed containers placed on it, by name, each with what its replicas need. Pure and
 * deterministic (equal input, equal JSON, so no new revision without a change). An agent
 * with no such service gets {@code {"services": []}}, so that it stops replicas it ran.
 */
public final class ContainersSection {
    /** The section name ({@code fleetgate.section}). */
    public static final String SECTION = "containers";
    private static final Comparator<StoredService> ORDER = Comparator.comparing(StoredService::name)
            .thenComparing(StoredService::id);

    private ContainersSection() {
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContainersSection.class);

    /** For services without secret variables (tests): a secret cannot be opened. */
    public static ObjectNode build(String agentId, List<StoredService> services) {
        return build(agentId, services, sealed -> {
            throw new IllegalArgumentException("no key to open secrets");
        });
    }

    /**
     * @param open opens a sealed secret variable ({@code SecretBox::decrypt}): secrets are in plaintext only in
     *             the section sent to the agents that run the service
     */
    public static ObjectNode build(String agentId, List<StoredService> services,
            java.util.function.UnaryOperator<String> open) {
        List<StoredService> mine = new ArrayList<>();
        for (StoredService s : services) {
            if (s.config().containers() != null && s.config().agentIds().contains(agentId)) {
                mine.add(s);
            }
        }
        mine.sort(ORDER);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("services");
        mine.forEach(s -> list.add(service(s, open)));
        return body;
    }

    static ObjectNode service(StoredService s, java.util.function.UnaryOperator<String> open) {
        ServiceConfig.Containers c = s.config().containers();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("serviceId", s.id().toString());
        n.put("serviceName", s.name());
        n.put("serviceRevision", s.revision());
        n.put("image", c.image());
        n.set("command", command(c.command()));
        ObjectNode env = n.putObject("env");
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(c.env());
        c.secretEnv().forEach((name, sealed) -> {
            try {
                all.put(name, open.apply(sealed));
            } catch (RuntimeException e) {
                LOG.error("Service {}: secret variable {} cannot be opened (another master key?); left out", s.name(), name);
            }
        });
        all.forEach(env::put); // sorted
        n.put("port", c.port());
        n.put("replicas", c.replicas());
        n.put("cpus", c.cpus());
        n.put("memoryBytes", c.memoryBytes());
        n.put("restartPolicy", c.restartPolicy());
        n.put("network", c.network());
        n.put("user", c.user());
        n.put("readOnlyRootFilesystem", c.readOnlyRootFilesystem());
        c.capAdd().forEach(n.putArray("capAdd")::add);
        n.put("pidsLimit", c.pidsLimit());
        ServiceConfig.HealthCheck h = s.config().upstream().healthCheck();
        if (h == null) {
            n.putNull("healthCheck");
        } else {
            n.putObject("healthCheck").put("path", h.path()).put("intervalSeconds", h.intervalSeconds())
                    .put("timeoutSeconds", h.timeoutSeconds()).put("fall", h.fall()).put("rise", h.rise());
        }
        return n;
    }

    /** An array as given; a string runs through the image's shell (Docker's shell form); null = image default. */
    static JsonNode command(JsonNode command) {
        if (command == null) {
            return Json.MAPPER.nullNode();
        }
        if (command.isTextual()) {
            return Json.MAPPER.createArrayNode().add("/bin/sh").add("-c").add(command.asText());
        }
        return command.deepCopy();
    }
}
