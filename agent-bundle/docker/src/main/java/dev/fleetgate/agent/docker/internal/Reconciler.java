package dev.fleetgate.agent.docker.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;
import dev.fleetgate.agent.Threads;

/**
 * Makes the containers of this agent match the {@code containers} section: per service and
 * replica slot one container with the current spec hash; new replicas enter the endpoints once
 * ready; leaving ones are removed from the endpoints, drained, then stopped and removed. A
 * replacement is rolling (the new replica of a slot is ready before the old one leaves).
 *
 * <p>All passes run on one thread, triggered by {@link #apply}, Docker events, and a timer
 * (fast while something is pending). Stateless across restarts: everything it needs to adopt
 * running replicas is in their labels.
 */
public final class Reconciler implements AutoCloseable {

    /** Settings from the configuration. */
    public record Settings(
            String owner,
            String bindAddress,
            int portRangeStart,
            int portRangeEnd,
            long intervalMillis,
            long drainMillis,
            int stopTimeoutSeconds) {}

    private static final Logger LOG = System.getLogger(Reconciler.class.getName());
    private static final long PENDING_PASS_MILLIS = 100;
    private static final long FAILURE_CAP_MILLIS = 30_000;
    /** A local wake without the core's takeover (its spec still at 0 replicas) ends after this long. */
    static final long WAKE_HOLD_MILLIS = 10 * 60_000L;

    private final DockerEngine engine;
    private final Settings settings;
    private final EndpointsPublisher endpoints;
    private final Runnable onStatusChange;
    private final ScheduledExecutorService loop;
    private final ExecutorService workers;
    private final PortAllocator ports;
    private final ReplicaFactory factory;
    private final Readiness readiness;
    private final StatusBuilder statusBuilder;

    private volatile Map<String, ServiceSpec> desired;
    private volatile ObjectNode status;
    private volatile boolean closed;

    // state of the pass thread
    private final Retirements retiring;
    private final Map<String, Failure> serviceFailures = new ConcurrentHashMap<>();
    /** Services woken here (a request waits for them) while their spec says 0 replicas: id → System.nanoTime(). */
    private final Map<String, Long> woken = new ConcurrentHashMap<>();

    private final Map<String, Failure> slotFailures = new HashMap<>();
    private final Map<String, DockerEngine.ImageInfo> imagesById = new HashMap<>();
    private Set<String> published = Set.of();

    private final java.util.concurrent.atomic.AtomicLong passes = new java.util.concurrent.atomic.AtomicLong();
    private ScheduledFuture<?> scheduled;
    private long scheduledAt;

    public Reconciler(DockerEngine engine, Settings settings, EndpointsPublisher endpoints, Runnable onStatusChange) {
        this.engine = engine;
        this.settings = settings;
        this.endpoints = endpoints;
        this.onStatusChange = onStatusChange;
        this.ports = new PortAllocator(settings.portRangeStart(), settings.portRangeEnd(), settings.bindAddress());
        this.factory = new ReplicaFactory(settings.owner(), settings.bindAddress());
        this.loop = Threads.scheduler("fleetgate-docker-reconcile", 1);
        this.workers = Executors.newFixedThreadPool(4, Threads.factory("fleetgate-docker-work"));
        this.readiness = new Readiness(settings.bindAddress(), workers);
        this.statusBuilder = new StatusBuilder(engine);
        this.retiring = new Retirements(
                engine,
                settings.drainMillis(),
                settings.stopTimeoutSeconds(),
                workers,
                loop::execute,
                () -> trigger(0));
        this.status = statusBuilder.initial();
    }

    /** Starts the periodic passes (and a first one at once). */
    public void start() {
        trigger(0);
    }

    /** Sets the desired services (the whole section) and reconciles soon. */
    public void apply(JsonNode body) {
        Map<String, ServiceSpec> parsed = ServiceSpec.parseAll(body);
        desired = parsed;
        trigger(0);
    }

    /**
     * Scale to zero: a request waits in nginx for a replica of a service whose spec says 0 replicas. The service
     * runs one replica here at once, before the core hears of it, until the spec asks for at least one (the core
     * took over: its loop saw the request in the metrics) or {@link #WAKE_HOLD_MILLIS} passed without that. A
     * service with replicas, or unknown here, is not woken.
     */
    public void wake(String serviceId) {
        Map<String, ServiceSpec> want = desired;
        ServiceSpec spec = want == null ? null : want.get(serviceId);
        if (spec == null || spec.replicas() > 0) {
            return;
        }
        if (woken.putIfAbsent(serviceId, System.nanoTime()) == null) {
            LOG.log(Level.INFO, "containers: a request woke service {0}: starting a replica", spec.serviceName());
            trigger(0);
        }
    }

