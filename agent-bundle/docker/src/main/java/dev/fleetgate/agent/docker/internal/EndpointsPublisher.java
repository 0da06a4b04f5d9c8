package dev.fleetgate.agent.docker.internal;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import dev.fleetgate.agent.ServiceEndpoints;

/**
 * The ready replicas, as the {@link ServiceEndpoints} service the proxy driver reads. Each
 * change grows the revision and tells the listener (which updates the service property
 * {@value ServiceEndpoints#REVISION}) before {@link #publish} returns.
 */
public final class EndpointsPublisher implements ServiceEndpoints {

    private final LongConsumer onChange;
    private volatile Consumer<String> waker = id -> {};
    private volatile Map<String, List<Endpoint>> current = Map.of();
    private long revision;

    /** @param onChange called with the new revision after each change, on the publishing thread */
    public EndpointsPublisher(LongConsumer onChange) {
        this.onChange = onChange;
    }

    @Override
    public Map<String, List<Endpoint>> endpoints() {
        return current;
    }

    /** A request waits for a replica of a service scaled to zero: the reconciler starts one at once. */
    @Override
    public void wake(String serviceId) {
        waker.accept(serviceId);
    }

    /** @param waker what {@link #wake} calls (the running reconciler) */
    void waker(Consumer<String> waker) {
        this.waker = waker;
    }

    public synchronized long revision() {
        return revision;
    }

    /** @return whether the set changed */
    public boolean publish(Map<String, List<Endpoint>> next) {
        long rev;
        synchronized (this) {
            Map<String, List<Endpoint>> copy = new TreeMap<>();
            next.forEach((service, list) -> {
                if (!list.isEmpty()) {
                    copy.put(service, List.copyOf(list));
                }
            });
            if (copy.equals(current)) {
                return false;
            }
            current = java.util.Collections.unmodifiableMap(copy);
            rev = ++revision;
        }
        onChange.accept(rev);
        return true;
    }
}
