package dev.fleetgate.agent.docker.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.agent.ServiceEndpoints.Endpoint;

/**
 * Benchmark (prints figures; run by {@code bench/run-containers.sh}, never by the build):
 * <ol>
 * <li>replica-count change → new replica serving: apply {@code replicas n+1}, time until the
 * new endpoint is published and until it answers an HTTP request;</li>
 * <li>log fetch latency on a 100,000-line container log: last 100 lines, a filtered query,
 * and a cursor page of 500.</li>
 * </ol>
 * Uses host ports 19800–19899 and removes its containers at the end.
 */
public final class ContainersBench {

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        try (DockerFixture docker = new DockerFixture()) {
            scaleUp(docker, iterations);
            logs(docker, iterations);
        }
    }

    private static void scaleUp(DockerFixture docker, int iterations) throws Exception {
        String serviceId = UUID.randomUUID().toString();
        ConcurrentMap<String, Long> publishedAt = new ConcurrentHashMap<>();
        List<Double> toPublished = new ArrayList<>();
        List<Double> toServing = new ArrayList<>();
        try (TestAgent agent = new TestAgent(
                docker, new Reconciler.Settings(docker.owner, "127.0.0.1", 19800, 19899, 5000, 1000, 5))) {
            agent.reconciler.apply(DockerFixture.section(service(serviceId, 1)));
            DockerFixture.await(
                    "1 replica",
                    Duration.ofSeconds(30),
                    () -> agent.endpointsOf(serviceId).size() == 1);
            for (int i = 0; i < iterations; i++) {
                Set<String> before = agent.endpointIds(serviceId);
                long t0 = System.nanoTime();
                agent.reconciler.apply(DockerFixture.section(service(serviceId, 2)));
                Endpoint fresh = null;
                while (fresh == null) {
                    for (Endpoint e : agent.endpointsOf(serviceId)) {
                        if (!before.contains(e.id())) {
                            fresh = e;
                        }
                    }
                    if (System.nanoTime() - t0 > 30_000_000_000L) {
                        throw new IllegalStateException("no new replica after 30 s");
                    }
                    Thread.onSpinWait();
                }
                long t1 = System.nanoTime();
                if (Readiness.probe(fresh.host(), fresh.port(), new ServiceSpec.HealthCheck("/api/status", 1, 2, 1, 1))
                        != null) {
                    throw new IllegalStateException("published replica does not answer");
                }
                long t2 = System.nanoTime();
                toPublished.add((t1 - t0) / 1e6);
                toServing.add((t2 - t0) / 1e6);
                publishedAt.put(fresh.id(), t1);
                agent.reconciler.apply(DockerFixture.section(service(serviceId, 1)));
                DockerFixture.await("back to 1", Duration.ofSeconds(30), () -> {
                    try {
                        return agent.endpointsOf(serviceId).size() == 1
                                && docker.managed().size() == 1;
                    } catch (DockerException e) {
                        return false;
                    }
                });
            }
        }
        System.out.printf(
                "replica count 1 -> 2, %d times (demo image, HEALTHCHECK every 1 s, health check GET /health):%n",
                iterations);
        System.out.printf("  apply -> endpoint published      %s%n", stats(toPublished));
        System.out.printf("  apply -> new replica answered    %s%n", stats(toServing));
    }

    private static ObjectNode service(String id, int replicas) {
        return DockerFixture.service(id, "bench", DockerFixture.IMAGE, replicas);
    }

    private static void logs(DockerFixture docker, int iterations) throws Exception {
        String big = docker.run("bench-logs", "/bin/sh", "-c", "seq 1 100000 | sed 's/^/line /'");
        DockerFixture.await("100k lines written", Duration.ofSeconds(60), () -> {
            try {
                return docker.engine.containers().stream()
                        .anyMatch(c -> c.id().equals(big) && "exited".equals(c.state()));
            } catch (DockerException e) {
                return false;
            }
        });
        LogReader reader = new LogReader(docker.api);
        System.out.printf("logs.container on a 100,000-line log (%d runs each):%n", iterations);
        time(reader, iterations, "  last 100 lines                   ", q(big).put("tail", 100));
        time(
                reader,
                iterations,
                "  last 100 matching 'line 9999'    ",
                q(big).put("tail", 100).put("filter", "line 9999"));
        time(
                reader,
                iterations,
                "  last 100 matching 'line 5000' (rare, whole log scanned)",
                q(big).put("tail", 100).put("filter", "line 5000"));
        JsonNode first = reader.read(LogQuery.parse(q(big).put("tail", 1)));
        time(
                reader,
                iterations,
                "  5000 lines, maxBytes 256 KiB     ",
                q(big).put("tail", 5000).put("limit", 5000));
        time(
                reader,
                iterations,
                "  cursor page (nothing new)        ",
                q(big).put("cursor", first.path("cursor").asText()));
    }

    private static ObjectNode q(String container) {
        return DockerFixture.JSON.createObjectNode().put("container", container);
    }

    private static void time(LogReader reader, int iterations, String label, ObjectNode payload) throws IOException {
        LogQuery query = LogQuery.parse(payload);
        reader.read(query);
        List<Double> ms = new ArrayList<>();
        int lines = 0;
        for (int i = 0; i < iterations; i++) {
            long t = System.nanoTime();
            lines = reader.read(query).path("lines").size();
            ms.add((System.nanoTime() - t) / 1e6);
        }
        System.out.printf("%s %s (%d lines returned)%n", label, stats(ms), lines);
    }

    private static String stats(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(
                "p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static double percentile(List<Double> sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }
}
