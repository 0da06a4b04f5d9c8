package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A real Docker engine for integration tests: checks it answers (tests fail, never skip,
 * without it), builds the demo image through {@code scripts/demo-image.sh}, and removes every
 * container labelled with this fixture's owner on close.
 */
final class DockerFixture implements AutoCloseable {

    static final String IMAGE = "fleetgate/demo:latest";
    static final ObjectMapper JSON = new ObjectMapper();

    final String owner = "test-" + UUID.randomUUID().toString().substring(0, 8);
    final DockerApi api = DockerApi.connect(System.getProperty("fleetgate.dockerHost", "unix:///var/run/docker.sock"));
    final DockerEngine engine = new DockerEngine(api);

    DockerFixture() throws Exception {
        try {
            engine.version();
        } catch (DockerException e) {
            api.close();
            throw new IllegalStateException("these tests need a running Docker engine: " + e.getMessage(), e);
        }
        buildDemoImage();
    }

    static synchronized void buildDemoImage() throws IOException, InterruptedException {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.exists(root.resolve("scripts/demo-image.sh"))) {
            root = root.getParent();
        }
        if (root == null) {
            throw new IllegalStateException(
                    "scripts/demo-image.sh not found above " + Path.of("").toAbsolutePath());
        }
        Process p = new ProcessBuilder(
                        "bash", root.resolve("scripts/demo-image.sh").toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("demo image build failed: " + out);
        }
    }

    /** Runs a helper container (host network, init) with this fixture's label. @return its id */
    String run(String name, String... command) throws DockerException {
        return run(name, true, command);
    }

    /** @param managed whether it carries {@code fleetgate.managed=true} (as the agent's replicas do) */
    String run(String name, boolean managed, String... command) throws DockerException {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", IMAGE);
        ArrayNode cmd = body.putArray("Cmd");
        for (String c : command) {
            cmd.add(c);
        }
        ObjectNode labels = body.putObject("Labels").put("fleetgate.test", owner);
        if (managed) {
            labels.put(Labels.MANAGED, "true");
        }
        ObjectNode host = body.putObject("HostConfig");
        host.put("NetworkMode", "host");
        host.put("Init", true);
        String id = engine.create(name + "-" + owner, body);
        engine.start(id);
        return id;
    }

    void exec(String id, String... command) throws DockerException {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode cmd = body.putArray("Cmd");
        for (String c : command) {
            cmd.add(c);
        }
        String exec = api.post("/containers/" + id + "/exec", body).path("Id").asText();
        api.post("/exec/" + exec + "/start", JSON.createObjectNode().put("Detach", true));
    }

    void kill(String id) throws DockerException {
        api.post("/containers/" + id + "/kill", null);
    }

    /** @return the containers the reconciler under test manages */
    List<ContainerInfo> managed() throws DockerException {
        List<ContainerInfo> list = new ArrayList<>();
        for (ContainerInfo c : engine.containers()) {
            if (owner.equals(c.label(Labels.AGENT))) {
                list.add(c);
            }
        }
        return list;
    }

    Reconciler.Settings settings(int portStart, int portEnd) {
        return new Reconciler.Settings(owner, "127.0.0.1", portStart, portEnd, 1000, 1000, 5);
    }

    static ObjectNode service(String id, String name, String image, int replicas) {
        ObjectNode s = JSON.createObjectNode();
        s.put("serviceId", id);
        s.put("serviceName", name);
        s.put("serviceRevision", 1);
        s.put("image", image);
        s.putObject("env").put("DELAY_MS", "1");
        s.put("replicas", replicas);
        ObjectNode hc = s.putObject("healthCheck");
        hc.put("path", "/health");
        hc.put("intervalSeconds", 1);
        hc.put("timeoutSeconds", 1);
        hc.put("fall", 2);
        hc.put("rise", 1);
        return s;
    }

    static ObjectNode section(ObjectNode... services) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode list = body.putArray("services");
        for (ObjectNode s : services) {
            list.add(s);
        }
        return body;
    }

    static JsonNode serviceStatus(Reconciler reconciler, String serviceId) {
        for (JsonNode s : reconciler.status().path("services")) {
            if (serviceId.equals(s.path("serviceId").asText())) {
                return s;
            }
        }
        return JSON.createObjectNode();
    }

    /** Polls every 50 ms until the condition holds; fails after the timeout. */
    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            for (ContainerInfo c : engine.containers()) {
                if (owner.equals(c.label(Labels.AGENT)) || owner.equals(c.label("fleetgate.test"))) {
                    engine.remove(c.id());
                }
            }
        } finally {
            api.close();
        }
    }
}
