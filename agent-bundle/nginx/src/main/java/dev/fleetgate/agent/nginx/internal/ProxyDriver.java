package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/**
 * Applies proxy specs to the agent's own nginx. A spec is rendered against the live generation first: when
 * the files are equal (only targets, weights or health differ) nothing is written and nginx is not reloaded —
 * the peers are pushed to Lua. Otherwise a new generation is written, validated with {@code nginx -t}, the new
 * upstreams' peers are pushed, the {@code conf} link is swapped and nginx reloaded; the driver then waits until
 * the admin server serves the new generation. On any failure the previous generation stays (or is put back)
 * live, and the error, with nginx's own message, is thrown.
 */
public final class ProxyDriver implements AutoCloseable {

    private static final Logger LOG = System.getLogger(ProxyDriver.class.getName());
    private static final long LOAD_TIMEOUT_MS = 10_000;
    private static final long FIRST_CHECK_WAIT_MS = 3_000;
    /** Default bound of the reload drain: how long clients get to cycle their kept-alive connections. */
    public static final long DRAIN_MS = 300;

    private static final Pattern WAITING = Pattern.compile("Waiting: (\\d+)");

    private final NginxSettings settings;
    private final NginxProcess nginx;
    private final ConfigStore store;
    private final ConfigRenderer renderer = new ConfigRenderer();
    private final AdminClient admin;
    private final PeerSync peers;
    private final StateFile state;

    private Map<String, byte[]> liveFiles;
    private boolean prepared;
    private boolean appliedOnce;
    private long pushedPid = -1;
    private volatile Long revision;
    private volatile Instant lastReloadAt;
    private volatile long reloads;
    private volatile String lastError;
    private volatile String applyMode;
    private volatile Instant appliedAt;
    private String liveRoutes;
    private volatile boolean holdsRequests;
    private volatile long drainMillis = DRAIN_MS;
    private boolean drainLeftOn;

    public ProxyDriver(NginxSettings settings, Runnable statusChanged) {
        this(settings, statusChanged, HealthChecker::httpGet);
    }

    ProxyDriver(NginxSettings settings, Runnable statusChanged, HealthChecker.Probe probe) {
        this.settings = settings;
        this.nginx = new NginxProcess(settings.nginxBinary(), settings.pidFile());
        this.store = new ConfigStore(settings.workDir());
        this.admin = new AdminClient(settings.adminSocket());
        this.peers = new PeerSync(
                admin,
                settings.healthCheckThreads(),
                probe,
                statusChanged,
                settings.workDir().resolve(ConfigModel.PEERS_FILE));
        this.state = new StateFile(settings.workDir().resolve("state.json"));
    }

    /**
     * Prepares the working directory, adopts a running nginx (its pid file) or starts one, and applies the last
     * spec applied before (or an empty one: every Host gets 404) unless {@link #apply} came first. Failures are
     * kept as {@code lastError}.
     */
    public synchronized void start() {
        try {
            prepare();
            if (!appliedOnce) {
                StateFile.Saved saved = state.read();
                applyInternal(saved == null ? null : saved.revision(), saved == null ? null : saved.spec());
            }
        } catch (Exception e) {
            lastError = message(e);
            LOG.log(Level.WARNING, "nginx not started: {0}", lastError);
        }
    }

    private void prepare() throws IOException {
        if (prepared) {
            return;
        }
        store.prepare();
        ConfigStore.prepareAdminDir(settings.adminSocket().getParent());
        if (nginx.running()) {
            LOG.log(
                    Level.INFO,
                    "adopting the running nginx (pid {0})",
                    String.valueOf(nginx.pid().orElse(-1L)));
            try {
                AdminClient.Response check = admin.get("/check");
                if (check.status() == 200) {
                    peers.seed(Spec.JSON.readTree(check.body()));
                }
            } catch (IOException e) {
                // an older generation without /check: health starts over
            }
            if (Files.exists(settings.adminSocket())) {
                endDrain(); // an agent that stopped during a reload drain left it on
            }
        }
        liveFiles = store.current().isPresent() ? store.read(store.current().get()) : null;
        Path routesFile = settings.workDir().resolve(ConfigModel.ROUTES_FILE);
        liveRoutes = Files.exists(routesFile) ? Files.readString(routesFile) : null;
        prepared = true;
    }

