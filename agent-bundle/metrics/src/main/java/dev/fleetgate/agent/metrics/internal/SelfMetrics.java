package dev.fleetgate.agent.metrics.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** The agent process itself: CPU (percent of one core), resident memory, heap, threads. */
final class SelfMetrics {

    private long lastCpuNanos = -1;
    private long lastNanos;

    void collect(Emitter out, long nanos) {
        long cpu = ProcessHandle.current()
                .info()
                .totalCpuDuration()
                .map(Duration::toNanos)
                .orElse(-1L);
        if (cpu >= 0 && lastCpuNanos >= 0 && nanos > lastNanos) {
            out.emit("agent_process_cpu_percent", 100.0 * (cpu - lastCpuNanos) / (nanos - lastNanos));
        }
        lastCpuNanos = cpu;
        lastNanos = nanos;
        long rss = residentBytes();
        if (rss >= 0) {
            out.emit("agent_process_resident_bytes", rss);
        }
        Runtime runtime = Runtime.getRuntime();
        out.emit("agent_jvm_heap_used_bytes", runtime.totalMemory() - runtime.freeMemory());
        out.emit("agent_threads", Thread.activeCount());
    }

    static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return -1;
    }
}
