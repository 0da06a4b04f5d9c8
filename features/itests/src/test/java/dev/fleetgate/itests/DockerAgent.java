package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An agent of one end-to-end class that runs managed containers on the Docker engine, enrolled against the shared
 * {@link Fleet}'s core: nginx on {@code http}, {@code http + 1} (https), {@code http + 2} (admin), replicas on
 * {@code firstReplicaPort}–{@code lastReplicaPort}, reconciling every 2 s and stopping replicas within 5 s.
 * {@link #close()} stops it and its nginx, removes its containers and removes it from the core, so the next class
 * finds the fleet as it was.
 */
public final class DockerAgent implements AutoCloseable {
    private final Fleet fleet;
    private final String name;
    private final AgentProcess process;
    private String id;

    /**
     * Checks that nginx and the Docker engine are there and builds {@code fleetgate/demo:latest} when missing or
     * outdated ({@code scripts/demo-image.sh}).
     */
    public static void requireDemoImage() throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/nginx")), "nginx with the lua module is required");
        assertEquals(0, docker("version").exit(), "a running Docker engine is required");
        Path root = Path.of(System.getProperty("fleetgate.root", "../.."));
        Process build = new ProcessBuilder(
                        "bash", root.resolve("scripts/demo-image.sh").toString())
                .inheritIO()
                .start();
        assertEquals(0, build.waitFor(), "scripts/demo-image.sh");
    }

    /** Unpacks the agent {@code name} and writes its Docker configuration; {@link #enrol} starts it. */
    public DockerAgent(Fleet fleet, String name, int http, int firstReplicaPort, int lastReplicaPort, int drainMillis)
            throws IOException, InterruptedException {
        this.fleet = fleet;
        this.name = name;
        Path dir = fleet.workDir(name);
        process = new AgentProcess(dir).proxyPorts(http, http + 1, http + 2);
        Files.writeString(
                dir.resolve("agent/etc/dev.fleetgate.agent.docker.cfg"),
                "# written by the end-to-end test for " + name + "\n"
                        + "portRangeStart = " + firstReplicaPort + "\nportRangeEnd = " + lastReplicaPort
                        + "\nbindAddress = 127.0.0.1\n"
                        + "reconcileIntervalSeconds = 2\ndrainMillis = " + drainMillis + "\nstopTimeoutSeconds = 5\n");
    }

    /** Starts the agent with a new enrolment token and waits until the core lists it ONLINE; returns its id. */
    public String enrol(Duration timeout) throws IOException {
        id = process.enrol(fleet.admin(), fleet.core().url(), name, timeout);
        return id;
    }

    /** Stops the agent's process and starts it again with the state it enrolled with (its replicas keep running). */
    public void restart() throws IOException {
        process.close();
        process.start(fleet.core().url(), name, null);
    }

    public AgentProcess process() {
        return process;
    }

    /** The agent's id (null before {@link #enrol}). */
    public String id() {
        return id;
    }

    /** Running containers this agent manages, from Docker itself (full ids, sorted). */
    public List<String> running() {
        return containers("--filter", "status=running");
    }

    private List<String> containers(String... filters) {
        List<String> args =
                new ArrayList<>(List.of("ps", "-q", "--no-trunc", "--filter", "label=fleetgate.agent=" + id));
        args.addAll(List.of(filters));
        Exec ps = docker(args.toArray(String[]::new));
        if (ps.exit() != 0) {
            throw new IllegalStateException("docker ps: " + ps.out());
        }
        return Arrays.stream(ps.out().split("\\s+"))
                .filter(s -> !s.isBlank())
                .sorted()
                .toList();
    }

    /** The exit code and output (standard error included) of a {@code docker} command. */
    public record Exec(int exit, String out) {}

    public static Exec docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of("docker"));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Exec(p.waitFor(), out);
        } catch (IOException e) {
            return new Exec(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Exec(-1, e.toString());
        }
    }

    /** Stops the agent and its nginx, removes its containers, then the agent from the core. */
    @Override
    public void close() {
        process.close();
        process.stopNginx();
        if (id != null) {
            for (String container : containers("-a")) {
                docker("rm", "-f", container);
            }
            fleet.admin().delete("/api/v1/agents/" + id);
        }
    }
}
