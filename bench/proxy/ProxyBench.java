package dev.fleetgate.bench.proxy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.fleetgate.agent.nginx.internal.NginxSettings;
import dev.fleetgate.agent.nginx.internal.ProxyDriver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmarks of the agent's nginx driver (module 1). Run through bench/proxy/run.sh; prints figures.
 * Ports 19100–19119: proxy 19100 (admin 19102), upstream nginx 19110–19113.
 */
public final class ProxyBench {
    static final int HTTP = 19100;
    static final int ADMIN = 19102;
    static final int[] UPSTREAMS = {19110, 19111, 19112, 19113};
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path HERE = Path.of(System.getProperty("bench.dir", "bench/proxy"));

    private final Path work;
    private ProxyDriver driver;
    private long revision;

    ProxyBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length == 0 ? List.of("changes", "propagation", "throughput", "reload")
                : Arrays.asList(args);
        if (!Boolean.getBoolean("bench.verbose")) {
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        }
        Path work = Files.createTempDirectory("fleetgate-proxy-bench");
        Path upstreamConf = upstreams(work.resolve("upstreams"));
        run("nginx", "-c", upstreamConf.toString());
        ProxyBench bench = new ProxyBench(work);
        try {
            for (String s : scenarios) {
                switch (s) {
                    case "changes" -> bench.changes();
                    case "propagation" -> bench.propagation();
                    case "throughput" -> bench.throughput();
                    case "reload" -> bench.reload();
                    default -> throw new IllegalArgumentException("unknown scenario " + s);
                }
            }
        } finally {
            bench.stopDriver();
            run("nginx", "-c", upstreamConf.toString(), "-s", "quit");
            Thread.sleep(500);
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    // ---- scenarios ----------------------------------------------------------------------------------------

    /** (1) load while 100 endpoint-only changes, then 100 structural changes, are applied. */
    void changes() throws Exception {
        startDriver();
        apply(spec(1, 0, false, UPSTREAMS[0], UPSTREAMS[1]));
        System.out.println("\n== (1) ~load while 100 config changes are applied (wrk -t1 -c16, 1 proxy worker)");
        Wrk base = wrk(8, "bench0.test");
        print("baseline, no change", base, 0);
        for (boolean structural : new boolean[] {false, true}) {
            long reloadsBefore = driver.status().path("nginx").path("reloads").asLong();
            CompletableFuture<Wrk> load = CompletableFuture.supplyAsync(() -> wrk(12, "bench0.test"));
            Thread.sleep(1000);
            for (int i = 0; i < 100; i++) {
                int a = UPSTREAMS[i % 4];
                int b = UPSTREAMS[(i + 1) % 4];
                // endpoint-only: other targets and weights; structural: a second site comes and goes as well
                apply(spec(structural && i % 2 == 0 ? 2 : 1, i, false, a, b));
                Thread.sleep(90);
            }
            Wrk w = load.get();
            long reloads = driver.status().path("nginx").path("reloads").asLong() - reloadsBefore;
            print(structural ? "100 structural changes" : "100 endpoint-only changes", w, reloads);
        }
        stopDriver();
    }

    /** (2) applier called → new routing served, p50/p99 over 100 changes of each kind. */
    void propagation() throws Exception {
        startDriver();
        apply(spec(1, 0, false, UPSTREAMS[0]));
        System.out.println("\n== (2) propagation: apply() called -> new routing served (100 changes each)");
        List<Long> endpoint = new ArrayList<>();
        List<Long> applyOnly = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int target = UPSTREAMS[i % 2];
            long t0 = System.nanoTime();
            apply(spec(1, 0, false, target));
            applyOnly.add(System.nanoTime() - t0);
            while (!get("bench0.test").equals("u" + target)) {
                Thread.onSpinWait();
            }
            endpoint.add(System.nanoTime() - t0);
        }
        List<Long> structural = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            boolean add = i % 2 == 1;
            long t0 = System.nanoTime();
            apply(spec(add ? 2 : 1, 0, false, UPSTREAMS[0]));
            while ((get("bench1.test").startsWith("u")) != add) {
                Thread.onSpinWait();
            }
            structural.add(System.nanoTime() - t0);
        }
        System.out.printf("endpoint-only (no reload): p50 %.2f ms, p99 %.2f ms (apply() itself: p50 %.2f ms, p99 %.2f ms)%n",
                pct(endpoint, 50), pct(endpoint, 99), pct(applyOnly, 50), pct(applyOnly, 99));
        System.out.printf("structural (nginx -t + reload): p50 %.2f ms, p99 %.2f ms%n", pct(structural, 50), pct(structural, 99));
        stopDriver();
    }

    /** (3) throughput and proxy CPU per request: generated config vs hand-written ones. */
    void throughput() throws Exception {
        System.out.println("\n== (3) throughput, 1 proxy worker, wrk -t1 -c16 -d10s, one upstream (nginx return 200)");
        for (String variant : List.of("static", "lua-minimal", "generated")) {
            Path conf = null;
            if (variant.equals("generated")) {
                startDriver();
                apply(spec(1, 0, false, UPSTREAMS[0]));
            } else {
                conf = handWritten(variant);
                run("nginx", "-c", conf.toString());
                if (variant.equals("lua-minimal")) {
                    post("/peers", "127.0.0.1:" + UPSTREAMS[0]);
                }
            }
            wrk(2, "bench0.test");
            long master = Long.parseLong(Files.readString(work.resolve(variant.equals("generated")
                    ? "driver/nginx.pid" : variant + "/nginx.pid")).trim());
            long cpu0 = cpuTicks(master);
            Wrk w = wrk(10, "bench0.test");
            long cpu1 = cpuTicks(master);
            double rps = w.answered / (w.durationUs / 1e6);
            System.out.printf("%-12s %8.0f rps, p50 %5.2f ms, p99 %5.2f ms, proxy CPU %.1f us/request, non-2xx %d%n",
                    variant, rps, w.p50Us / 1000.0, w.p99Us / 1000.0, (cpu1 - cpu0) * 10_000.0 / w.answered, w.non2xx);
            if (conf != null) {
                run("nginx", "-c", conf.toString(), "-s", "quit");
                awaitGone(master);
            } else {
                stopDriver();
            }
        }
    }

    /** (4) nginx -t and reload time with 10, 100, 1000 services. */
    void reload() throws Exception {
        startDriver();
        System.out.println("\n== (4) structural apply (render, write, nginx -t, reload until served) by size");
        for (int n : new int[] {10, 100, 1000}) {
            apply(spec(n, 0, false, UPSTREAMS[0]));
            List<Long> applies = new ArrayList<>();
            List<Long> tests = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                apply(spec(n, 0, i % 2 == 0, UPSTREAMS[0]));
                applies.add(System.nanoTime() - t0);
                Path conf = work.resolve("driver/conf/nginx.conf").toRealPath();
                long t1 = System.nanoTime();
                run("nginx", "-t", "-q", "-c", conf.toString());
                tests.add(System.nanoTime() - t1);
            }
            System.out.printf("%5d services: nginx -t %.1f ms, whole structural apply %.1f ms (median of 5), conf %d KB%n",
                    n, pct(tests, 50), pct(applies, 50), Files.size(work.resolve("driver/conf/nginx.conf")) / 1024);
        }
        stopDriver();
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    void startDriver() throws IOException {
        NginxSettings s = new NginxSettings("/usr/sbin/nginx", HTTP, HTTP + 1, "127.0.0.1", ADMIN, work.resolve("driver"),
                "1", 4096, List.of("/usr/lib/nginx/modules/ndk_http_module.so", "/usr/lib/nginx/modules/ngx_http_lua_module.so"),
                "", "16m", 2, 0, 500);
        driver = new ProxyDriver(s, () -> { });
        driver.start();
    }

    void stopDriver() throws IOException {
        if (driver != null) {
            long pid = driver.status().path("nginx").path("pid").asLong(-1);
            driver.stopNginx();
            driver.close();
            driver = null;
            awaitGone(pid);
        }
    }

    void apply(ObjectNode spec) throws Exception {
        driver.apply(++revision, spec);
    }

    /**
     * @param sites  services bench0.test … bench{sites-1}.test; the first has the given targets
     * @param seed   varies the weights of bench0's targets (an endpoint-only change)
     * @param header adds a response header to bench0 (a structural change)
     */
    static ObjectNode spec(int sites, int seed, boolean header, int... targets) {
        ObjectNode spec = JSON.createObjectNode();
        ArrayNode s = spec.putArray("sites");
        ArrayNode u = spec.putArray("upstreams");
        for (int i = 0; i < sites; i++) {
            String id = "bench-" + i;
            ObjectNode site = s.addObject().put("id", id).put("serviceId", id).put("serviceName", id);
            site.putArray("serverNames").add("bench" + i + ".test");
            site.putArray("locations").addObject().put("path", "/").put("upstream", "svc-" + id);
            site.put("maxBodyBytes", 1048576);
            if (i == 0 && header) {
                site.putObject("responseHeaders").put("X-Variant", "1");
            }
            ObjectNode up = u.addObject().put("name", "svc-" + id).put("serviceId", id).put("keepalive", 64);
            ArrayNode t = up.putArray("targets");
            int[] ports = i == 0 ? targets : new int[] {UPSTREAMS[i % UPSTREAMS.length]};
            for (int j = 0; j < ports.length; j++) {
                t.addObject().put("host", "127.0.0.1").put("port", ports[j]).put("weight", i == 0 ? 1 + (seed + j) % 3 : 1);
            }
        }
        return spec;
    }

    record Wrk(long sent, long answered, long non2xx, long connect, long read, long write, long timeout,
            long durationUs, long p50Us, long p99Us) {
    }

    static Wrk wrk(int seconds, String host) {
        try {
            Process p = new ProcessBuilder("wrk", "-t1", "-c16", "-d" + seconds + "s", "--latency",
                    "-s", HERE.resolve("count.lua").toString(), "-H", "Host: " + host, "http://127.0.0.1:" + HTTP + "/")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            Matcher m = Pattern.compile("FLEETGATE sent=(\\d+) answered=(\\d+) non2xx=(\\d+) connect=(\\d+) read=(\\d+) "
                    + "write=(\\d+) timeout=(\\d+) duration_us=(\\d+) p50_us=(\\d+) p99_us=(\\d+)").matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("wrk said: " + out);
            }
            long[] v = new long[10];
            for (int i = 0; i < 10; i++) {
                v[i] = Long.parseLong(m.group(i + 1));
            }
            return new Wrk(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    static void print(String what, Wrk w, long reloads) {
        // at most one request per connection is in flight when wrk stops: not a lost request
        long lost = Math.max(0, w.sent - w.answered - 16);
        System.out.printf("%-26s %7.0f rps, %6d answered, non-2xx %d, unanswered beyond in-flight %d, socket errors "
                + "(read %d, write %d, connect %d, timeout %d), reloads %d%n", what, w.answered / (w.durationUs / 1e6),
                w.answered, w.non2xx, lost, w.read, w.write, w.connect, w.timeout, reloads);
    }

    static String get(String host) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return end < 0 ? "" : text.substring(end + 4).trim();
        } catch (IOException e) {
            return "";
        }
    }

    static void post(String path, String body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", ADMIN), 2000);
            s.getOutputStream().write(("POST " + path + " HTTP/1.0\r\nHost: x\r\nContent-Length: " + body.length()
                    + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            s.getInputStream().readAllBytes();
        }
    }

    static double pct(List<Long> nanos, int p) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1)) / 1e6;
    }

    /** utime + stime (clock ticks) of the master's children. */
    static long cpuTicks(long master) {
        long[] sum = {0};
        ProcessHandle.of(master).ifPresent(h -> h.children().forEach(c -> {
            try {
                String stat = Files.readString(Path.of("/proc", String.valueOf(c.pid()), "stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                sum[0] += Long.parseLong(f[11]) + Long.parseLong(f[12]);
            } catch (IOException e) {
                // exited
            }
        }));
        return sum[0];
    }

    static void awaitGone(long pid) {
        ProcessHandle.of(pid).ifPresent(h -> h.onExit().join());
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }

    /** The upstreams: one nginx, one worker, each port answers its name. */
    static Path upstreams(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        StringBuilder servers = new StringBuilder();
        for (int port : UPSTREAMS) {
            servers.append("    server { listen 127.0.0.1:").append(port).append(" backlog=4096; keepalive_requests 100000; ")
                    .append("location / { return 200 \"u").append(port).append("\\n\"; } }\n");
        }
        return write(dir, "pid " + dir + "/nginx.pid;\nerror_log " + dir + "/logs/error.log warn;\nworker_processes 1;\n"
                + "events { worker_connections 4096; }\nhttp {\n    access_log off;\n" + temp(dir) + servers + "}\n");
    }

    /** Hand-written best-practice proxies: a static upstream, or the minimal Lua balancer (one peer from a dict). */
    Path handWritten(String variant) throws IOException {
        Path dir = work.resolve(variant);
        Files.createDirectories(dir.resolve("logs"));
        boolean lua = variant.equals("lua-minimal");
        String upstream = lua
                ? "    upstream u {\n        server 0.0.0.1;\n        balancer_by_lua_block {\n"
                + "            local b = require \"ngx.balancer\"\n            local p = ngx.shared.peers:get(\"u\")\n"
                + "            local h, port = p:match(\"([^:]+):(%d+)\")\n            b.set_current_peer(h, tonumber(port))\n"
                + "        }\n        keepalive 64;\n    }\n    lua_shared_dict peers 1m;\n"
                + "    server { listen 127.0.0.1:" + ADMIN + "; location = /peers { content_by_lua_block {\n"
                + "        ngx.req.read_body(); ngx.shared.peers:set(\"u\", ngx.req.get_body_data()) } } }\n"
                : "    upstream u {\n        server 127.0.0.1:" + UPSTREAMS[0] + ";\n        keepalive 64;\n    }\n";
        String modules = lua ? "load_module /usr/lib/nginx/modules/ndk_http_module.so;\n"
                + "load_module /usr/lib/nginx/modules/ngx_http_lua_module.so;\n" : "";
        return write(dir, modules + "pid " + dir + "/nginx.pid;\nerror_log " + dir + "/logs/error.log warn;\n"
                + "worker_processes 1;\nevents { worker_connections 4096; }\nhttp {\n" + temp(dir)
                + "    log_format json escape=json '{\"time\":$msec,\"client\":\"$remote_addr\",\"method\":\"$request_method\","
                + "\"host\":\"$host\",\"uri\":\"$uri\",\"status\":$status,\"bytes\":$bytes_sent,\"requestTime\":$request_time,"
                + "\"upstreamTime\":\"$upstream_response_time\",\"upstream\":\"$upstream_addr\",\"userAgent\":\"$http_user_agent\"}';\n"
                + "    access_log " + dir + "/logs/access.log json buffer=64k flush=1s;\n" + upstream
                + "    server {\n        listen 127.0.0.1:" + HTTP + ";\n        server_name bench0.test;\n"
                + "        location / {\n            proxy_http_version 1.1;\n            proxy_set_header Connection \"\";\n"
                + "            proxy_set_header Host $host;\n            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                + "            proxy_pass http://u;\n        }\n    }\n}\n");
    }

    static String temp(Path dir) {
        return "    client_body_temp_path " + dir + "/body; proxy_temp_path " + dir + "/proxy; fastcgi_temp_path " + dir
                + "/fcgi; uwsgi_temp_path " + dir + "/uwsgi; scgi_temp_path " + dir + "/scgi;\n";
    }

    static Path write(Path dir, String conf) throws IOException {
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf);
        return file;
    }
}
