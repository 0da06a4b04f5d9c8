package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;
import dev.fleetgate.agent.Threads;

/**
 * Keeps nginx's peers (in Lua) equal to the members of the upstreams and their health, without reloads: the
 * driver and the endpoint tracker change the {@link PeerTable}, the {@link HealthChecker} reports transitions,
 * and every change is pushed to the admin server ({@code POST /peers}), synchronously from {@code apply} and
 * coalesced on a background thread otherwise.
 */
public final class PeerSync implements AutoCloseable {

    private static final Logger LOG = System.getLogger(PeerSync.class.getName());
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private final PeerTable table = new PeerTable();
    private final HealthChecker health;
    private final AdminClient admin;
    private final java.nio.file.Path peersFile;
    private final Runnable statusChanged;
    private final ExecutorService pusher;
    private final AtomicBoolean queued = new AtomicBoolean();
    private final Object pushLock = new Object();
    private List<PeerTable.Member> members = List.of();
    private final Map<String, HealthState.Status> seeds = new HashMap<>();
    private volatile boolean dirty = true;
    private volatile String lastError;

    public PeerSync(
            AdminClient admin,
            int healthThreads,
            HealthChecker.Probe probe,
            Runnable statusChanged,
            java.nio.file.Path peersFile) {
        this.admin = admin;
        this.peersFile = peersFile;
        this.statusChanged = statusChanged;
        this.health = new HealthChecker(healthThreads, probe, this::transition);
        this.pusher = Threads.pool("fleetgate-nginx-peers", 1);
    }

    /** Health of targets known to a running nginx (from {@code /check}), used when they are first seen. */
    public synchronized void seed(JsonNode check) {
        for (JsonNode u : check.path("upstreams")) {
            for (JsonNode p : u.path("peers")) {
                String[] target = p.path("target").asText("").split(":(?=[0-9]+$)");
                if (target.length == 2) {
                    String key = PeerTable.key(u.path("name").asText(), target[0], Integer.parseInt(target[1]));
                    String h = p.path("health").asText("");
                    seeds.put(
                            key,
                            "up".equals(h)
                                    ? HealthState.Status.UP
                                    : "down".equals(h) ? HealthState.Status.DOWN : HealthState.Status.PENDING);
                }
            }
        }
    }

    /** @return the upstreams in use (for a rollback) */
    public List<Spec.Upstream> upstreams() {
        return table.upstreams();
    }

    /**
     * Sets the upstreams of the spec and waits (at most {@code maxWaitMillis}) for the first check of new
     * targets, so that a new healthy target is in rotation when this returns.
     */
    public void upstreams(List<Spec.Upstream> upstreams, long maxWaitMillis) throws InterruptedException {
        table.upstreams(upstreams);
        List<CompletableFuture<Void>> firsts = refresh();
        if (!firsts.isEmpty()) {
            try {
                CompletableFuture.allOf(firsts.toArray(CompletableFuture[]::new))
                        .get(maxWaitMillis, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                // slow targets stay out of rotation until their check answers
            }
        }
    }

    /** Sets the ready endpoints of services (from {@code ServiceEndpoints}) and pushes soon. */
    public void endpoints(Map<String, List<Endpoint>> byService) {
        table.endpoints(byService);
        refresh();
        requestPush();
    }

    /** Pushes every upstream's peers now. */
    public void push(boolean prune) throws IOException {
        synchronized (pushLock) {
            ObjectNode body = JSON.objectNode();
            ObjectNode ups = body.putObject("upstreams");
            List<PeerTable.Member> current;
            synchronized (this) {
                current = members;
            }
            table.payload(current, this::healthOf).forEach(ups::put);
            body.put("prune", prune);
            try {
                AdminClient.Response r = admin.post("/peers", body.toString());
                if (r.status() != 200) {
                    throw new IOException("nginx admin /peers answered " + r.status() + ": "
                            + r.body().trim());
                }
                dirty = false;
                lastError = null;
                // every upstream's peers: what a new nginx master restores (init_by_lua) before it answers
                StateFile.writePrivate(peersFile, body.toString());
            } catch (IOException e) {
                dirty = true;
                lastError = "pushing peers to nginx: " + e.getMessage();
                throw e;
            }
        }
    }

    /** Pushes on the background thread; pushes requested meanwhile are merged. */
    public void requestPush() {
        dirty = true;
        if (queued.compareAndSet(false, true)) {
            try {
                pusher.execute(() -> {
                    queued.set(false);
                    try {
                        push(true);
                    } catch (IOException e) {
                        LOG.log(Level.WARNING, e.getMessage());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                queued.set(false);
            }
        }
    }

    public boolean dirty() {
        return dirty;
    }

    public String lastError() {
        return lastError;
    }

    /** @return {@code status.proxy.targets}: every member with its health */
    public ArrayNode targets() {
        ArrayNode out = JSON.arrayNode();
        List<PeerTable.Member> current;
        synchronized (this) {
            current = members;
        }
        Set<String> seen = new HashSet<>();
        for (PeerTable.Member m : current) {
            if (seen.add(m.serviceId() + "|" + m.host() + "|" + m.port())) {
                ObjectNode t = out.addObject();
                t.put("serviceId", m.serviceId())
                        .put("upstream", m.upstream())
                        .put("host", m.host())
                        .put("port", m.port())
                        .put("healthy", health.inRotation(m.key()));
                t.put("health", healthOf(m.key()));
            }
        }
        return out;
    }

    @Override
    public void close() {
        health.close();
        pusher.shutdownNow();
    }

    private synchronized List<CompletableFuture<Void>> refresh() {
        List<PeerTable.Member> next = table.members();
        Set<String> before = new HashSet<>();
        members.forEach(m -> before.add(m.key()));
        List<CompletableFuture<Void>> firsts = health.sync(table.checks(next, key -> {
            HealthState.Status seeded = seeds.remove(key);
            if (seeded != null) {
                return seeded;
            }
            // a member that served without an active check stays in rotation when one is added
            return before.contains(key) ? HealthState.Status.UP : HealthState.Status.PENDING;
        }));
        members = next;
        return firsts;
    }

    private String healthOf(String key) {
        return health.status(key)
                .map(s -> s.name().toLowerCase(java.util.Locale.ROOT))
                .orElse("none");
    }

    private void transition() {
        requestPush();
        statusChanged.run();
    }
}