    /** Applies a spec; see the class comment. */
    public synchronized void apply(long rev, JsonNode body) throws Exception {
        try {
            appliedOnce = true;
            prepare();
            applyInternal(rev, body);
        } catch (Exception e) {
            lastError = message(e);
            throw e;
        }
    }

    /**
     * Scale to zero: the services whose held requests asked for a replica since the last call (nginx's
     * {@code GET /wakes}, which clears them). Asks nginx only while the applied spec holds requests of some site.
     */
    public List<String> wakes() throws IOException {
        if (!holdsRequests) {
            return List.of();
        }
        AdminClient.Response r = admin.get("/wakes");
        if (r.status() != 200) {
            return List.of();
        }
        JsonNode wakes = Spec.JSON.readTree(r.body()).path("wakes");
        List<String> out = new java.util.ArrayList<>();
        wakes.forEach(w -> out.add(w.asText()));
        return out;
    }

    /** Ready endpoints of services, merged into the upstreams of the same service id without reload. */
    public void endpoints(Map<String, List<Endpoint>> byService) {
        peers.endpoints(byService);
    }

    /**
     * Supervision, every few seconds: starts nginx again if its master is gone, pushes the peers again when the
     * master changed (its shared memory is new) or a push failed.
     */
    public synchronized void tick() {
        try {
            Optional<Long> pid = nginx.pid();
            if (pid.isEmpty() && store.current().isPresent()) {
                LOG.log(Level.WARNING, "nginx is not running: starting it");
                startNginx(store.current().get().getFileName().toString());
                pid = nginx.pid();
            }
            if (pid.isPresent() && drainLeftOn) {
                endDrain();
            }
            if (pid.isPresent() && (pid.get() != pushedPid || peers.dirty())) {
                peers.push(true);
                pushedPid = pid.get();
            }
        } catch (IOException e) {
            lastError = message(e);
        }
    }

