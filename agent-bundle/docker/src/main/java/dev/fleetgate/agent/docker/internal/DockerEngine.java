package dev.fleetgate.agent.docker.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Typed calls on the Docker engine used by the reconciler. */
public class DockerEngine {

    /** What the agent needs of an image. */
    public record ImageInfo(String id, boolean healthcheck) {}

    /** What {@code GET /containers/{id}/json} adds to the list. */
    public record Details(String id, String startedAt, int restartCount, boolean tty) {}

    private final DockerApi api;

    public DockerEngine(DockerApi api) {
        this.api = api;
    }

    public DockerApi api() {
        return api;
    }

    public String version() throws DockerException {
        return api.get("/version").path("Version").asText(null);
    }

    /** @return whether the engine offers Docker's default bridge network (engines here run with "bridge": "none") */
    public boolean hasBridge() throws DockerException {
        try {
            return "bridge".equals(api.get("/networks/bridge").path("Driver").asText());
        } catch (DockerException e) {
            if (e.notFound()) {
                return false;
            }
            throw e;
        }
    }

    public List<ContainerInfo> containers() throws DockerException {
        List<ContainerInfo> list = new ArrayList<>();
        for (JsonNode c : api.get("/containers/json?all=1")) {
            list.add(ContainerInfo.fromJson(c));
        }
        return list;
    }

    /** @return the details, or null when the container is gone */
    public Details details(String id) throws DockerException {
        try {
            JsonNode c = api.get("/containers/" + DockerApi.q(id) + "/json");
            String started = c.path("State").path("StartedAt").asText(null);
            if (started != null && started.startsWith("0001-")) {
                started = null;
            }
            return new Details(
                    c.path("Id").asText(),
                    started,
                    c.path("RestartCount").asInt(),
                    c.path("Config").path("Tty").asBoolean());
        } catch (DockerException e) {
            if (e.notFound()) {
                return null;
            }
            throw e;
        }
    }

    /** @return the image, or null when it is not on this host */
    public ImageInfo image(String reference) throws DockerException {
        try {
            JsonNode image = api.get("/images/" + reference + "/json");
            JsonNode test = image.path("Config").path("Healthcheck").path("Test");
            boolean healthcheck = test.isArray()
                    && test.size() > 0
                    && !"NONE".equals(test.get(0).asText());
            return new ImageInfo(image.path("Id").asText(), healthcheck);
        } catch (DockerException e) {
            if (e.notFound()) {
                return null;
            }
            throw e;
        }
    }

    /** @return the new container's id */
    public String create(String name, ObjectNode body) throws DockerException {
        return api.post("/containers/create?name=" + DockerApi.q(name), body)
                .path("Id")
                .asText();
    }

    public void start(String id) throws DockerException {
        api.post("/containers/" + DockerApi.q(id) + "/start", null);
    }

    /** Stops (SIGTERM, SIGKILL after the timeout); a container already stopped or gone is fine. */
    public void stop(String id, int timeoutSeconds) throws DockerException {
        try {
            api.post("/containers/" + DockerApi.q(id) + "/stop?t=" + timeoutSeconds, null);
        } catch (DockerException e) {
            if (!e.notFound()) {
                throw e;
            }
        }
    }

    /** Removes (forced, with anonymous volumes); a container already gone is fine. */
    public void remove(String id) throws DockerException {
        try {
            api.delete("/containers/" + DockerApi.q(id) + "?force=1&v=1");
        } catch (DockerException e) {
            if (!e.notFound()
                    && !(e.status() == 409 && String.valueOf(e.getMessage()).contains("already in progress"))) {
                throw e;
            }
        }
    }
}
