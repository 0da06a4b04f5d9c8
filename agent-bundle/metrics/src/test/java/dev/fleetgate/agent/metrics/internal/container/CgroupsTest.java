package dev.fleetgate.agent.metrics.internal.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.fleetgate.agent.metrics.internal.Fixtures;

class CgroupsTest {

    static final String V1_ID = "b3a2ac4ba1f79bebc25637f05161ecfc7ad48e89ca1d120950ac984805f4418c";
    static final String V2_ID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @TempDir
    Path tmp;

    @Test
    void readsCgroupV1FilesCapturedFromDocker() throws Exception {
        Cgroups cgroups = new Cgroups(Fixtures.dir("t1/sys/fs/cgroup"));
        Cgroups.Usage usage = cgroups.read(V1_ID);
        assertEquals(11909251531L, usage.cpuNanos());
        assertEquals(659456 - 0, usage.memoryBytes(), "usage_in_bytes minus total_inactive_file");
        assertEquals(-1, usage.memoryLimitBytes(), "no limit (9223372036854771712)");
        assertEquals(2, usage.pids());
        assertEquals(0, usage.readBytes());
        assertEquals(8835, usage.pid());
        assertNull(cgroups.read("f".repeat(64)), "unknown container");
    }

    @Test
    void sumsBlkioPerDeviceAndSubtractsInactiveFileCache() throws Exception {
        Fixtures.copy("t1/sys/fs/cgroup", tmp);
        Path blkio = tmp.resolve("blkio/docker/" + V1_ID + "/blkio.throttle.io_service_bytes");
        Files.writeString(blkio, """
                254:0 Read 4096
                254:0 Write 8192
                254:0 Sync 12288
                254:0 Async 0
                254:0 Total 12288
                259:0 Read 1000
                259:0 Write 0
                Total 13288
                """);
        Path mem = tmp.resolve("memory/docker/" + V1_ID);
        Files.writeString(mem.resolve("memory.usage_in_bytes"), "10000000\n");
        Files.writeString(mem.resolve("memory.limit_in_bytes"), "134217728\n");
        Files.writeString(mem.resolve("memory.stat"), "cache 5000\ntotal_inactive_file 3000000\n");
        Cgroups.Usage usage = new Cgroups(tmp).read(V1_ID);
        assertEquals(5096, usage.readBytes());
        assertEquals(8192, usage.writtenBytes());
        assertEquals(7_000_000, usage.memoryBytes());
        assertEquals(134217728, usage.memoryLimitBytes());
    }

    @Test
    void readsCgroupV2Scopes() throws Exception {
        Cgroups.Usage usage = new Cgroups(Fixtures.dir("v2-t1/sys/fs/cgroup")).read(V2_ID);
        assertEquals(6_000_000_000L, usage.cpuNanos(), "usage_usec in nanoseconds");
        assertEquals(52428800 - 4194304, usage.memoryBytes(), "memory.current minus inactive_file");
        assertEquals(-1, usage.memoryLimitBytes(), "memory.max = max");
        assertEquals(7, usage.pids());
        assertEquals(6291456 + 1048576, usage.readBytes());
        assertEquals(12582912, usage.writtenBytes());
        assertEquals(4242, usage.pid());
    }
}
