package dev.fleetgate.agent.metrics.internal.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.fleetgate.agent.metrics.internal.ProcFiles;

/**
 * Reads a container's counters from its cgroup: v1 ({@code <root>/{cpuacct,memory,pids,blkio}/docker/<id>/},
 * or {@code .../system.slice/docker-<id>.scope/} with the systemd driver) or v2
 * ({@code <root>/system.slice/docker-<id>.scope/} or {@code <root>/docker/<id>/}).
 */
public final class Cgroups {

    /** Counters of one container at one time; -1 where unknown. */
    public record Usage(
            long cpuNanos,
            long memoryBytes,
            long memoryLimitBytes,
            long pids,
            long readBytes,
            long writtenBytes,
            int pid) {}

    private final Path root;

    /** @param root the cgroup mount, normally {@code /sys/fs/cgroup} */
    public Cgroups(Path root) {
        this.root = root;
    }

    /** @return the container's usage, or {@code null} when no cgroup of it is found */
    public Usage read(String id) throws IOException {
        Path v1 = v1Dir("cpuacct", id);
        if (v1 != null) {
            return readV1(id, v1);
        }
        Path v2 = firstDir(root.resolve("system.slice/docker-" + id + ".scope"), root.resolve("docker/" + id));
        if (v2 != null && Files.exists(v2.resolve("cpu.stat"))) {
            return readV2(v2);
        }
        return null;
    }

    private Path v1Dir(String controller, String id) {
        return firstDir(
                root.resolve(controller + "/docker/" + id),
                root.resolve(controller + "/system.slice/docker-" + id + ".scope"));
    }

    private Usage readV1(String id, Path cpuacct) throws IOException {
        long cpu = number(cpuacct.resolve("cpuacct.usage"));
        long memory = -1;
        long limit = -1;
        Path mem = v1Dir("memory", id);
        if (mem != null) {
            long usage = number(mem.resolve("memory.usage_in_bytes"));
            long inactiveFile = statValue(mem.resolve("memory.stat"), "total_inactive_file");
            memory = usage < 0 ? -1 : Math.max(0, usage - Math.max(0, inactiveFile));
            limit = number(mem.resolve("memory.limit_in_bytes"));
        }
        Path pidsDir = v1Dir("pids", id);
        long pids = pidsDir == null ? -1 : number(pidsDir.resolve("pids.current"));
        long read = -1;
        long written = -1;
        Path blkio = v1Dir("blkio", id);
        if (blkio != null && Files.isReadable(blkio.resolve("blkio.throttle.io_service_bytes"))) {
            read = 0;
            written = 0;
            for (String line : Files.readAllLines(blkio.resolve("blkio.throttle.io_service_bytes"))) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3 && f[1].equals("Read")) {
                    read += Long.parseLong(f[2]);
                } else if (f.length == 3 && f[1].equals("Write")) {
                    written += Long.parseLong(f[2]);
                }
            }
        }
        return new Usage(cpu, memory, sane(limit), pids, read, written, firstPid(cpuacct));
    }

    private Usage readV2(Path dir) throws IOException {
        long usec = statValue(dir.resolve("cpu.stat"), "usage_usec");
        long current = number(dir.resolve("memory.current"));
        long inactiveFile = statValue(dir.resolve("memory.stat"), "inactive_file");
        long memory = current < 0 ? -1 : Math.max(0, current - Math.max(0, inactiveFile));
        long limit = number(dir.resolve("memory.max"));
        long read = -1;
        long written = -1;
        Path io = dir.resolve("io.stat");
        if (Files.isReadable(io)) {
            read = 0;
            written = 0;
            for (String line : Files.readAllLines(io)) {
                for (String field : line.trim().split("\\s+")) {
                    if (field.startsWith("rbytes=")) {
                        read += Long.parseLong(field.substring(7));
                    } else if (field.startsWith("wbytes=")) {
                        written += Long.parseLong(field.substring(7));
                    }
                }
            }
        }
        return new Usage(
                usec < 0 ? -1 : usec * 1000,
                memory,
                sane(limit),
                number(dir.resolve("pids.current")),
                read,
                written,
                firstPid(dir));
    }

    /** No limit is written as a huge number (v1) or "max" (v2). */
    private static long sane(long limit) {
        return limit <= 0 || limit >= (1L << 62) ? -1 : limit;
    }

    private static int firstPid(Path dir) throws IOException {
        Path procs = dir.resolve("cgroup.procs");
        if (!Files.isReadable(procs)) {
            return -1;
        }
        String text = ProcFiles.read(procs).trim();
        if (text.isEmpty()) {
            return -1;
        }
        return Integer.parseInt(text.split("\\s+", 2)[0]);
    }

    private static Path firstDir(Path... candidates) {
        for (Path p : candidates) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return null;
    }

    static long number(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            return -1;
        }
        String text = ProcFiles.read(file).trim();
        if (text.equals("max")) {
            return -1;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static long statValue(Path file, String key) throws IOException {
        if (!Files.isReadable(file)) {
            return -1;
        }
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        return -1;
    }
}
