package dev.fleetgate.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.fleetgate.agent.Task;
import dev.fleetgate.agent.probe.internal.HttpProbeHandler;

/**
 * How many uptime probes one agent sustains, and at what CPU cost: runs the agent's real
 * {@code http.probe} handler (no OSGi, no sync) against a local nginx, on as many threads as
 * the agent's task runner has (2).
 *
 * <ol>
 * <li><b>Schedule</b>: {@code --monitors} monitors every {@code --interval} seconds, spread evenly,
 * for {@code --seconds}: prints probes/s done and the process's CPU as % of one core.</li>
 * <li><b>Ceiling</b>: the same handler as fast as it goes on the same threads for {@code --seconds}:
 * probes/s and CPU µs per probe.</li>
 * </ol>
 * Not counted: the task's trip through the sync (JSON in the sync request and answer, a few
 * hundred bytes per probe), which the agent pays on top.
 */
public final class ProbeBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        int monitors = intArg(args, "--monitors", 1000);
        int interval = intArg(args, "--interval", 60);
        int seconds = intArg(args, "--seconds", 60);
        int threads = intArg(args, "--threads", 2);
        int port = intArg(args, "--port", 21310);
        String url = "http://127.0.0.1:" + port + "/health";
        Path dir = Files.createTempDirectory("fleetgate-probe-bench");
        Process nginx = startNginx(dir, port);
        try {
            HttpProbeHandler handler = new HttpProbeHandler();
            JsonNode payload = JSON.readTree("{\"url\":\"" + url + "\",\"method\":\"GET\",\"timeoutMs\":10000,"
                    + "\"followRedirects\":true,\"expectStatuses\":[]}");
            // warm up (JIT), not measured
            runCeiling(handler, payload, threads, 5);
            System.out.printf("probe bench: %d threads, target %s%n", threads, url);
            double[] sched = runSchedule(handler, payload, monitors, interval, seconds, threads);
            double[] ceil = runCeiling(handler, payload, threads, seconds);
            System.out.printf(
                    "schedule: %d monitors every %d s for %d s: %.1f probes/s done (%.1f offered), "
                            + "%d failed, CPU %.2f %% of one core%n",
                    monitors, interval, seconds, sched[0], monitors / (double) interval, (long) sched[2], sched[1]);
            System.out.printf(
                    "ceiling: %.0f probes/s on %d threads, CPU %.1f %% of one core, %.0f µs CPU per probe%n",
                    ceil[0], threads, ceil[1], ceil[1] / 100 * 1e6 / ceil[0]);
            System.out.printf(
                    "probe_monitors=%d probe_interval_s=%d probe_sched_cpu_pct=%.2f probe_ceiling_per_s=%.0f "
                            + "probe_cpu_us=%.0f%n",
                    monitors, interval, sched[1], ceil[0], ceil[1] / 100 * 1e6 / ceil[0]);
        } finally {
            nginx.destroy();
            nginx.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
    }

    /** @return probes/s, CPU % of one core, failures */
    private static double[] runSchedule(
            HttpProbeHandler handler, JsonNode payload, int monitors, int interval, int seconds, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        AtomicLong done = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        long periodNanos = TimeUnit.SECONDS.toNanos(interval) / monitors;
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        clock.scheduleAtFixedRate(
                () -> pool.execute(() -> {
                    JsonNode r = handler.handle(new Task("t", "http.probe", payload));
                    if (!r.path("ok").asBoolean()) {
                        failed.incrementAndGet();
                    }
                    done.incrementAndGet();
                }),
                0,
                periodNanos,
                TimeUnit.NANOSECONDS);
        Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
        clock.shutdownNow();
        pool.shutdown();
        pool.awaitTermination(30, TimeUnit.SECONDS);
        double wall = (System.nanoTime() - t0) / 1e9;
        return new double[] {done.get() / wall, 100.0 * (cpu() - cpu0) / 1e9 / wall, failed.get()};
    }

    /** @return probes/s, CPU % of one core */
    private static double[] runCeiling(HttpProbeHandler handler, JsonNode payload, int threads, int seconds)
            throws Exception {
        AtomicLong done = new AtomicLong();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long cpu0 = cpu();
        long t0 = System.nanoTime();
        List<Thread> workers = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                while (System.nanoTime() < end) {
                    handler.handle(new Task("t", "http.probe", payload));
                    done.incrementAndGet();
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        return new double[] {done.get() / wall, 100.0 * (cpu() - cpu0) / 1e9 / wall};
    }

    /** CPU time of this process (ns). */
    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static Process startNginx(Path dir, int port) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("logs"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, """
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/logs/error.log;
                daemon off;
                events { worker_connections 1024; }
                http {
                  access_log off;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    location / { return 200 "ok\\n"; }
                  }
                }
                """.formatted(dir, port));
        Process p = new ProcessBuilder("nginx", "-c", conf.toString(), "-p", dir.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/nginx.out").toFile())
                .start();
        for (int i = 0; i < 100; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                return p;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        p.destroy();
        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("logs/nginx.out")));
    }

    private static int intArg(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return dflt;
    }
}
