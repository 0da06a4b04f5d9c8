package dev.fleetgate.agent.metrics.internal.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.metrics.internal.Captured;

/** The container collector against the real Docker engine of this machine (fails when it is missing). */
class ContainerCollectorIT {

    @BeforeAll
    static void containers() throws Exception {
        TestContainers.removeAll();
        TestContainers.ensureImage();
        TestContainers.run("fgm-it-busy", "svc-busy", "while true; do :; done");
        TestContainers.run("fgm-it-idle", null, "sleep 3600");
    }

    @AfterAll
    static void remove() throws Exception {
        TestContainers.removeAll();
    }

    @Test
    void busyContainerUsesCpuAndBothReportMemory() throws Exception {
        ContainerCollector collector = new ContainerCollector(
                new DockerApi("unix:///var/run/docker.sock", new ObjectMapper()),
                new Cgroups(Path.of("/sys/fs/cgroup")),
                Path.of("/"));
        collector.collect(new Captured(), System.nanoTime());
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait(); // let the busy container run for a second
        }
        Captured out = new Captured();
        collector.collect(out, System.nanoTime());
        assertNull(collector.lastError());
        assertTrue(collector.containers() >= 2);

        Map<String, String> busy = Map.of("container", "fgm-it-busy", "service", "svc-busy");
        double cpu = out.get("container_cpu_usage_percent", busy);
        int cores = Runtime.getRuntime().availableProcessors();
        assertTrue(cpu > 10 && cpu <= 100.0 * cores + 1, "a shell loop uses CPU: " + cpu);
        assertTrue(out.get("container_memory_used_bytes", busy) > 0);
        assertTrue(out.get("container_pids", busy) >= 1);

        Map<String, String> idle = Map.of("container", "fgm-it-idle");
        assertTrue(out.get("container_cpu_usage_percent", idle) < 5, "sleep uses no CPU");
        assertTrue(out.value("container_memory_used_bytes", idle).isPresent());
        assertTrue(out.named("container_cpu_usage_percent").stream()
                .filter(s -> s.labels().get("container").equals("fgm-it-idle"))
                .noneMatch(s -> s.labels().containsKey("service")));
        assertEquals(0, out.get("container_restarts_total", busy), 0.0);
    }
}
