package dev.fleetgate.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * One database, core and enrolled agent (with its nginx) started once per test run and shared by every
 * end-to-end class that declares {@code @ExtendWith(SharedFleet.class)} and takes a {@code Fleet} parameter
 * (constructor, {@code @BeforeAll} or test method). Classes share the processes, not their data: each creates
 * its own services, domains and monitors, named with {@link #unique(String)} or its own prefix, and deletes
 * what would disturb the next class. A class that needs an agent of its own starts it beside this core and removes it
 * afterwards ({@link DockerAgent}); a class that restarts or stops the core, or counts what exists, keeps its own
 * processes (see CONTRIBUTING).
 * Ports 22300–22312: core 22300–22304 (http, ssh, rmi registry, rmi server, https), the agent's nginx
 * 22310 (http), 22311 (https), 22312 (admin).
 * The agent collects metrics every {@value #METRICS_INTERVAL} s.
 */
public final class Fleet implements AutoCloseable {
    public static final int CORE_PORTS = 22300;
    public static final int PROXY_HTTP = 22310;
    public static final int PROXY_HTTPS = 22311;
    public static final int PROXY_ADMIN = 22312;
    public static final String AGENT = "shared-e2e";
    /** The agent's metrics collection interval (seconds), sent by the core's metrics section. */
    public static final int METRICS_INTERVAL = 2;
    /** The core's {@code syncIntervalSeconds}: the longest an agent's sync is held open. */
    public static final int SYNC_INTERVAL = 5;

    private final Path work;
    private final AtomicInteger names = new AtomicInteger();
    private final Map<String, String> originals = new java.util.HashMap<>();
    private TestDatabase db;
    private CoreProcess core;
    private AgentProcess agent;
    private Api admin;
    private String agentId;

    private Fleet(Path work) {
        this.work = work;
    }

    /** Starts the database, the core and an agent enrolled against it; stops what started if a step fails. */
    static Fleet start() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("fleet-" + System.currentTimeMillis()));
        Fleet fleet = new Fleet(work);
        try {
            long t0 = System.nanoTime();
            fleet.db = TestDatabase.create();
            fleet.core = CoreProcess.install(
                    work, CORE_PORTS, fleet.db, Map.of("syncIntervalSeconds", String.valueOf(SYNC_INTERVAL)));
            // the agent collects every 2 s (10 s by default): charts and series fill within seconds
            fleet.core.configure("dev.fleetgate.metrics", Map.of("intervalSeconds", String.valueOf(METRICS_INTERVAL)));
            fleet.core.start();
            // generous: the first start of a core on a loaded 2-core machine mounts its modules slowly
            fleet.admin = fleet.core.admin(Duration.ofSeconds(180));
            fleet.agent = new AgentProcess(work).proxyPorts(PROXY_HTTP, PROXY_HTTPS, PROXY_ADMIN);
            fleet.agentId = fleet.agent.enrol(fleet.admin, fleet.core.url(), AGENT, Duration.ofSeconds(90));
            System.out.println("[fleet] shared core and agent up in "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms under " + work);
            return fleet;
        } catch (Exception | Error e) {
            fleet.close();
            throw e;
        }
    }

    /** The folder of this run: the core under {@code core/}, the agent's state under {@code agent-state/}. */
    public Path work() {
        return work;
    }

    /** A folder of {@code name} for one class's own files. */
    public Path workDir(String name) throws IOException {
        return Files.createDirectories(work.resolve("classes").resolve(name));
    }

    public TestDatabase db() {
        return db;
    }

    public CoreProcess core() {
        return core;
    }

    public AgentProcess agent() {
        return agent;
    }

    /** The admin's client (logged in once for the run: tokens live 60 minutes). */
    public Api admin() {
        return admin;
    }

    public String agentId() {
        return agentId;
    }

    /** The agent's state folder ({@code nginx/} holds the running nginx's configuration and pid file). */
    public Path agentState() {
        return work.resolve("agent-state");
    }

    /** A name no other class of this run gets: {@code prefix-<n>}. */
    public String unique(String prefix) {
        return prefix + "-" + names.incrementAndGet();
    }

    /**
     * Writes {@code etc/<pid>.cfg} of the running core; Karaf's FileInstall hands it to Config Admin, so wait
     * for its effect through the API. The file it replaces comes back with {@link #restore(String)}: a class
     * that configures a module restores it for the next class.
     */
    public synchronized void configure(String pid, Map<String, String> values) throws IOException {
        Path file = cfg(pid);
        if (!originals.containsKey(pid)) {
            originals.put(pid, Files.exists(file) ? Files.readString(file) : null);
        }
        StringBuilder out = new StringBuilder("# written by the end-to-end test\n");
        new TreeMap<>(values)
                .forEach((k, v) -> out.append(k).append(" = ").append(v).append('\n'));
        replace(file, out.toString());
    }

    /** Puts back the {@code etc/<pid>.cfg} that {@link #configure} replaced (removes it when there was none). */
    public synchronized void restore(String pid) throws IOException {
        if (!originals.containsKey(pid)) {
            return;
        }
        String original = originals.remove(pid);
        if (original == null) {
            Files.deleteIfExists(cfg(pid));
        } else {
            replace(cfg(pid), original);
        }
    }

    private Path cfg(String pid) {
        return core.home().resolve("etc").resolve(pid + ".cfg");
    }

    /** Written beside and moved: FileInstall never reads a half-written file. */
    private static void replace(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent().getParent(), ".cfg-", ".tmp");
        Files.writeString(tmp, text);
        Files.move(
                tmp,
                file,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() {
        Processes.stopAll(agent, core, db);
    }
}
