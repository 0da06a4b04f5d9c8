package dev.fleetgate.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The agent distribution, unpacked from its tarball and run as a real process. */
public final class AgentProcess implements AutoCloseable {
    private final Path dist;
    private final Path stateDir;
    private final Path log;
    private Process process;
    private java.util.Map<String, String> environment = java.util.Map.of();

    public AgentProcess(Path workDir) throws IOException, InterruptedException {
        this.dist = workDir.resolve("agent");
        Processes.copyTree(Processes.dist("agent", "bin/fleetgate-agent"), dist);
        this.stateDir = workDir.resolve("agent-state");
        this.log = workDir.resolve("agent.log");
    }

    /**
     * Runs the agent's nginx on these loopback ports at every start: the environment that
     * {@code etc/dev.fleetgate.agent.nginx.cfg} reads (one worker). Tests never bind 80/443.
     */
    public AgentProcess proxyPorts(int http, int https, int admin) {
        return proxyPorts("127.0.0.1", http, https, admin);
    }

    /**
     * As {@link #proxyPorts(int, int, int)} with nginx's HTTP and HTTPS listeners on {@code address} (a loopback
     * address such as 127.0.0.2), so that several agents of one test can use the same ports.
     */
    public AgentProcess proxyPorts(String address, int http, int https, int admin) {
        environment = proxyEnvironment(address, http, https, admin);
        return this;
    }

    /** The environment of {@link #proxyPorts}, for agents started another way (e.g. by the install script). */
    public static java.util.Map<String, String> proxyEnvironment(int http, int https, int admin) {
        return proxyEnvironment("127.0.0.1", http, https, admin);
    }

    private static java.util.Map<String, String> proxyEnvironment(String address, int http, int https, int admin) {
        return java.util.Map.of(
                "FLEETGATE_PROXY_HTTP_PORT",
                String.valueOf(http),
                "FLEETGATE_PROXY_HTTPS_PORT",
                String.valueOf(https),
                "FLEETGATE_PROXY_ADMIN_PORT",
                String.valueOf(admin),
                "FLEETGATE_PROXY_LISTEN_ADDRESS",
                address,
                "FLEETGATE_PROXY_WORKER_PROCESSES",
                "1",
                "FLEETGATE_AGENT_JAVA_OPTS",
                "-Xms16m -Xmx128m -XX:+UseSerialGC");
    }

    /** Starts the agent; {@code token} may be null once it is enrolled. */
    public void start(String coreUrl, String name, String token) throws IOException {
        start(coreUrl, name, token, java.util.Map.of());
    }

    /** Starts the agent with extra environment on top of {@link #proxyPorts}' (the extra wins). */
    public void start(String coreUrl, String name, String token, java.util.Map<String, String> extra)
            throws IOException {
        java.util.Map<String, String> env = new java.util.HashMap<>(environment);
        env.putAll(extra);
        List<String> cmd = new ArrayList<>(List.of(
                dist.resolve("bin/fleetgate-agent").toString(),
                "--core",
                coreUrl,
                "--name",
                name,
                "--state-dir",
                stateDir.toString()));
        if (token != null) {
            cmd.add("--token");
            cmd.add(token);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    /**
     * Creates an enrolment token named {@code name} on {@code admin}'s core, starts the agent with it (and
     * {@code extra} environment, see {@link #start(String, String, String, java.util.Map)}) and waits until the core
     * lists it ONLINE.
     *
     * @return its agent id
     */
    public String enrol(Api admin, String coreUrl, String name, java.util.Map<String, String> extra, Duration timeout)
            throws IOException {
        // A core that has just started may not have mounted the agents module's resources yet (404).
        Api.Response[] created = new Api.Response[1];
        Processes.await("the core's enrolment endpoint", timeout, () -> {
            created[0] = admin.post("/api/v1/agents/enrollment-tokens", java.util.Map.of("name", name));
            return created[0].status() != 404;
        });
        String token = created[0].expect(201).body().get("token").asText();
        start(coreUrl, name, token, extra);
        return awaitOnline(admin, name, timeout);
    }

    /** {@link #enrol(Api, String, String, java.util.Map, Duration)} with no extra environment. */
    public String enrol(Api admin, String coreUrl, String name, Duration timeout) throws IOException {
        return enrol(admin, coreUrl, name, java.util.Map.of(), timeout);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The JVM's pid (the launcher script may exec it or run it as a child). */
    public ProcessHandle jvm() {
        return process.toHandle()
                .descendants()
                .filter(h -> h.info().command().orElse("").endsWith("java"))
                .findFirst()
                .orElse(process.toHandle());
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the agent's JVM. */
    public void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(jvm().pid()))
                .inheritIO()
                .start()
                .waitFor();
    }

    public void kill() {
        Processes.kill(process);
    }

    public Path log() {
        return log;
    }

    /**
     * Stops the nginx the agent's driver started: it outlives the agent on purpose (a restarted
     * agent adopts it), so tests stop it in their teardown.
     */
    public void stopNginx() {
        stopNginx(stateDir);
    }

    /** Stops the nginx an agent with this state directory started (see {@link #stopNginx()}). */
    public static void stopNginx(Path stateDir) {
        Path pidFile = stateDir.resolve("nginx/nginx.pid");
        try {
            long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
            ProcessHandle.of(pid).ifPresent(h -> {
                h.destroy();
                h.onExit()
                        .orTimeout(15, java.util.concurrent.TimeUnit.SECONDS)
                        .exceptionally(e -> {
                            h.destroyForcibly();
                            return h;
                        })
                        .join();
            });
        } catch (IOException | NumberFormatException e) {
            // the driver never started nginx
        }
    }

    /**
     * Waits until the core lists the agent {@code name} ONLINE.
     *
     * @return its agent id
     */
    public String awaitOnline(Api admin, String name, Duration timeout) {
        return awaitOnline(admin, name, timeout, log);
    }

    /** {@link #awaitOnline(Api, String, Duration)} for an agent started another way, logging to {@code log}. */
    public static String awaitOnline(Api admin, String name, Duration timeout, Path log) {
        String[] id = new String[1];
        Processes.await("agent " + name + " ONLINE (log " + log + ")", timeout, () -> {
            for (com.fasterxml.jackson.databind.JsonNode a :
                    admin.get("/api/v1/agents").expect(200).body()) {
                if (name.equals(a.path("name").asText())
                        && "ONLINE".equals(a.path("status").asText())) {
                    id[0] = a.get("id").asText();
                    return true;
                }
            }
            return false;
        });
        return id[0];
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
