package dev.fleetgate.agent.docker.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/**
 * The docker bundle's wiring without OSGi (as {@link ContainersApplier} does it), plus a
 * watcher of the endpoints: at each change it checks, at that moment, that every newly
 * published endpoint answers its health check and whether each removed one still answers
 * (it must while it drains).
 */
final class TestAgent implements AutoCloseable {

    /** What an endpoint change looked like when it happened. */
    record Change(
            long revision,
            Map<String, List<Endpoint>> endpoints,
            List<String> addedNotAnswering,
            List<String> removedAnswering,
            List<String> removedNotAnswering) {}

    final EndpointsPublisher endpoints;
    final Reconciler reconciler;
    final EventWatcher events;
    final List<Change> changes = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger syncRequests = new AtomicInteger();
    private Map<String, Endpoint> previous = new HashMap<>();

    TestAgent(DockerFixture fixture, Reconciler.Settings settings) {
        endpoints = new EndpointsPublisher(this::changed);
        reconciler = new Reconciler(fixture.engine, settings, endpoints, syncRequests::incrementAndGet);
        events = new EventWatcher(fixture.api, e -> reconciler.trigger(20), () -> reconciler.trigger(0));
        reconciler.start();
        events.start();
    }

    private synchronized void changed(long revision) {
        Map<String, List<Endpoint>> now = endpoints.endpoints();
        Map<String, Endpoint> byId = new HashMap<>();
        now.values().forEach(list -> list.forEach(e -> byId.put(e.id(), e)));
        List<String> addedNotAnswering = new ArrayList<>();
        List<String> removedAnswering = new ArrayList<>();
        List<String> removedNotAnswering = new ArrayList<>();
        byId.forEach((id, e) -> {
            if (!previous.containsKey(id) && !answers(e)) {
                addedNotAnswering.add(id);
            }
        });
        previous.forEach((id, e) -> {
            if (!byId.containsKey(id)) {
                (answers(e) ? removedAnswering : removedNotAnswering).add(id);
            }
        });
        previous = byId;
        changes.add(new Change(revision, now, addedNotAnswering, removedAnswering, removedNotAnswering));
    }

    private static boolean answers(Endpoint e) {
        return Readiness.probe(e.host(), e.port(), new ServiceSpec.HealthCheck("/health", 1, 2, 1, 1)) == null;
    }

    List<Endpoint> endpointsOf(String serviceId) {
        return endpoints.endpoints().getOrDefault(serviceId, List.of());
    }

    Set<String> endpointIds(String serviceId) {
        return endpointsOf(serviceId).stream().map(Endpoint::id).collect(Collectors.toSet());
    }

    List<String> addedNotAnswering() {
        synchronized (changes) {
            return changes.stream().flatMap(c -> c.addedNotAnswering().stream()).toList();
        }
    }

    @Override
    public void close() {
        events.close();
        reconciler.close();
    }
}