    private void applyInternal(Long rev, JsonNode body) throws Exception {
        Spec spec = Spec.parse(body);
        String socket = unavailableSocket();
        Optional<Path> live = store.current();
        if (live.isPresent() && liveFiles != null) {
            ConfigModel model = ConfigModel.build(
                    spec,
                    settings,
                    live.get().toString(),
                    socket,
                    live.get().getFileName().toString());
            Map<String, byte[]> files = renderer.render(model);
            if (ConfigStore.sameFiles(files, liveFiles) && nginx.running()) {
                applyDynamic(rev, body, spec, model);
                return;
            }
        }
        Path gen = store.newGeneration();
        String name = gen.getFileName().toString();
        List<Spec.Upstream> previousUpstreams = peers.upstreams();
        String previousRoutes = liveRoutes;
        boolean swapped = false;
        boolean peersChanged = false;
        boolean routesChanged = false;
        boolean draining = false;
        try {
            long t0 = System.nanoTime();
            ConfigModel model = ConfigModel.build(spec, settings, gen.toString(), socket, name);
            Map<String, byte[]> files = renderer.render(model);
            String routes = routes(model, rev);
            if (model.needsFallbackCertificate()) {
                ConfigStore.ensureFallbackCertificate(settings.workDir().resolve("tls"));
            }
            store.write(gen, files);
            long t1 = System.nanoTime();
            // the reload drain starts now: nginx -t and the pushes below take part of its time
            draining = nginx.running() && startDrain();
            long drainStart = System.nanoTime();
            NginxProcess.Result test = nginx.test(gen.resolve("nginx.conf"));
            long t2 = System.nanoTime();
            if (!test.ok()) {
                throw new IOException("nginx rejected the configuration: " + test.output());
            }
            peersChanged = true;
            peers.upstreams(spec.upstreams(), FIRST_CHECK_WAIT_MS);
            boolean running = nginx.running();
            if (running && Files.exists(settings.adminSocket())) {
                // (an nginx adopted from a version whose admin server listened on TCP gets its peers after the reload)
                peers.push(false);
                routesChanged = true;
                if (!pushRoutes(routes, true)) {
                    // an nginx adopted from a version without /routes: init_by_lua loads the file on the reload
                    StateFile.writePrivate(settings.workDir().resolve(ConfigModel.ROUTES_FILE), routes);
                    liveRoutes = routes;
                }
            } else {
                StateFile.writePrivate(settings.workDir().resolve(ConfigModel.ROUTES_FILE), routes);
                liveRoutes = routes;
            }
            long t3 = 0;
            long tReload = System.nanoTime();
            store.activate(gen);
            swapped = true;
            if (running) {
                long drained = draining ? awaitDrained(drainStart) : 0;
                long errorLogOffset = size(settings.errorLog());
                Set<Long> oldWorkers = nginx.workers();
                NginxProcess.Result reload = nginx.reload(settings.confFile());
                if (!reload.ok()) {
                    throw new IOException("nginx reload failed: " + reload.output());
                }
                awaitGeneration(name, errorLogOffset);
                t3 = System.nanoTime();
                if (!nginx.awaitRetired(oldWorkers, LOAD_TIMEOUT_MS)) {
                    LOG.log(
                            Level.WARNING,
                            "old nginx workers still accept connections after {0} ms",
                            String.valueOf(LOAD_TIMEOUT_MS));
                }
                reloads++;
                lastReloadAt = Instant.now();
                if (draining) {
                    draining = false;
                    endDrain();
                }
                LOG.log(Level.DEBUG, "reload drain waited {0} ms", String.valueOf(drained / 1_000_000));
            } else {
                startNginx(name);
            }
            peers.push(true);
            pushedPid = nginx.pid().orElse(-1L);
            live.ifPresent(store::prune);
            liveFiles = files;
            committed(rev, body, running ? "reload" : "start");
            long t4 = System.nanoTime();
            LOG.log(
                    Level.INFO,
                    "nginx now serves {0} (revision {1}): render {2} ms, nginx -t {3} ms, reload {4} ms,"
                            + " old workers retired {5} ms",
                    name,
                    String.valueOf(rev),
                    ms(t1 - t0),
                    ms(t2 - t1),
                    ms(t3 == 0 ? 0 : t3 - tReload),
                    ms(t3 == 0 ? 0 : t4 - t3));
        } catch (Exception e) {
            if (draining) {
                endDrain();
            }
            if (swapped && live.isPresent()) {
                store.activate(live.get());
            }
            store.discard(gen);
            rollback(peersChanged, previousUpstreams, routesChanged, previousRoutes);
            throw e;
        }
    }

    /**
     * The same {@code nginx.conf}: the peers (without pruning, so requests routed by the old routes still find
     * theirs), then the routing document, then the peers again with pruning. No reload, no new worker.
     */
    private void applyDynamic(Long rev, JsonNode body, Spec spec, ConfigModel model) throws Exception {
        long t0 = System.nanoTime();
        String routes = routes(model, rev);
        List<Spec.Upstream> previousUpstreams = peers.upstreams();
        String previousRoutes = liveRoutes;
        boolean routesChanged = false;
        long t1;
        long t2;
        long t3;
        try {
            peers.upstreams(spec.upstreams(), FIRST_CHECK_WAIT_MS);
            t1 = System.nanoTime();
            peers.push(false);
            t2 = System.nanoTime();
            if (!sameRoutes(routes, liveRoutes)) {
                routesChanged = true;
                pushRoutes(routes);
            }
            t3 = System.nanoTime();
            Set<String> names = new java.util.HashSet<>();
            spec.upstreams().forEach(u -> names.add(u.name()));
            if (previousUpstreams.stream().anyMatch(u -> !names.contains(u.name()))) {
                peers.push(true); // an upstream left: remove its peers now that no route names it
            }
        } catch (Exception e) {
            rollback(true, previousUpstreams, routesChanged, previousRoutes);
            throw e;
        }
        pushedPid = nginx.pid().orElse(-1L);
        committed(rev, body, "dynamic");
        LOG.log(
                Level.INFO,
                "revision {0} applied without reload in {1} ms (upstreams {2} ms, peers {3} ms, routes {4} ms)",
                String.valueOf(rev),
                ms(System.nanoTime() - t0),
                ms(t1 - t0),
                ms(t2 - t1),
                ms(t3 - t2));
    }

