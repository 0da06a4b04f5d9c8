package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The nginx master of the agent, driven through its binary: {@code -t}, start (nginx daemonises, so it outlives
 * the agent and is adopted through its pid file on the next start), {@code -s reload|reopen|quit}.
 */
public final class NginxProcess {

    /** The outcome of one command: exit code and what it printed (nginx writes its messages to stderr). */
    public record Result(int exit, String output) {
        public boolean ok() {
            return exit == 0;
        }
    }

    private static final long TIMEOUT_SECONDS = 30;

    private final String binary;
    private final Path pidFile;
    private volatile String version;

    public NginxProcess(String binary, Path pidFile) {
        this.binary = binary;
        this.pidFile = pidFile;
    }

    /** @return the running master's pid, if the pid file names a live nginx process */
    public Optional<Long> pid() {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isEmpty() || !handle.get().isAlive()) {
                return Optional.empty();
            }
            Path cmdline = Path.of("/proc", String.valueOf(pid), "cmdline");
            if (Files.isReadable(cmdline)
                    && !Files.readString(cmdline, StandardCharsets.ISO_8859_1).contains("nginx")) {
                return Optional.empty();
            }
            return Optional.of(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean running() {
        return pid().isPresent();
    }

    /** @return the pids of the master's worker processes (and other children) */
    public Set<Long> workers() {
        Optional<Long> master = pid();
        if (master.isEmpty()) {
            return Set.of();
        }
        Set<Long> out = new HashSet<>();
        ProcessHandle.of(master.get()).ifPresent(h -> h.children().forEach(c -> out.add(c.pid())));
        return out;
    }

    /**
     * Waits until each of these workers has closed its listening sockets (its title says "shutting down") or
     * exited: after a reload, only then do new connections reach the new configuration alone.
     *
     * @return whether they all did within the timeout
     */
    public boolean awaitRetired(Set<Long> workers, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (true) {
            boolean all = true;
            for (long pid : workers) {
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent() && h.get().isAlive() && !title(pid).contains("shutting down")) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private static String title(long pid) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(pid), "cmdline"), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "";
        }
    }

    /** @return e.g. {@code 1.22.1}, or null when the binary cannot be run */
    public String version() {
        if (version == null) {
            try {
                Result r = run(List.of(binary, "-v"));
                String out = r.output().trim();
                int slash = out.indexOf("nginx/");
                version = slash >= 0 ? out.substring(slash + 6).split("\\s")[0] : out;
            } catch (IOException e) {
                return null;
            }
        }
        return version;
    }

    /** {@code nginx -t -q -c conf}: validates the whole configuration. */
    public Result test(Path conf) throws IOException {
        return run(List.of(binary, "-t", "-q", "-c", conf.toString()));
    }

    /** Starts a master with this configuration; it daemonises and writes the pid file. */
    public Result start(Path conf) throws IOException {
        return run(List.of(binary, "-c", conf.toString()));
    }

    /**
     * Tells the master to load its configuration again: {@code kill -HUP} (cheaper than {@code nginx -s reload},
     * which parses the whole configuration, Lua included, only to find the pid).
     */
    public Result reload(Path conf) throws IOException {
        Optional<Long> master = pid();
        if (master.isEmpty()) {
            return signal(conf, "reload");
        }
        return run(List.of("kill", "-HUP", String.valueOf(master.get())));
    }

    /** Sends a signal to the master through {@code nginx -s}: reload, reopen, quit or stop. */
    public Result signal(Path conf, String signal) throws IOException {
        return run(List.of(binary, "-c", conf.toString(), "-s", signal));
    }

    /**
     * Runs a command, its output going to a temporary file: a daemonising nginx keeps the inherited descriptors
     * open, so reading a pipe to its end would wait for the master to exit.
     */
    static Result run(List<String> command) throws IOException {
        Path out = Files.createTempFile("fleetgate-nginx", ".out");
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command))
                    .redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(out), StandardCharsets.UTF_8).trim());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted running " + command.get(0), e);
        } finally {
            Files.deleteIfExists(out);
        }
    }
}
