package dev.fleetgate.agent.docker.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One container as the engine lists it ({@code GET /containers/json?all=1}).
 *
 * @param state  created, restarting, running, removing, paused, exited or dead
 * @param status the engine's human status, e.g. {@code Up 3 seconds (healthy)}
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        String imageId,
        String state,
        String status,
        Map<String, String> labels,
        long createdEpochSeconds,
        List<Port> ports) {

    /** A published or exposed port. */
    public record Port(String ip, int privatePort, Integer publicPort, String type) {}

    static ContainerInfo fromJson(JsonNode c) {
        String name = c.path("Names").path(0).asText("");
        if (name.startsWith("/")) {
            name = name.substring(1);
        }
        Map<String, String> labels = new TreeMap<>();
        c.path("Labels")
                .fields()
                .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<Port> ports = new ArrayList<>();
        for (JsonNode p : c.path("Ports")) {
            ports.add(new Port(
                    p.hasNonNull("IP") ? p.get("IP").asText() : null,
                    p.path("PrivatePort").asInt(),
                    p.hasNonNull("PublicPort") ? p.get("PublicPort").asInt() : null,
                    p.path("Type").asText("tcp")));
        }
        return new ContainerInfo(
                c.path("Id").asText(),
                name,
                c.path("Image").asText(),
                c.path("ImageID").asText(),
                c.path("State").asText(""),
                c.path("Status").asText(""),
                Collections.unmodifiableMap(labels),
                c.path("Created").asLong(),
                List.copyOf(ports));
    }

    /** @return healthy, unhealthy, starting or none (from the status text) */
    public String health() {
        if (status.contains("(healthy)")) {
            return "healthy";
        }
        if (status.contains("(unhealthy)")) {
            return "unhealthy";
        }
        if (status.contains("(health: starting)")) {
            return "starting";
        }
        return "none";
    }

    public boolean running() {
        return "running".equals(state);
    }

    /** @return the container is gone for good unless someone starts it again */
    public boolean dead() {
        return "exited".equals(state) || "dead".equals(state) || "created".equals(state);
    }

    /** @return the exit code from the status text ({@code Exited (137) 2 seconds ago}), or null */
    public Integer exitCode() {
        int open = status.indexOf("Exited (");
        if (open < 0) {
            return null;
        }
        int close = status.indexOf(')', open);
        try {
            return Integer.valueOf(status.substring(open + 8, close));
        } catch (RuntimeException e) {
            return null;
        }
    }

    public String label(String key) {
        return labels.get(key);
    }
}
