package dev.fleetgate.agent.metrics.internal.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import dev.fleetgate.agent.metrics.internal.Emitter;
import dev.fleetgate.agent.metrics.internal.ProcFiles;
import dev.fleetgate.agent.metrics.internal.host.ProcParsers.CpuTimes;
import dev.fleetgate.agent.metrics.internal.host.ProcParsers.DiskStats;
import dev.fleetgate.agent.metrics.internal.host.ProcParsers.NetDev;

/**
 * Host metrics from /proc and /sys under a root ({@code /}, or {@code /host} when the agent runs
 * in a container with the host's root mounted there). Rates and percentages come from the
 * difference with the previous round, so the first round reports gauges only.
 */
public final class HostCollector {

    private final Path root;
    private final FilesystemCollector filesystems;
    private final VmDetector.Vm vm;
    private Map<String, CpuTimes> lastCpu = Map.of();
    private Map<String, DiskStats> lastDisks = Map.of();
    private Map<String, NetDev> lastNet = Map.of();
    private long lastContextSwitches = -1;
    private long lastNanos;

    public HostCollector(Path root) {
        this.root = root;
        this.filesystems = new FilesystemCollector(root);
        this.vm = VmDetector.detect(root);
    }

    /** Collects one round; {@code nanos} is a monotonic time ({@link System#nanoTime()}). */
    public void collect(Emitter out, long nanos) throws IOException {
        double seconds = lastNanos == 0 ? 0 : (nanos - lastNanos) / 1e9;
        lastNanos = nanos;
        String stat = read("proc/stat");
        cpu(out, ProcParsers.cpuTimes(stat));
        long ctxt = ProcParsers.statValue(stat, "ctxt");
        if (lastContextSwitches >= 0 && ctxt >= lastContextSwitches && seconds > 0) {
            out.emit("host_context_switches_per_second", (ctxt - lastContextSwitches) / seconds);
        }
        lastContextSwitches = ctxt;
        out.emit("host_processes_running", ProcParsers.statValue(stat, "procs_running"));
        out.emit("host_processes_blocked", ProcParsers.statValue(stat, "procs_blocked"));

        double[] load = ProcParsers.loadAvg(read("proc/loadavg"));
        out.emit("host_load1", load[0]);
        out.emit("host_load5", load[1]);
        out.emit("host_load15", load[2]);
        memory(out, ProcParsers.memInfo(read("proc/meminfo")));
        out.emit("host_uptime_seconds", ProcParsers.uptime(read("proc/uptime")));
        out.emit("host_is_vm", Map.of("hypervisor", vm.hypervisor()), vm.virtual() ? 1 : 0);
        disks(out, seconds);
        network(out, seconds);
        filesystems.collect(out);
    }

    private void cpu(Emitter out, Map<String, CpuTimes> now) {
        out.emit("host_cpu_count", now.size() - (now.containsKey("total") ? 1 : 0));
        for (Map.Entry<String, CpuTimes> e : now.entrySet()) {
            CpuTimes before = lastCpu.get(e.getKey());
            CpuTimes t = e.getValue();
            if (before == null) {
                continue;
            }
            double total = t.total() - before.total();
            if (total <= 0) {
                continue;
            }
            String cpu = e.getKey();
            out.emit(
                    "host_cpu_usage_percent",
                    Map.of("cpu", cpu),
                    clamp(100.0 * (total - (t.idleAll() - before.idleAll())) / total));
            mode(out, cpu, "user", (t.user() + t.nice()) - (before.user() + before.nice()), total);
            mode(
                    out,
                    cpu,
                    "system",
                    (t.system() + t.irq() + t.softirq()) - (before.system() + before.irq() + before.softirq()),
                    total);
            mode(out, cpu, "iowait", t.iowait() - before.iowait(), total);
            mode(out, cpu, "steal", t.steal() - before.steal(), total);
        }
        lastCpu = now;
    }

    private static void mode(Emitter out, String cpu, String mode, long delta, double total) {
        out.emit("host_cpu_mode_percent", Map.of("cpu", cpu, "mode", mode), clamp(100.0 * delta / total));
    }

    private static double clamp(double percent) {
        return Math.max(0, Math.min(100, percent));
    }

