package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.fleetgate.api.DesiredStateContributor;

/**
 * Builds the {@code containers} desired-state section of one agent: the services with
 * managed containers placed on it, by name, each with what its replicas need. Pure and
 * deterministic (equal input, equal JSON, so no new revision without a change). An agent
 * with no such service gets {@code {"services": []}}, so that it stops replicas it ran.
 */
public final class ContainersSection {
    /** The section name ({@code fleetgate.section}). */
    public static final String SECTION = "containers";

    private static final Comparator<StoredService> ORDER =
            Comparator.comparing(StoredService::name).thenComparing(StoredService::id);

    private ContainersSection() {}

    /**
     * The containers section of one agent. Secret variables stay sealed in it ({@code {"$sealed": …}}, see
     * {@link DesiredStateContributor#SEALED}): the platform opens them only in the sync answer to the agent.
     */
    public static ObjectNode build(String agentId, List<StoredService> services) {
        List<StoredService> mine = new ArrayList<>();
        for (StoredService s : services) {
            if (s.config().containers() != null && s.config().agentIds().contains(agentId)) {
                mine.add(s);
            }
        }
        mine.sort(ORDER);
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode list = body.putArray("services");
        mine.forEach(s -> list.add(service(s)));
        return body;
    }

    static ObjectNode service(StoredService s) {
        ServiceConfig.Containers c = s.config().containers();
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("serviceId", s.id().toString());
        n.put("serviceName", s.name());
        n.put("serviceRevision", s.revision());
        n.put("image", c.image());
        n.set("command", command(c.command()));
        ObjectNode env = n.putObject("env");
        java.util.TreeMap<String, JsonNode> all = new java.util.TreeMap<>();
        c.env().forEach((name, value) -> all.put(name, TextNode.valueOf(value)));
        c.secretEnv()
                .forEach((name, secret) ->
                        all.put(name, Json.MAPPER.createObjectNode().put(DesiredStateContributor.SEALED, secret)));
        all.forEach(env::set); // sorted
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
            n.putObject("healthCheck")
                    .put("path", h.path())
                    .put("intervalSeconds", h.intervalSeconds())
                    .put("timeoutSeconds", h.timeoutSeconds())
                    .put("fall", h.fall())
                    .put("rise", h.rise());
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
