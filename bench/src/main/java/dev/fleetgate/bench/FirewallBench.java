package dev.fleetgate.bench;

import java.io.IOException;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.fleetgate.firewall.detect.Analyzer;
import dev.fleetgate.firewall.detect.LogParser;
import dev.fleetgate.firewall.detect.Replay;
import dev.fleetgate.firewall.detect.Request;
import dev.fleetgate.firewall.detect.Settings;
import dev.fleetgate.firewall.detect.sim.Evaluation;
import dev.fleetgate.firewall.detect.sim.TrafficGenerator;

/**
 * Firewall detectors (issue 16), no OSGi, one thread (figures are per core):
 * <ol>
 * <li><b>quality</b>: precision/recall per detector on generated labelled logs, one table per seed
 * ({@code --seeds 1,2,3,4,5}, {@code --scale 1}, 600 s each);</li>
 * <li><b>throughput</b>: lines/s of the replay path (parse + detect) over the generated log as Fleetgate JSON
 * lines and as nginx {@code combined}, of the parser alone, and of the live path (detectors on parsed entries,
 * what the agent runs); wall time and this thread's CPU time;</li>
 * <li><b>memory</b>: heap retained by an analyser after 1,000,000 distinct clients (default capacity, then a
 * capacity of 1,000,000 for comparison).</li>
 * </ol>
 * Last line: {@code firewall_replay_lps=… firewall_live_lps=… firewall_mem_1m_mb=… benign_decided=…}.
 */
public final class FirewallBench {
    /** fail2ban on a 2M-line access log on this machine (issue 16). */
    private static final double FAIL2BAN_LPS = 28_000;

