package dev.fleetgate.agent.metrics.internal.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parsers of /proc files (pure functions over their text). */
public final class ProcParsers {

    private ProcParsers() {}

    /** Jiffies of one {@code cpu} line of /proc/stat. */
    public record CpuTimes(
            long user, long nice, long system, long idle, long iowait, long irq, long softirq, long steal) {
        public long total() {
            return user + nice + system + idle + iowait + irq + softirq + steal;
        }

        public long idleAll() {
            return idle + iowait;
        }
    }

    /** {@code cpu} → "total", {@code cpuN} → "N", in file order. */
    public static Map<String, CpuTimes> cpuTimes(String stat) {
        Map<String, CpuTimes> cpus = new LinkedHashMap<>();
        for (String line : stat.split("\n")) {
            if (!line.startsWith("cpu")) {
                continue;
            }
            String[] f = line.trim().split("\\s+");
            if (f.length < 5) {
                continue;
            }
            String cpu = f[0].equals("cpu") ? "total" : f[0].substring(3);
            cpus.put(
                    cpu,
                    new CpuTimes(
                            field(f, 1),
                            field(f, 2),
                            field(f, 3),
                            field(f, 4),
                            field(f, 5),
                            field(f, 6),
                            field(f, 7),
                            field(f, 8)));
        }
        return cpus;
    }

    /** A counter line of /proc/stat ({@code ctxt}, {@code processes}, {@code procs_running}…), or -1. */
    public static long statValue(String stat, String key) {
        for (String line : stat.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim().split("\\s+")[0]);
            }
        }
        return -1;
    }

    /** /proc/meminfo in bytes, by key ({@code MemTotal}, {@code MemAvailable}…). */
    public static Map<String, Long> memInfo(String meminfo) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            try {
                long value = Long.parseLong(f[0]);
                values.put(line.substring(0, colon), f.length > 1 && f[1].equals("kB") ? value * 1024 : value);
            } catch (NumberFormatException e) {
                // not a number: skip
            }
        }
        return values;
    }

    /** /proc/loadavg → load1, load5, load15. */
    public static double[] loadAvg(String loadavg) {
        String[] f = loadavg.trim().split("\\s+");
        return new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])};
    }

    /** /proc/uptime → seconds since boot. */
    public static double uptime(String uptime) {
        return Double.parseDouble(uptime.trim().split("\\s+")[0]);
    }

    /** Counters of one block device (/proc/diskstats). */
    public record DiskStats(
            String device, long reads, long sectorsRead, long writes, long sectorsWritten, long ioMillis) {}

    public static List<DiskStats> diskStats(String diskstats) {
        List<DiskStats> disks = new ArrayList<>();
        for (String line : diskstats.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 14) {
                continue;
            }
            disks.add(new DiskStats(
                    f[2],
                    Long.parseLong(f[3]),
                    Long.parseLong(f[5]),
                    Long.parseLong(f[7]),
                    Long.parseLong(f[9]),
                    Long.parseLong(f[12])));
        }
        return disks;
    }

    /** Counters of one network interface (/proc/net/dev). */
    public record NetDev(
            String iface,
            long rxBytes,
            long rxPackets,
            long rxErrors,
            long rxDropped,
            long txBytes,
            long txPackets,
            long txErrors,
            long txDropped) {}

    public static List<NetDev> netDev(String netdev) {
        List<NetDev> ifaces = new ArrayList<>();
        for (String line : netdev.split("\n")) {
            int colon = line.indexOf(':');
            if (colon <= 0 || line.contains("|")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 16) {
                continue;
            }
            ifaces.add(new NetDev(
                    line.substring(0, colon).trim(),
                    Long.parseLong(f[0]),
                    Long.parseLong(f[1]),
                    Long.parseLong(f[2]),
                    Long.parseLong(f[3]),
                    Long.parseLong(f[8]),
                    Long.parseLong(f[9]),
                    Long.parseLong(f[10]),
                    Long.parseLong(f[11])));
        }
        return ifaces;
    }

    /** One line of /proc/mounts. */
    public record Mount(String device, String mountPoint, String fsType) {}

    public static List<Mount> mounts(String mounts) {
        List<Mount> list = new ArrayList<>();
        for (String line : mounts.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3) {
                list.add(new Mount(unescape(f[0]), unescape(f[1]), f[2]));
            }
        }
        return list;
    }

    /** /proc/mounts escapes space, tab, newline and backslash as octal ({@code \040}). */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether /proc/cpuinfo's flags include {@code hypervisor} (the CPU runs under a hypervisor). */
    public static boolean hypervisorFlag(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            if (line.startsWith("flags")
                    && (" " + line.substring(line.indexOf(':') + 1) + " ").contains(" hypervisor ")) {
                return true;
            }
        }
        return false;
    }

    private static long field(String[] f, int i) {
        return i < f.length ? Long.parseLong(f[i]) : 0;
    }
}
