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

    public AgentProcess(Path workDir) throws IOException, InterruptedException {
        this.dist = workDir.resolve("agent");
        Processes.copyTree(Processes.dist("agent", "bin/fleetgate-agent"), dist);
        this.stateDir = workDir.resolve("agent-state");
        this.log = workDir.resolve("agent.log");
    }

    /** Starts the agent; {@code token} may be null once it is enrolled. */
    public void start(String coreUrl, String name, String token) throws IOException {
        start(coreUrl, name, token, java.util.Map.of());
    }

    /** Starts the agent with extra environment (e.g. FLEETGATE_AGENT_JAVA_OPTS, FLEETGATE_PROXY_HTTP_PORT). */
    public void start(String coreUrl, String name, String token, java.util.Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(dist.resolve("bin/fleetgate-agent").toString(),
                "--core", coreUrl, "--name", name, "--state-dir", stateDir.toString()));
        if (token != null) {
            cmd.add("--token");
            cmd.add(token);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        process = pb.start();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The JVM's pid (the launcher script may exec it or run it as a child). */
    public ProcessHandle jvm() {
        return process.toHandle().descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                .findFirst().orElse(process.toHandle());
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the agent's JVM. */
    public void signal(String sig) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + sig, String.valueOf(jvm().pid())).inheritIO().start().waitFor();
    }

    public void kill() {
        Processes.kill(process);
    }

    public Path log() {
        return log;
    }

    @Override
    public void close() {
        Processes.stop(process, Duration.ofSeconds(10));
    }
}