    private void rollback(
            boolean peersChanged, List<Spec.Upstream> previousUpstreams, boolean routesChanged, String previousRoutes)
            throws InterruptedException {
        try {
            if (routesChanged && previousRoutes != null && nginx.running()) {
                pushRoutes(previousRoutes);
            }
        } catch (IOException failed) {
            // the previous routes are still in the file; the next apply pushes again
        }
        if (peersChanged) {
            peers.upstreams(previousUpstreams, 0);
            try {
                if (nginx.running()) {
                    peers.push(false);
                }
            } catch (IOException pushFailed) {
                // the tick pushes again
            }
        }
    }

    /**
     * Sets the bound of the reload drain (default {@link #DRAIN_MS}); 0 reloads without draining (benchmarks compare
     * both).
     */
    public void reloadDrainMillis(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("reloadDrainMillis must be >= 0");
        }
        drainMillis = millis;
    }

    /**
     * Turns the reload drain on ({@code POST /drain}): while it is on, every answer closes its connection
     * ({@code Connection: close}), so that the old workers hold no idle kept-alive connection when the reload
     * closes those (a request a client sent on one at that moment would be lost). See {@code fleetgate.lua}.
     *
     * @return whether the drain is on (false when it is disabled or the running generation has no {@code /drain})
     */
    private boolean startDrain() {
        if (drainMillis == 0) {
            return false;
        }
        try {
            AdminClient.Response r = admin.post("/drain", "{\"on\":true}");
            if (r.status() != 200 && r.status() != 404) {
                LOG.log(
                        Level.WARNING,
                        "nginx refused the reload drain: {0} {1}",
                        r.status(),
                        r.body().trim());
            }
            return r.status() == 200;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "reload drain not set: {0}", message(e));
            return false;
        }
    }

    /** Ends the drain; when nginx does not answer, the supervision tick ends it. */
    private void endDrain() {
        try {
            AdminClient.Response r = admin.post("/drain", "{\"on\":false}");
            drainLeftOn = r.status() != 200 && r.status() != 404;
        } catch (IOException e) {
            drainLeftOn = true;
        }
    }

    /**
     * Waits until the kept-alive connections have cycled: at most the drain's bound since it started, less when
     * nginx holds no idle connection ({@code Waiting: 0} in {@code stub_status}) twice in a row, 10 ms apart.
     *
     * @return the nanoseconds waited since the drain started
     */
    private long awaitDrained(long start) {
        long deadline = start + drainMillis * 1_000_000;
        int idleFree = 0;
        while (System.nanoTime() < deadline) {
            try {
                Matcher m = WAITING.matcher(admin.get("/nginx_status").body());
                idleFree = m.find() && m.group(1).equals("0") ? idleFree + 1 : 0;
                if (idleFree == 2) {
                    break;
                }
                Thread.sleep(10);
            } catch (IOException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return System.nanoTime() - start;
    }

    /** @return the routing document with its version first (the revision; 0 for the state before any) */
    static String routes(ConfigModel model, Long rev) {
        String doc = model.routes().toString();
        return "{\"version\":" + (rev == null ? 0 : rev) + (doc.equals("{}") ? "}" : "," + doc.substring(1));
    }

    private static boolean sameRoutes(String a, String b) {
        return b != null && a.substring(a.indexOf(',')).equals(b.substring(b.indexOf(',')));
    }

    /**
     * Pushes the routing document ({@code POST /routes}); Lua checks it whole before it replaces the live one.
     * Then it is written to {@code routes.json} (0600) for the next start of nginx.
     *
     * @throws IOException with Lua's reason when the document is refused: the previous routing keeps serving
     */
    private void pushRoutes(String routes) throws IOException {
        pushRoutes(routes, false);
    }

    /** @return false when the running generation has no {@code /routes} (404) and that was allowed */
    private boolean pushRoutes(String routes, boolean missingAllowed) throws IOException {
        AdminClient.Response r = admin.post("/routes", routes);
        if (r.status() == 404 && missingAllowed) {
            return false;
        }
        if (r.status() != 200) {
            String reason = r.body().trim();
            try {
                reason = Spec.JSON.readTree(reason).path("error").asText(reason);
            } catch (IOException notJson) {
                // keep the raw body
            }
            throw new IOException("nginx refused the routes (HTTP " + r.status() + "): " + reason);
        }
        StateFile.writePrivate(settings.workDir().resolve(ConfigModel.ROUTES_FILE), routes);
        liveRoutes = routes;
        return true;
    }

    private void committed(Long rev, JsonNode body, String mode) throws IOException {
        holdsRequests = SiteWake.any(body);
        if (rev != null) {
            revision = rev;
            state.write(rev, body);
        }
        applyMode = mode;
        appliedAt = Instant.now();
        lastError = null;
    }

    /** Starts nginx on the live generation and waits until it serves it. */
    private void startNginx(String generation) throws IOException {
        Files.deleteIfExists(Path.of(unavailableSocket()));
        Files.deleteIfExists(settings.adminSocket());
        long offset = size(settings.errorLog());
        NginxProcess.Result r = nginx.start(settings.confFile());
        if (!r.ok()) {
            throw new IOException("nginx did not start: " + r.output());
        }
        awaitGeneration(generation, offset);
        peers.push(true);
        pushedPid = nginx.pid().orElse(-1L);
    }

    /** Waits until the admin server answers with the generation, failing early on an [emerg] in the error log. */
    private void awaitGeneration(String generation, long errorLogOffset) throws IOException {
        long deadline = System.nanoTime() + LOAD_TIMEOUT_MS * 1_000_000;
        while (true) {
            try {
                AdminClient.Response r = admin.get("/generation");
                if (r.status() == 200 && r.body().trim().equals(generation)) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            String emerg = ErrorLog.problemsSince(settings.errorLog(), errorLogOffset);
            if (emerg != null) {
                throw new IOException("nginx did not load the new configuration: " + emerg);
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(
                        "nginx did not load the new configuration within " + LOAD_TIMEOUT_MS / 1000 + " s");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted waiting for nginx", e);
            }
        }
    }

    /** @return {@code status.proxy} */
    public ObjectNode status() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        if (revision == null) {
            out.putNull("revision");
        } else {
            out.put("revision", revision);
        }
        ObjectNode n = out.putObject("nginx");
        Optional<Long> pid = nginx.pid();
        n.put("running", pid.isPresent());
        if (pid.isPresent()) {
            n.put("pid", pid.get());
        } else {
            n.putNull("pid");
        }
        n.put("version", nginx.version());
        n.put("lastReloadAt", lastReloadAt == null ? null : lastReloadAt.toString());
        n.put("reloads", reloads);
        n.put("applyMode", applyMode);
        n.put("appliedAt", appliedAt == null ? null : appliedAt.toString());
        String error = lastError != null ? lastError : peers.lastError();
        n.put("lastError", error);
        n.put("generation", store.current().map(p -> p.getFileName().toString()).orElse(null));
        out.set("targets", peers.targets());
        return out;
    }

    /** Stops nginx ({@code -s quit}) and waits for its master to exit; the agent itself never does this. */
    public synchronized void stopNginx() throws IOException {
        Optional<Long> pid = nginx.pid();
        if (pid.isEmpty()) {
            return;
        }
        nginx.signal(settings.confFile(), "quit");
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get());
        if (handle.isPresent()) {
            try {
                handle.get().onExit().get(15, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.get().destroyForcibly();
            }
        }
    }

    public NginxSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        peers.close();
    }

    /**
     * Where upstreams without a usable target send requests (nginx answers 503 there): a Unix socket in the
     * working directory, or in the temp directory when that path would be too long for a socket address.
     */
    String unavailableSocket() {
        String path = settings.workDir().resolve("unavailable.sock").toString();
        if (path.length() <= 100) {
            return path;
        }
        return Path.of(
                        System.getProperty("java.io.tmpdir"),
                        "fleetgate-nginx-"
                                + Integer.toHexString(
                                        settings.workDir().toString().hashCode()) + ".sock")
                .toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    private static String ms(long nanos) {
        return String.valueOf(nanos / 1_000_000);
    }

    static String message(Exception e) {
        return e.getMessage() == null ? e.getClass().getName() : e.getMessage();
    }
}
