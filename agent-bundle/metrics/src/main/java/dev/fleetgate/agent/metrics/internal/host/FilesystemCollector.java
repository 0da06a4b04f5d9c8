package dev.fleetgate.agent.metrics.internal.host;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.fleetgate.agent.metrics.internal.Emitter;
import dev.fleetgate.agent.metrics.internal.ProcFiles;
import dev.fleetgate.agent.metrics.internal.host.ProcParsers.Mount;

/**
 * Space on the host's real filesystems: mounts from {@code <root>/proc/1/mounts} (the host's
 * mount namespace; {@code /proc/mounts} when unreadable), pseudo and container filesystems
 * skipped, each device once; sizes through {@link FileStore} (statvfs) of
 * {@code <root>/<mount point>}.
 */
public final class FilesystemCollector {

    static final Set<String> PSEUDO = Set.of(
            "proc",
            "sysfs",
            "tmpfs",
            "devtmpfs",
            "devpts",
            "cgroup",
            "cgroup2",
            "overlay",
            "aufs",
            "squashfs",
            "nsfs",
            "autofs",
            "mqueue",
            "debugfs",
            "tracefs",
            "securityfs",
            "pstore",
            "bpf",
            "configfs",
            "fusectl",
            "hugetlbfs",
            "binfmt_misc",
            "rpc_pipefs",
            "nfsd",
            "fuse.lxcfs",
            "ramfs",
            "selinuxfs",
            "efivarfs",
            "devfs",
            "shm",
            "none",
            "iso9660",
            "fuse.gvfsd-fuse",
            "fuse.portal");
    private static final int MAX_FILESYSTEMS = 64;

    private final Path root;

    public FilesystemCollector(Path root) {
        this.root = root;
    }

    /** The mounts worth reporting, in mount order ({@code /} always, when mounted). */
    public static List<Mount> select(List<Mount> mounts) {
        List<Mount> selected = new ArrayList<>();
        Set<String> devices = new HashSet<>();
        Set<String> points = new HashSet<>();
        for (Mount m : mounts) {
            boolean rootFs = m.mountPoint().equals("/");
            if (!rootFs
                    && (PSEUDO.contains(m.fsType())
                            || !m.device().startsWith("/")
                                    && !m.fsType().startsWith("nfs")
                                    && !m.fsType().equals("zfs")
                                    && !m.fsType().equals("btrfs"))) {
                continue;
            }
            if (m.mountPoint().startsWith("/var/lib/docker/")
                    || m.mountPoint().startsWith("/run/docker")
                    || m.mountPoint().startsWith("/run/containerd")
                    || m.mountPoint().startsWith("/snap/")) {
                continue;
            }
            if ((!rootFs && !devices.add(m.device())) || !points.add(m.mountPoint())) {
                continue;
            }
            if (rootFs) {
                devices.add(m.device());
            }
            selected.add(m);
            if (selected.size() >= MAX_FILESYSTEMS) {
                break;
            }
        }
        return selected;
    }

    public void collect(Emitter out) throws IOException {
        Path mountsFile = root.resolve("proc/1/mounts");
        if (!Files.isReadable(mountsFile)) {
            mountsFile = root.resolve("proc/mounts");
        }
        if (!Files.isReadable(mountsFile)) {
            return;
        }
        for (Mount m : select(ProcParsers.mounts(ProcFiles.read(mountsFile)))) {
            Path path = root.resolve(m.mountPoint().substring(1));
            try {
                FileStore store = Files.getFileStore(path);
                long total = store.getTotalSpace();
                if (total <= 0) {
                    continue;
                }
                long free = store.getUnallocatedSpace();
                long avail = store.getUsableSpace();
                long used = total - free;
                Map<String, String> labels =
                        Map.of("mountpoint", m.mountPoint(), "device", m.device(), "fstype", m.fsType());
                out.emit("host_filesystem_size_bytes", labels, total);
                out.emit("host_filesystem_free_bytes", labels, avail);
                out.emit("host_filesystem_used_bytes", labels, used);
                out.emit("host_filesystem_used_percent", labels, used + avail == 0 ? 0 : 100.0 * used / (used + avail));
            } catch (IOException | SecurityException e) {
                // unmounted meanwhile, or not visible under the root: skip it
            }
        }
    }
}
