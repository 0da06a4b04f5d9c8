package dev.fleetgate.agent.metrics.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.metrics.internal.Captured;

/** The host collector on this machine's real /proc and /sys: plausible values. */
class HostCollectorLiveTest {

    @Test
    void reportsPlausibleValuesForThisMachine() throws Exception {
        HostCollector collector = new HostCollector(Path.of("/"));
        collector.collect(new Captured(), System.nanoTime());
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            Math.sqrt(end); // some CPU time passes between the two rounds
        }
        Captured out = new Captured();
        collector.collect(out, System.nanoTime());

        int cores = Runtime.getRuntime().availableProcessors();
        assertEquals(cores, out.get("host_cpu_count"), 0.0);
        double total = out.get("host_cpu_usage_percent", Map.of("cpu", "total"));
        assertTrue(total > 0 && total <= 100, "total CPU " + total);
        for (int cpu = 0; cpu < cores; cpu++) {
            double one = out.get("host_cpu_usage_percent", Map.of("cpu", String.valueOf(cpu)));
            assertTrue(one >= 0 && one <= 100, "cpu" + cpu + " " + one);
        }
        double modes = 0;
        for (String mode : new String[] {"user", "system", "iowait", "steal"}) {
            modes += out.get("host_cpu_mode_percent", Map.of("cpu", "total", "mode", mode));
        }
        assertTrue(modes <= 100.0001, "modes add up to at most 100: " + modes);

        long memTotal = 0;
        for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                memTotal = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        assertEquals(memTotal, out.get("host_memory_total_bytes"), 0.0);
        double used = out.get("host_memory_used_bytes");
        assertTrue(used > 0 && used < memTotal);
        assertTrue(out.get("host_uptime_seconds") > 0);
        assertTrue(out.get("host_load1") >= 0);
        double rootSize = out.get("host_filesystem_size_bytes", Map.of("mountpoint", "/"));
        assertEquals((double) Files.getFileStore(Path.of("/")).getTotalSpace(), rootSize, 0.0);
        assertTrue(out.named("host_is_vm").size() == 1);
    }
}