    /** @return the replicas a service runs here: its spec's, or 1 while it is woken locally */
    private int replicas(ServiceSpec spec, long now) {
        Long at = woken.get(spec.serviceId());
        if (at == null) {
            return spec.replicas();
        }
        if (spec.replicas() > 0 || now - at > TimeUnit.MILLISECONDS.toNanos(WAKE_HOLD_MILLIS)) {
            woken.remove(spec.serviceId());
            return spec.replicas();
        }
        return 1;
    }

    /** @return the last {@code status.containers} */
    public ObjectNode status() {
        return status;
    }

    /** @return how many passes ran (to show that a failing service does not make it spin) */
    long passes() {
        return passes.get();
    }

    /** @return how many times creating a replica of the service failed in a row (0 when it did not) */
    int failureAttempts(String serviceId) {
        Failure f = serviceFailures.get(serviceId);
        return f == null ? 0 : f.attempts();
    }

    /** Asks for a pass after {@code delayMillis} (earlier requests win). */
    public synchronized void trigger(long delayMillis) {
        if (closed) {
            return;
        }
        long at = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMillis);
        if (scheduled != null && !scheduled.isDone()) {
            if (scheduledAt - at <= 0) {
                return;
            }
            scheduled.cancel(false);
        }
        scheduledAt = at;
        scheduled = loop.schedule(this::run, delayMillis, TimeUnit.MILLISECONDS);
    }

    private void run() {
        synchronized (this) {
            scheduled = null;
        }
        long next = settings.intervalMillis();
        try {
            next = Math.min(next, pass());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "containers: reconcile pass failed", e);
        }
        trigger(next);
    }

    /** @return milliseconds until the next pass is wanted */
    private long pass() throws InterruptedException {
        passes.incrementAndGet();
        long now = System.nanoTime();
        List<ContainerInfo> all;
        try {
            all = engine.containers();
            statusBuilder.engineUp();
        } catch (DockerException e) {
            Map<String, ServiceSpec> want = desired;
            setStatus(statusBuilder.unavailable(
                    e.getMessage(), services(List.of(), want == null ? List.of() : want.values())));
            return settings.intervalMillis();
        }
        List<ContainerInfo> mine = new ArrayList<>();
        Set<Integer> portsInUse = new HashSet<>();
        for (ContainerInfo c : all) {
            usedPorts(c, portsInUse);
            if (mine(c)) {
                mine.add(c);
            }
        }
        Set<String> ids = new HashSet<>();
        mine.forEach(c -> ids.add(c.id()));
        retiring.retain(ids);
        readiness.retain(ids);

        Map<String, ServiceSpec> want = desired;
        boolean pending = false;
        if (want != null) {
            Map<String, List<ContainerInfo>> byService = new HashMap<>();
            for (ContainerInfo c : mine) {
                if (retiring.contains(c.id())) {
                    continue;
                }
                ServiceSpec spec = want.get(c.label(Labels.SERVICE));
                if (spec == null || slot(c) < 0 || port(c) < 0) {
                    retire(c, "service no longer wanted here");
                } else {
                    byService
                            .computeIfAbsent(spec.serviceId(), k -> new ArrayList<>())
                            .add(c);
                }
            }
            Map<String, DockerEngine.ImageInfo> images = new HashMap<>();
            for (ServiceSpec spec : want.values()) {
                pending |= reconcile(
                        spec,
                        replicas(spec, now),
                        byService.getOrDefault(spec.serviceId(), List.of()),
                        portsInUse,
                        images,
                        now);
            }
            serviceFailures.keySet().retainAll(want.keySet());
            woken.keySet().retainAll(want.keySet());
            slotFailures.keySet().removeIf(key -> !want.containsKey(key.substring(0, key.lastIndexOf('/'))));
        }

        pending |= readiness.update(candidates(mine, want), now);
        publish(mine, want);
        pending |= retiring.drain(now);
        ObjectNode next =
                statusBuilder.build(all, mine, published, services(mine, want == null ? List.of() : want.values()));
        if (!woken.isEmpty()) {
            woken.keySet().stream().sorted().forEach(next.putArray("woken")::add);
        }
        setStatus(next);
        return pending ? PENDING_PASS_MILLIS : settings.intervalMillis();
    }

    /** One service: a container per slot with the current spec, rolling replacement, extra slots retired. */
    private boolean reconcile(
            ServiceSpec spec,
            int replicas,
            List<ContainerInfo> containers,
            Set<Integer> portsInUse,
            Map<String, DockerEngine.ImageInfo> images,
            long now)
            throws InterruptedException {
        String hash = spec.specHash();
        Map<Integer, List<ContainerInfo>> bySlot = new TreeMap<>();
        for (ContainerInfo c : containers) {
            if (slot(c) >= replicas) {
                retire(c, "scaled down");
            } else {
                bySlot.computeIfAbsent(slot(c), k -> new ArrayList<>()).add(c);
            }
        }
        boolean pending = false;
        for (int slot = 0; slot < replicas; slot++) {
            String slotKey = spec.serviceId() + "/" + slot;
            List<ContainerInfo> current = new ArrayList<>();
            List<ContainerInfo> old = new ArrayList<>();
            for (ContainerInfo c : bySlot.getOrDefault(slot, List.of())) {
                if (gone(c, spec)) {
                    if (hash.equals(c.label(Labels.SPEC)) && !"created".equals(c.state())) {
                        Integer code = c.exitCode();
                        slotFailures.put(
                                slotKey,
                                Failure.next(
                                        slotFailures.get(slotKey),
                                        "replica " + slot + " " + c.state()
                                                + (code == null ? "" : " with code " + code),
                                        now,
                                        60_000));
                    }
                    retire(c, "not running (" + c.state() + ")");
                } else if (hash.equals(c.label(Labels.SPEC))) {
                    current.add(c);
                } else {
                    old.add(c);
                }
            }
            current.sort(Comparator.comparing((ContainerInfo c) -> !readiness.ready(c.id()))
                    .thenComparing(c -> !c.running())
                    .thenComparingLong(ContainerInfo::createdEpochSeconds));
            for (int i = 1; i < current.size(); i++) {
                retire(current.get(i), "duplicate of slot " + slot);
            }
            if (current.isEmpty()) {
                Failure crash = slotFailures.get(slotKey);
                if (crash != null && crash.waiting(now)) {
                    pending = true;
                } else {
                    pending |= create(spec, slot, portsInUse, images, now);
                }
            } else if (readiness.ready(current.get(0).id())) {
                old.forEach(c -> retire(c, "replaced"));
                Failure crash = slotFailures.get(slotKey);
                if (crash != null && crash.error() != null) {
                    slotFailures.put(slotKey, crash.cleared());
                } else if (crash != null && now - crash.since() > TimeUnit.SECONDS.toNanos(30)) {
                    slotFailures.remove(slotKey);
                }
            } else {
                old.stream().filter(c -> !readiness.ready(c.id())).forEach(c -> retire(c, "replaced"));
                pending = true;
            }
        }
        return pending;
    }

    /** @return whether a replica was created (or will be retried soon) */
    private boolean create(
            ServiceSpec spec, int slot, Set<Integer> portsInUse, Map<String, DockerEngine.ImageInfo> images, long now) {
        Failure failure = serviceFailures.get(spec.serviceId());
        if (failure != null && failure.waiting(now)) {
            return false;
        }
        String error;
        try {
            DockerEngine.ImageInfo image =
                    images.containsKey(spec.image()) ? images.get(spec.image()) : engine.image(spec.image());
            images.put(spec.image(), image);
            if (image == null) {
                error = "image " + spec.image() + " not found on this host";
            } else {
                int port = ports.allocate(portsInUse);
                if (port < 0) {
                    error = "no free host port in " + settings.portRangeStart() + ".." + settings.portRangeEnd();
                } else {
                    String name = ReplicaFactory.name(spec, slot);
                    String id = engine.create(name, factory.body(spec, slot, port));
                    portsInUse.add(port);
                    try {
                        engine.start(id);
                    } catch (DockerException e) {
                        engine.remove(id);
                        throw e;
                    }
                    LOG.log(
                            Level.INFO,
                            "containers: started {0} for service {1} (port {2})",
                            name,
                            spec.serviceName(),
                            String.valueOf(port));
                    if (failure != null) {
                        serviceFailures.remove(spec.serviceId());
                    }
                    return true;
                }
            }
        } catch (DockerException e) {
            error = "cannot run " + spec.image() + ": " + e.getMessage();
        }
        Failure next = Failure.next(failure, error, now, FAILURE_CAP_MILLIS);
        serviceFailures.put(spec.serviceId(), next);
        LOG.log(
                failure == null || !error.equals(failure.error()) ? Level.WARNING : Level.DEBUG,
                "containers: service {0}: {1} (attempt {2}, next in {3} ms)",
                spec.serviceName(),
                error,
                next.attempts(),
                TimeUnit.NANOSECONDS.toMillis(next.nextAttempt() - now));
        return false;
    }

    private boolean gone(ContainerInfo c, ServiceSpec spec) {
        if ("dead".equals(c.state()) || "created".equals(c.state())) {
            return true;
        }
        // with another restart policy Docker brings an exited replica back itself
        return "exited".equals(c.state()) && "no".equals(spec.restartPolicy());
    }

    private void retire(ContainerInfo c, String why) {
        retiring.retire(c, why);
    }

    private List<Readiness.Candidate> candidates(List<ContainerInfo> mine, Map<String, ServiceSpec> want) {
        List<Readiness.Candidate> candidates = new ArrayList<>();
        for (ContainerInfo c : mine) {
            ServiceSpec spec = want == null ? null : want.get(c.label(Labels.SERVICE));
            if (retiring.contains(c.id()) || port(c) < 0 || (want != null && spec == null)) {
                continue;
            }
            boolean imageHealthcheck = imageHealthcheck(c);
            ServiceSpec.HealthCheck hc = spec == null ? null : spec.healthCheck();
            long interval = TimeUnit.SECONDS.toNanos(
                    hc == null ? Math.max(1, settings.intervalMillis() / 1000) : hc.intervalSeconds());
            candidates.add(
                    new Readiness.Candidate(c.id(), port(c), c.running(), imageHealthcheck, c.health(), hc, interval));
        }
        return candidates;
    }

    private boolean imageHealthcheck(ContainerInfo c) {
        DockerEngine.ImageInfo image = imagesById.get(c.imageId());
        if (image == null) {
            try {
                image = engine.image(c.imageId());
            } catch (DockerException e) {
                image = null;
            }
            if (image == null) {
                return !"none".equals(c.health());
            }
            imagesById.put(c.imageId(), image);
        }
        return image.healthcheck();
    }

    private void publish(List<ContainerInfo> mine, Map<String, ServiceSpec> want) {
        Map<String, List<Endpoint>> next = new TreeMap<>();
        Set<String> ready = new HashSet<>();
        List<ContainerInfo> sorted = new ArrayList<>(mine);
        sorted.sort(Comparator.comparingInt(Reconciler::slot).thenComparing(ContainerInfo::id));
        for (ContainerInfo c : sorted) {
            String service = c.label(Labels.SERVICE);
            if (!retiring.contains(c.id()) && readiness.ready(c.id()) && (want == null || want.containsKey(service))) {
                next.computeIfAbsent(service, k -> new ArrayList<>())
                        .add(new Endpoint(c.id(), settings.bindAddress(), port(c), 1));
                ready.add(c.id());
            }
        }
        Set<String> before = published;
        published = Set.copyOf(ready);
        if (endpoints.publish(next)) {
            LOG.log(Level.DEBUG, "containers: endpoints revision {0}: {1}", endpoints.revision(), next);
        }
        retiring.published(before, System.nanoTime());
    }

    private List<ServiceState> services(List<ContainerInfo> mine, Iterable<ServiceSpec> specs) {
        return ServiceStates.of(mine, specs, retiring::contains, published, serviceFailures, slotFailures);
    }

    private void setStatus(ObjectNode next) {
        ObjectNode previous = status;
        status = next;
        if (!next.equals(previous)) {
            onStatusChange.run();
        }
    }

    private boolean mine(ContainerInfo c) {
        return "true".equals(c.label(Labels.MANAGED)) && settings.owner().equals(c.label(Labels.AGENT));
    }

    private static void usedPorts(ContainerInfo c, Set<Integer> ports) {
        int port = port(c);
        if (port > 0) {
            ports.add(port);
        }
        for (ContainerInfo.Port p : c.ports()) {
            if (p.publicPort() != null) {
                ports.add(p.publicPort());
            }
        }
    }

    static int slot(ContainerInfo c) {
        return number(c.label(Labels.REPLICA), 0, ServiceSpec.MAX_REPLICAS * 100);
    }

    static int port(ContainerInfo c) {
        return number(c.label(Labels.PORT), 1, 65535);
    }

    private static int number(String text, int min, int max) {
        try {
            int n = Integer.parseInt(text);
            return n >= min && n <= max ? n : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Stops the passes; containers keep running (a new instance adopts them). */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
        }
        loop.shutdownNow();
        workers.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
            workers.awaitTermination(settings.stopTimeoutSeconds() + 5L, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
    }
}