    public static void main(String[] args) throws Exception {
        Map<String, String> a = MetricsBench.parse(args);
        double scale = Double.parseDouble(a.getOrDefault("scale", "1"));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "5"));
        String[] seeds = a.getOrDefault("seeds", "1,2,3,4,5").split(",");
        ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        Settings settings = Settings.defaults();
        System.out.printf(
                Locale.ROOT,
                "load average %s, %d processors%n",
                loadAverage(),
                Runtime.getRuntime().availableProcessors());

        int benignDecided = 0;
        int benignClients = 0;
        if (!a.containsKey("skip-quality")) {
            for (String seed : seeds) {
                TrafficGenerator.Traffic t = new TrafficGenerator(Long.parseLong(seed.trim()), scale, 600).generate();
                Evaluation.Report r = Evaluation.run(t, settings, "direct");
                System.out.printf(
                        Locale.ROOT,
                        "%n== quality, seed %s: %,d requests, %,d clients%n%s",
                        seed,
                        t.requests().size(),
                        t.labels().size(),
                        r.table());
                r.benignBlocked().stream().limit(10).forEach(b -> System.out.println("  benign decided: " + b));
                benignDecided += r.benignBlocked().size();
                benignClients += r.benignClients();
            }
        }

        double[] thr = a.containsKey("skip-throughput") ? new double[3] : throughput(settings, scale, rounds, cpu);
        double replayLps = thr[0];
        double replayCpuLps = thr[1];
        double liveBest = thr[2];

        System.out.printf(Locale.ROOT, "%n== memory, 1,000,000 distinct clients (3 requests each, 1,000 lines/s)%n");
        double memDefault = memory(settings);
        System.out.printf(Locale.ROOT, "capacity %,d (default): %.1f MB retained%n", settings.capacity, memDefault);
        Settings all = Settings.fromMap(Map.of("capacity", 1_000_000), (f, m) -> {
            throw new IllegalStateException(f + m);
        });
        double memAll = memory(all);
        System.out.printf(Locale.ROOT, "capacity 1,000,000 (every client tracked): %.1f MB retained%n", memAll);

        System.out.printf(
                Locale.ROOT,
                "%nfirewall_replay_lps=%.0f firewall_replay_cpu_lps=%.0f firewall_live_lps=%.0f "
                        + "firewall_mem_1m_mb=%.1f benign_decided=%d/%d%n",
                replayLps,
                replayCpuLps,
                liveBest,
                memDefault,
                benignDecided,
                benignClients);
    }

    /** @return best replay lines/s (wall), replay lines per CPU-second, live detector lines/s */
    private static double[] throughput(Settings settings, double scale, int rounds, ThreadMXBean cpu)
            throws IOException {
        double[] out = new double[3];
        TrafficGenerator.Traffic t = new TrafficGenerator(42, scale, 600).generate();
        List<Request> requests = t.requests();
        List<String> json = new ArrayList<>(requests.size());
        List<String> combined = new ArrayList<>(requests.size());
        for (Request r : requests) {
            json.add(TrafficGenerator.json(r));
            combined.add(TrafficGenerator.combined(r));
        }
        System.out.printf(
                Locale.ROOT,
                "%n== throughput (one thread), %,d lines, %d rounds each (first is warm-up)%n",
                json.size(),
                rounds);
        for (String format : List.of("json", "combined")) {
            List<String> lines = format.equals("json") ? json : combined;
            double best = 0;
            double bestCpu = 0;
            for (int round = 0; round < rounds; round++) {
                long c0 = cpu.getCurrentThreadCpuTime();
                Replay.Result res = Replay.run(new LinesReader(lines), settings, List.of(), 10_000);
                double cpuS = (cpu.getCurrentThreadCpuTime() - c0) / 1e9;
                if (round > 0) {
                    System.out.printf(
                            Locale.ROOT,
                            "replay %-8s %,12.0f lines/s wall, %,12.0f lines per CPU-second, "
                                    + "%d clients reported%n",
                            format,
                            res.linesPerSecond(),
                            res.lines() / cpuS,
                            res.decisions().size());
                    best = Math.max(best, res.linesPerSecond());
                    bestCpu = Math.max(bestCpu, res.lines() / cpuS);
                }
            }
            if (format.equals("json")) {
                out[0] = best;
                out[1] = bestCpu;
            }
            System.out.printf(
                    Locale.ROOT,
                    "replay %s best: %,.0f lines/s wall = %.1f x fail2ban (%,.0f lines/s); "
                            + "%,.0f lines per CPU-second = %.1f x%n",
                    format,
                    best,
                    best / FAIL2BAN_LPS,
                    FAIL2BAN_LPS,
                    bestCpu,
                    bestCpu / FAIL2BAN_LPS);
        }
        double parseBest = 0;
        for (int round = 0; round < rounds; round++) {
            LogParser p = new LogParser();
            long t0 = System.nanoTime();
            long ok = 0;
            for (String l : json) {
                ok += p.parse(l) == null ? 0 : 1;
            }
            double lps = json.size() / ((System.nanoTime() - t0) / 1e9);
            if (round > 0) {
                parseBest = Math.max(parseBest, lps);
            }
            if (ok != json.size()) {
                throw new IllegalStateException("unparsed lines: " + (json.size() - ok));
            }
        }
        System.out.printf(Locale.ROOT, "parser alone (json): %,.0f lines/s%n", parseBest);
        for (int round = 0; round < rounds; round++) {
            Analyzer an = new Analyzer(settings, List.of(), d -> {});
            long t0 = System.nanoTime();
            long n = 0;
            for (Request r : requests) {
                an.accept(r, ++n);
            }
            double lps = n / ((System.nanoTime() - t0) / 1e9);
            if (round > 0) {
                out[2] = Math.max(out[2], lps);
            }
        }
        System.out.printf(Locale.ROOT, "live detectors on parsed entries (the agent's path): %,.0f lines/s%n", out[2]);

        return out;
    }

    private static double memory(Settings settings) {
        long before = used();
        Analyzer an = new Analyzer(settings, List.of(), d -> {});
        long n = 0;
        String ua = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0";
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1_000_000; i++) {
                String ip = (11 + (i >> 16)) + "." + (i >> 8 & 255) + "." + (i & 255) + ".7";
                an.accept(
                        new Request(
                                1_764_000_000_000L + n, "svc-" + (i & 7), ip, "GET", "/p/" + (i & 1023), 200, ua, null),
                        ++n);
            }
        }
        long after = used();
        long[] stats = an.stats();
        System.out.printf(
                Locale.ROOT, "  %,d requests, %,d clients tracked, %,d evictions%n", stats[0], stats[3], stats[2]);
        return (after - before) / 1e6;
    }

    private static long used() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                    .trim();
        } catch (IOException e) {
            return "?";
        }
    }

    /** Lines held in memory read as one text (so the replay's reader cost is included, not disk I/O). */
    private static final class LinesReader extends Reader {
        private final List<String> lines;
        private int line;
        private int pos;

        LinesReader(List<String> lines) {
            this.lines = lines;
        }

        @Override
        public int read(char[] buf, int off, int len) {
            if (line >= lines.size()) {
                return -1;
            }
            int n = 0;
            while (n < len && line < lines.size()) {
                String s = lines.get(line);
                if (pos == s.length()) {
                    buf[off + n++] = '\n';
                    line++;
                    pos = 0;
                    continue;
                }
                int k = Math.min(len - n, s.length() - pos);
                s.getChars(pos, pos + k, buf, off + n);
                pos += k;
                n += k;
            }
            return n;
        }

        @Override
        public void close() {}
    }
}
