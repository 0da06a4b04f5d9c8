package dev.fleetgate.agent.metrics.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.metrics.internal.Emitter;
import dev.fleetgate.agent.metrics.internal.ProcFiles;
import dev.fleetgate.agent.metrics.internal.host.ProcParsers;

/**
 * Per-container metrics: the running containers from one Docker API call
 * ({@code /containers/json}: id, name, labels, network mode, health in the status text), and
 * their counters from cgroup files (no per-container API call: Docker's stats endpoint costs
 * ~1 s per container). Restart counts come from inspecting a few containers per round.
 */
public final class ContainerCollector {

    /** Label the docker bundle puts on managed replicas. */
    static final String SERVICE_LABEL = "fleetgate.service";

    private static final int INSPECTS_PER_ROUND = 5;

    private record Last(long nanos, Cgroups.Usage usage, long rxBytes, long txBytes) {}

    private final Docker docker;
    private final Cgroups cgroups;
    private final Path hostRoot;
    private final Map<String, Last> last = new HashMap<>();
    private final Map<String, Long> restarts = new HashMap<>();
    private final Deque<String> toInspect = new ArrayDeque<>();
    private volatile String lastError;
    private volatile int containers;

    public ContainerCollector(Docker docker, Cgroups cgroups, Path hostRoot) {
        this.docker = docker;
        this.cgroups = cgroups;
        this.hostRoot = hostRoot;
    }

    /** @return the last error (Docker unreachable…), or {@code null} */
    public String lastError() {
        return lastError;
    }

    public int containers() {
        return containers;
    }

    public void collect(Emitter out, long nanos) {
        JsonNode list;
        try {
            list = docker.get("/containers/json");
            lastError = null;
        } catch (IOException e) {
            lastError = "Docker API at " + docker.describe() + ": " + e.getMessage();
            return;
        }
        Set<String> seen = new HashSet<>();
        String hostNetns = netns(1);
        for (JsonNode c : list) {
            String id = c.path("Id").asText("");
            if (id.isEmpty()) {
                continue;
            }
            seen.add(id);
            try {
                container(out, nanos, c, id, hostNetns);
            } catch (IOException | RuntimeException e) {
                // gone meanwhile, or a cgroup file changed under us: skip it this round
            }
        }
        containers = seen.size();
        last.keySet().retainAll(seen);
        restarts.keySet().retainAll(seen);
        toInspect.removeIf(id -> !seen.contains(id));
        refreshRestarts(seen);
    }

    private void container(Emitter out, long nanos, JsonNode c, String id, String hostNetns) throws IOException {
        String name = c.path("Names").path(0).asText(id.substring(0, Math.min(12, id.length())));
        name = name.startsWith("/") ? name.substring(1) : name;
        String service = c.path("Labels").path(SERVICE_LABEL).asText(null);
        Map<String, String> labels =
                service == null ? Map.of("container", name) : Map.of("container", name, "service", service);
        String status = c.path("Status").asText("");
        if (status.contains("(healthy)")) {
            out.emit("container_healthy", labels, 1);
        } else if (status.contains("(unhealthy)")) {
            out.emit("container_healthy", labels, 0);
        }
        Long restartCount = restarts.get(id);
        if (restartCount != null) {
            out.emit("container_restarts_total", labels, restartCount);
        }
        Cgroups.Usage usage = cgroups.read(id);
        if (usage == null) {
            return;
        }
        long rx = -1;
        long tx = -1;
        boolean ownNetwork =
                !"host".equals(c.path("HostConfig").path("NetworkMode").asText(""));
        if (ownNetwork && usage.pid() > 0) {
            String ns = netns(usage.pid());
            if (ns != null && !ns.equals(hostNetns)) {
                long[] net = network(usage.pid());
                rx = net[0];
                tx = net[1];
            }
        }
        if (usage.memoryBytes() >= 0) {
            out.emit("container_memory_used_bytes", labels, usage.memoryBytes());
        }
        if (usage.memoryLimitBytes() > 0) {
            out.emit("container_memory_limit_bytes", labels, usage.memoryLimitBytes());
        }
        if (usage.pids() >= 0) {
            out.emit("container_pids", labels, usage.pids());
        }
        Last before = last.put(id, new Last(nanos, usage, rx, tx));
        if (before == null) {
            return;
        }
        double seconds = (nanos - before.nanos()) / 1e9;
        if (seconds <= 0) {
            return;
        }
        Cgroups.Usage b = before.usage();
        if (usage.cpuNanos() >= 0 && b.cpuNanos() >= 0 && usage.cpuNanos() >= b.cpuNanos()) {
            out.emit(
                    "container_cpu_usage_percent", labels, 100.0 * (usage.cpuNanos() - b.cpuNanos()) / (seconds * 1e9));
        }
        rate(out, "container_disk_read_bytes_per_second", labels, usage.readBytes(), b.readBytes(), seconds);
        rate(out, "container_disk_written_bytes_per_second", labels, usage.writtenBytes(), b.writtenBytes(), seconds);
        rate(out, "container_network_receive_bytes_per_second", labels, rx, before.rxBytes(), seconds);
        rate(out, "container_network_transmit_bytes_per_second", labels, tx, before.txBytes(), seconds);
    }

    private static void rate(
            Emitter out, String name, Map<String, String> labels, long now, long before, double seconds) {
        if (now >= 0 && before >= 0 && now >= before) {
            out.emit(name, labels, (now - before) / seconds);
        }
    }

    /** Inspects a few containers per round for their restart count (all new ones first). */
    private void refreshRestarts(Set<String> seen) {
        for (String id : seen) {
            if (!restarts.containsKey(id) && !toInspect.contains(id)) {
                toInspect.addFirst(id);
            }
        }
        if (toInspect.isEmpty()) {
            toInspect.addAll(seen);
        }
        for (int i = 0; i < INSPECTS_PER_ROUND && !toInspect.isEmpty(); i++) {
            String id = toInspect.pollFirst();
            try {
                restarts.put(
                        id,
                        docker.get("/containers/" + id + "/json")
                                .path("RestartCount")
                                .asLong(0));
            } catch (IOException e) {
                // gone meanwhile
            }
        }
    }

    private String netns(int pid) {
        try {
            return Files.readSymbolicLink(hostRoot.resolve("proc/" + pid + "/ns/net"))
                    .toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    private long[] network(int pid) {
        long[] sum = {0, 0};
        try {
            for (ProcParsers.NetDev n :
                    ProcParsers.netDev(ProcFiles.read(hostRoot.resolve("proc/" + pid + "/net/dev")))) {
                if (!n.iface().equals("lo")) {
                    sum[0] += n.rxBytes();
                    sum[1] += n.txBytes();
                }
            }
            return sum;
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }
}
