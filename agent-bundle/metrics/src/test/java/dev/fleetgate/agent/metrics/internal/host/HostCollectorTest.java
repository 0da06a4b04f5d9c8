package dev.fleetgate.agent.metrics.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetgate.agent.metrics.internal.Captured;
import dev.fleetgate.agent.metrics.internal.Fixtures;

/** Two rounds over files captured 3 s apart on a real host, 5 s apart as far as the collector knows. */
class HostCollectorTest {

    private static final double EPS = 1e-9;

    @TempDir
    Path root;

    @Test
    void computesRatesAndPercentagesFromTwoRounds() throws Exception {
        Fixtures.copy("t0", root);
        HostCollector collector = new HostCollector(root);
        Captured first = new Captured();
        collector.collect(first, 1_000_000_000L);
        assertTrue(first.named("host_cpu_usage_percent").isEmpty(), "no rate before a second round");
        assertEquals(2, first.get("host_cpu_count"));

        Fixtures.copy("t1", root);
        Captured out = new Captured();
        collector.collect(out, 6_000_000_000L);
        // Δ user 345, system 13, idle 249, iowait 1, softirq 4 → total 612
        assertEquals(100.0 * 362 / 612, out.get("host_cpu_usage_percent", Map.of("cpu", "total")), EPS);
        assertEquals(100.0 * 345 / 612, out.get("host_cpu_mode_percent", Map.of("cpu", "total", "mode", "user")), EPS);
        assertEquals(100.0 * 17 / 612, out.get("host_cpu_mode_percent", Map.of("cpu", "total", "mode", "system")), EPS);
        assertEquals(100.0 * 1 / 612, out.get("host_cpu_mode_percent", Map.of("cpu", "total", "mode", "iowait")), EPS);
        assertEquals(0, out.get("host_cpu_mode_percent", Map.of("cpu", "total", "mode", "steal")), EPS);
        double cpu0 = out.get("host_cpu_usage_percent", Map.of("cpu", "0"));
        assertTrue(cpu0 >= 0 && cpu0 <= 100);

        assertEquals(24683656L * 1024, out.get("host_memory_total_bytes"), EPS);
        assertEquals((24683656L - 24174364L) * 1024, out.get("host_memory_used_bytes"), EPS);
        assertEquals(0, out.get("host_swap_total_bytes"), EPS);
        assertEquals(1.12, out.get("host_load1"), EPS);
        assertEquals(6952.29, out.get("host_uptime_seconds"), EPS);
        assertEquals(1, out.get("host_is_vm", Map.of("hypervisor", "unknown")), EPS, "hypervisor CPU flag, no DMI");

        assertEquals(320 * 512 / 5.0, out.get("host_disk_read_bytes_per_second", Map.of("device", "vda")), EPS);
        assertEquals(8 * 512 / 5.0, out.get("host_disk_written_bytes_per_second", Map.of("device", "vda")), EPS);
        assertEquals(29 / 5.0, out.get("host_disk_reads_per_second", Map.of("device", "vda")), EPS);
        assertTrue(
                out.value("host_disk_reads_per_second", Map.of("device", "loop0"))
                        .isEmpty(),
                "loop devices skipped");
        assertTrue(
                out.value("host_disk_reads_per_second", Map.of("device", "zram0"))
                        .isEmpty(),
                "unused devices skipped");

        assertEquals(
                (438497298 - 434407445) / 5.0,
                out.get("host_network_receive_bytes_per_second", Map.of("interface", "eth0")),
                EPS);
        assertEquals(
                (1574967 - 1564701) / 5.0,
                out.get("host_network_transmit_bytes_per_second", Map.of("interface", "eth0")),
                EPS);
        assertTrue(
                out.value("host_network_receive_bytes_per_second", Map.of("interface", "lo"))
                        .isEmpty(),
                "loopback skipped");

        // the fixture's / is the temp dir: statvfs through FileStore works on it
        double size = out.get("host_filesystem_size_bytes", Map.of("mountpoint", "/", "fstype", "ext4"));
        assertEquals((double) Files.getFileStore(root).getTotalSpace(), size, EPS);
        double used = out.get("host_filesystem_used_percent", Map.of("mountpoint", "/"));
        assertTrue(used >= 0 && used <= 100);
    }

    @Test
    void detectsVmVendorsFromDmi() throws Exception {
        Files.createDirectories(root.resolve("sys/class/dmi/id"));
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("proc/cpuinfo"), "flags\t\t: fpu vme\n");
        assertFalse(VmDetector.detect(root).virtual());
        Files.writeString(root.resolve("sys/class/dmi/id/sys_vendor"), "QEMU\n");
        Files.writeString(root.resolve("sys/class/dmi/id/product_name"), "Standard PC (Q35 + ICH9, 2009)\n");
        assertEquals(new VmDetector.Vm(true, "kvm"), VmDetector.detect(root));
        Files.writeString(root.resolve("sys/class/dmi/id/sys_vendor"), "VMware, Inc.\n");
        assertEquals("vmware", VmDetector.detect(root).hypervisor());
        Files.createDirectories(root.resolve("sys/hypervisor"));
        Files.writeString(root.resolve("sys/hypervisor/type"), "xen\n");
        assertEquals(new VmDetector.Vm(true, "xen"), VmDetector.detect(root));
    }
}
