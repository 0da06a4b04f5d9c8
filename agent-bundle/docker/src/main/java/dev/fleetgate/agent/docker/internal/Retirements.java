package dev.fleetgate.agent.docker.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Replicas on their way out. A retired replica leaves the endpoints at the next publish; if it
 * was published and still runs, it drains for {@code drainMillis} before it is stopped and removed (on the
 * worker pool; a failure is retried after 5 s). Used on the reconcile thread only, except the
 * worker's completion, which goes back through {@code loop}.
 */
final class Retirements {

    private record Retiring(long drainUntil, long retryAt, boolean running) {}

    private static final Logger LOG = System.getLogger(Retirements.class.getName());
    private final DockerEngine engine;
    private final long drainNanos;
    private final int stopTimeoutSeconds;
    private final Executor workers;
    private final Executor loop;
    private final Runnable onRemoved;
    private final Map<String, Retiring> retiring = new HashMap<>();
    private final Set<String> removing = ConcurrentHashMap.newKeySet();

    Retirements(
            DockerEngine engine,
            long drainMillis,
            int stopTimeoutSeconds,
            Executor workers,
            Executor loop,
            Runnable onRemoved) {
        this.engine = engine;
        this.drainNanos = TimeUnit.MILLISECONDS.toNanos(drainMillis);
        this.stopTimeoutSeconds = stopTimeoutSeconds;
        this.workers = workers;
        this.loop = loop;
        this.onRemoved = onRemoved;
    }

    void retire(ContainerInfo c, String why) {
        if (retiring.putIfAbsent(c.id(), new Retiring(-1, 0, c.running())) == null) {
            LOG.log(Level.INFO, "containers: retiring {0}: {1}", c.name(), why);
        }
    }

    boolean contains(String id) {
        return retiring.containsKey(id);
    }

    /** Forgets containers that are gone. */
    void retain(Set<String> ids) {
        retiring.keySet().retainAll(ids);
    }

    /** After a publish: newly retired replicas that were published (and still run) drain from now. */
    void published(Set<String> before, long now) {
        retiring.replaceAll((id, r) -> r.drainUntil() >= 0
                ? r
                : new Retiring(before.contains(id) && r.running() ? now + drainNanos : now, 0, r.running()));
    }

    /** Stops and removes the drained ones. @return whether some are still on their way out */
    boolean drain(long now) {
        for (Map.Entry<String, Retiring> e : retiring.entrySet()) {
            String id = e.getKey();
            Retiring r = e.getValue();
            if (r.drainUntil() < 0 || now - r.drainUntil() < 0 || now - r.retryAt() < 0 || removing.contains(id)) {
                continue;
            }
            removing.add(id);
            workers.execute(() -> stopAndRemove(id));
        }
        return !retiring.isEmpty();
    }

    private void stopAndRemove(String id) {
        try {
            engine.stop(id, stopTimeoutSeconds);
            engine.remove(id);
        } catch (DockerException e) {
            LOG.log(Level.WARNING, "containers: cannot remove {0}: {1}", id, e.getMessage());
            long retry = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            loop.execute(
                    () -> retiring.computeIfPresent(id, (k, r) -> new Retiring(r.drainUntil(), retry, r.running())));
        } finally {
            removing.remove(id);
            onRemoved.run();
        }
    }
}
