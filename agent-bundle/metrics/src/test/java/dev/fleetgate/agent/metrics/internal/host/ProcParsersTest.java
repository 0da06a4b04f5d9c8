package dev.fleetgate.agent.metrics.internal.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.fleetgate.agent.metrics.internal.Fixtures;

class ProcParsersTest {

    @Test
    void parsesCpuLinesOfProcStat() throws Exception {
        Map<String, ProcParsers.CpuTimes> cpus = ProcParsers.cpuTimes(Fixtures.read("t0/proc/stat"));
        assertEquals(List.of("total", "0", "1"), List.copyOf(cpus.keySet()));
        ProcParsers.CpuTimes total = cpus.get("total");
        assertEquals(426259, total.user());
        assertEquals(57566, total.system());
        assertEquals(887014, total.idle());
        assertEquals(3890, total.iowait());
        assertEquals(5279, total.softirq());
        assertEquals(1460, total.steal());
        assertEquals(426259 + 57566 + 887014 + 3890 + 5279 + 1460, total.total());
        assertTrue(ProcParsers.statValue(Fixtures.read("t0/proc/stat"), "ctxt") > 0);
        assertEquals(-1, ProcParsers.statValue("cpu 1 2 3 4\n", "ctxt"));
    }

    @Test
    void parsesMeminfoInBytes() throws Exception {
        Map<String, Long> mem = ProcParsers.memInfo(Fixtures.read("t1/proc/meminfo"));
        assertEquals(24683656L * 1024, mem.get("MemTotal"));
        assertEquals(24174364L * 1024, mem.get("MemAvailable"));
        assertEquals(0L, mem.get("SwapTotal"));
        assertTrue(mem.containsKey("HugePages_Total"), "counts without a unit are kept as they are");
    }

    @Test
    void parsesLoadUptimeDisksAndInterfaces() throws Exception {
        double[] load = ProcParsers.loadAvg(Fixtures.read("t1/proc/loadavg"));
        assertEquals(1.12, load[0]);
        assertEquals(0.87, load[1]);
        assertEquals(1.19, load[2]);
        assertEquals(6952.29, ProcParsers.uptime(Fixtures.read("t1/proc/uptime")));

        ProcParsers.DiskStats vda = ProcParsers.diskStats(Fixtures.read("t0/proc/diskstats")).stream()
                .filter(d -> d.device().equals("vda"))
                .findFirst()
                .orElseThrow();
        assertEquals(264123, vda.reads());
        assertEquals(10790634, vda.sectorsRead());
        assertEquals(589101, vda.writes());
        assertEquals(22923592, vda.sectorsWritten());
        assertEquals(89364, vda.ioMillis());

        List<ProcParsers.NetDev> ifaces = ProcParsers.netDev(Fixtures.read("t0/proc/net/dev"));
        assertEquals(
                List.of("lo", "ifb0", "ifb1", "eth0"),
                ifaces.stream().map(ProcParsers.NetDev::iface).toList());
        ProcParsers.NetDev eth0 = ifaces.get(3);
        assertEquals(434407445, eth0.rxBytes());
        assertEquals(17223, eth0.rxPackets());
        assertEquals(1564701, eth0.txBytes());
        assertEquals(12558, eth0.txPackets());
    }

    @Test
    void parsesAndSelectsMounts() throws Exception {
        List<ProcParsers.Mount> mounts = ProcParsers.mounts(Fixtures.read("t0/proc/1/mounts"));
        List<ProcParsers.Mount> selected = FilesystemCollector.select(mounts);
        assertEquals(
                List.of("/"),
                selected.stream().map(ProcParsers.Mount::mountPoint).toList(),
                "cgroup, tmpfs, proc… and the second mount of /dev/vda (/var/lib/docker) are skipped");
        assertEquals("ext4", selected.get(0).fsType());

        List<ProcParsers.Mount> more = ProcParsers.mounts("""
                overlay / overlay rw 0 0
                /dev/sda1 /data xfs rw 0 0
                /dev/sda2 /mnt/with\\040space ext4 rw 0 0
                /dev/sda1 /data-again xfs rw 0 0
                overlay /var/lib/docker/overlay2/abc/merged overlay rw 0 0
                nfs-server:/export /srv nfs4 rw 0 0
                """);
        assertEquals(
                List.of("/", "/data", "/mnt/with space", "/srv"),
                FilesystemCollector.select(more).stream()
                        .map(ProcParsers.Mount::mountPoint)
                        .toList());
    }

    @Test
    void detectsAHypervisorFlag() throws Exception {
        assertTrue(ProcParsers.hypervisorFlag(Fixtures.read("t0/proc/cpuinfo")), "this fixture was captured in a VM");
        assertFalse(ProcParsers.hypervisorFlag("flags\t\t: fpu vme de pse tsc msr\n"));
    }
}
