package dev.fleetgate.rest.internal;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds the current servlet container and swaps it without failing requests: a request
 * leases the current generation; a replaced generation is destroyed once its last lease is
 * released (or after the drain timeout).
 *
 * @param <T> the container type
 */
public final class ContainerSwitch<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ContainerSwitch.class);

    private final Consumer<T> destroyer;
    private final Duration drainTimeout;
    private final Executor executor;
    private final Set<Generation<T>> draining = ConcurrentHashMap.newKeySet();
    private volatile Generation<T> current;

    public ContainerSwitch(Consumer<T> destroyer, Duration drainTimeout, Executor executor) {
        this.destroyer = destroyer;
        this.drainTimeout = drainTimeout;
        this.executor = executor;
    }

    /** @return a lease on the current container, or null when there is none yet */
    public Lease<T> acquire() {
        for (; ; ) {
            Generation<T> g = current;
            if (g == null) {
                return null;
            }
            g.inFlight.incrementAndGet();
            if (g == current) {
                return new Lease<>(g);
            }
            g.release(); // swapped meanwhile: use the new one
        }
    }

    /** Makes {@code next} current; the previous container is destroyed once drained. */
    public synchronized void swap(T next) {
        Generation<T> old = current;
        current = new Generation<>(next);
        if (old != null) {
            retire(old);
        }
    }

    /** Destroys every container now, drained or not. */
    public synchronized void close() {
        Generation<T> old = current;
        current = null;
        if (old != null) {
            draining.add(old);
        }
        for (Generation<T> g : draining) {
            destroy(g);
        }
    }

    /** @return whether a container is current */
    public boolean isReady() {
        return current != null;
    }

    private void retire(Generation<T> g) {
        draining.add(g);
        g.retired = true;
        if (g.inFlight.get() == 0) {
            g.drained.complete(Boolean.TRUE);
        }
        g.drained
                .completeOnTimeout(Boolean.FALSE, drainTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenAcceptAsync(
                        clean -> {
                            if (!clean) {
                                LOG.warn(
                                        "Destroying a replaced REST application with {} requests still running",
                                        g.inFlight.get());
                            }
                            destroy(g);
                        },
                        executor);
    }

    private void destroy(Generation<T> g) {
        if (g.destroyed.compareAndSet(false, true)) {
            draining.remove(g);
            try {
                destroyer.accept(g.target);
            } catch (RuntimeException e) {
                LOG.warn("Destroying a REST application failed", e);
            }
        }
    }

    private static final class Generation<T> {
        final T target;
        final AtomicInteger inFlight = new AtomicInteger();
        final CompletableFuture<Boolean> drained = new CompletableFuture<>();
        final AtomicBoolean destroyed = new AtomicBoolean();
        volatile boolean retired;

        Generation(T target) {
            this.target = target;
        }

        void release() {
            if (inFlight.decrementAndGet() == 0 && retired) {
                drained.complete(Boolean.TRUE);
            }
        }
    }

    /** One request's hold on a container; release it exactly once (extra calls are ignored). */
    public static final class Lease<T> {
        private final Generation<T> generation;
        private final AtomicBoolean released = new AtomicBoolean();

        Lease(Generation<T> generation) {
            this.generation = generation;
        }

        public T target() {
            return generation.target;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                generation.release();
            }
        }
    }
}