    private static void memory(Emitter out, Map<String, Long> mem) {
        Long total = mem.get("MemTotal");
        if (total == null) {
            return;
        }
        long available = mem.getOrDefault(
                "MemAvailable",
                mem.getOrDefault("MemFree", 0L) + mem.getOrDefault("Buffers", 0L) + mem.getOrDefault("Cached", 0L));
        out.emit("host_memory_total_bytes", total);
        out.emit("host_memory_available_bytes", available);
        out.emit("host_memory_used_bytes", total - available);
        out.emit("host_memory_used_percent", total == 0 ? 0 : 100.0 * (total - available) / total);
        out.emit("host_memory_cached_bytes", mem.getOrDefault("Cached", 0L) + mem.getOrDefault("Buffers", 0L));
        long swapTotal = mem.getOrDefault("SwapTotal", 0L);
        out.emit("host_swap_total_bytes", swapTotal);
        out.emit("host_swap_used_bytes", swapTotal - mem.getOrDefault("SwapFree", 0L));
    }

    private void disks(Emitter out, double seconds) throws IOException {
        Path diskstats = root.resolve("proc/diskstats");
        if (!Files.isReadable(diskstats)) {
            return;
        }
        Set<String> whole = wholeDisks();
        Map<String, DiskStats> now = new HashMap<>();
        for (DiskStats d : ProcParsers.diskStats(ProcFiles.read(diskstats))) {
            String dev = d.device();
            if (dev.startsWith("loop")
                    || dev.startsWith("ram")
                    || dev.startsWith("fd")
                    || dev.startsWith("sr")
                    || (whole != null && !whole.contains(dev))
                    || d.reads() + d.writes() == 0) {
                continue;
            }
            now.put(dev, d);
            DiskStats before = lastDisks.get(dev);
            if (before == null || seconds <= 0 || d.reads() < before.reads() || d.writes() < before.writes()) {
                continue;
            }
            Map<String, String> labels = Map.of("device", dev);
            out.emit(
                    "host_disk_read_bytes_per_second",
                    labels,
                    (d.sectorsRead() - before.sectorsRead()) * 512 / seconds);
            out.emit(
                    "host_disk_written_bytes_per_second",
                    labels,
                    (d.sectorsWritten() - before.sectorsWritten()) * 512 / seconds);
            out.emit("host_disk_reads_per_second", labels, (d.reads() - before.reads()) / seconds);
            out.emit("host_disk_writes_per_second", labels, (d.writes() - before.writes()) / seconds);
            out.emit("host_disk_io_time_percent", labels, clamp((d.ioMillis() - before.ioMillis()) / (seconds * 10)));
        }
        lastDisks = now;
    }

    /** Whole disks from /sys/block (partitions are not listed there), or null when unknown. */
    private Set<String> wholeDisks() {
        Path block = root.resolve("sys/block");
        if (!Files.isDirectory(block)) {
            return null;
        }
        Set<String> names = new HashSet<>();
        try (var list = Files.list(block)) {
            list.forEach(p -> names.add(p.getFileName().toString()));
        } catch (IOException e) {
            return null;
        }
        return names;
    }

    private void network(Emitter out, double seconds) throws IOException {
        Path netdev = root.resolve("proc/net/dev");
        if (!Files.isReadable(netdev)) {
            return;
        }
        Map<String, NetDev> now = new HashMap<>();
        for (NetDev n : ProcParsers.netDev(ProcFiles.read(netdev))) {
            if (n.iface().equals("lo") || n.iface().startsWith("veth") || n.rxBytes() + n.txBytes() == 0) {
                continue;
            }
            now.put(n.iface(), n);
            NetDev b = lastNet.get(n.iface());
            if (b == null || seconds <= 0 || n.rxBytes() < b.rxBytes() || n.txBytes() < b.txBytes()) {
                continue;
            }
            Map<String, String> labels = Map.of("interface", n.iface());
            out.emit("host_network_receive_bytes_per_second", labels, (n.rxBytes() - b.rxBytes()) / seconds);
            out.emit("host_network_transmit_bytes_per_second", labels, (n.txBytes() - b.txBytes()) / seconds);
            out.emit("host_network_receive_packets_per_second", labels, (n.rxPackets() - b.rxPackets()) / seconds);
            out.emit("host_network_transmit_packets_per_second", labels, (n.txPackets() - b.txPackets()) / seconds);
            out.emit(
                    "host_network_receive_errors_per_second",
                    labels,
                    Math.max(0, n.rxErrors() - b.rxErrors()) / seconds);
            out.emit(
                    "host_network_transmit_errors_per_second",
                    labels,
                    Math.max(0, n.txErrors() - b.txErrors()) / seconds);
            out.emit(
                    "host_network_receive_drops_per_second",
                    labels,
                    Math.max(0, n.rxDropped() - b.rxDropped()) / seconds);
            out.emit(
                    "host_network_transmit_drops_per_second",
                    labels,
                    Math.max(0, n.txDropped() - b.txDropped()) / seconds);
        }
        lastNet = now;
    }

    private String read(String relative) throws IOException {
        return ProcFiles.read(root.resolve(relative));
    }
}
