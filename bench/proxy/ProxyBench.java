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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Benchmarks of the agent's nginx driver (module 1). Run through bench/proxy/run.sh; prints figures.
 * Ports 20630–20659: proxy 20630 (HTTPS 20631, status 20632), upstream nginx 20640–20643.
 */
public final class ProxyBench {
    /** first port (default 20630; {@code -Dbench.basePort=} moves the whole range of 30 ports) */
    static final int BASE = Integer.getInteger("bench.basePort", 20630);
    static final int HTTP = BASE;
    static final int HTTPS = BASE + 1;
    static final int ADMIN = BASE + 2;
    /** a listen port that only the listener-change site uses (the change that reloads) */
    static final int EXTRA_PORT = BASE + 4;
    static final int[] UPSTREAMS = {BASE + 10, BASE + 11, BASE + 12, BASE + 13};
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path HERE = Path.of(System.getProperty("bench.dir", "bench/proxy"));

    private final Path work;
    private ProxyDriver driver;
    private long revision;

    ProxyBench(Path work) {
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        List<String> scenarios = args.length == 0 ? List.of("live", "propagation", "throughput", "size")
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
                    case "phases" -> bench.phases();
                    case "reload" -> bench.reload();
                    case "live" -> bench.live();
                    case "reloads" -> bench.reloadsOnly();
                    case "size" -> bench.size();
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

    static final int RATE = 3500;
    static final int CONNECTIONS = 42;

    /**
     * (1) Paced load (~3,500 requests/s over 42 keep-alive connections to bench0.test, each request counted sent
     * vs answered, sending stops before the end so nothing is in flight) while 100 changes of each kind are
     * applied; then, for comparison, 100 plain {@code nginx -s reload} of the same configuration.
     */
    void live() throws Exception {
        startDriver("auto");
        Pem c1 = pem("c1.bench"), c2 = pem("c2.bench"), c3 = pem("c3.bench");
        Live state = new Live(c1);
        apply(state.spec());
        System.out.printf("%n== (1) paced load %d req/s over %d keep-alive connections, 100 changes of each kind%n",
                RATE, CONNECTIONS);
        Map<String, java.util.function.IntConsumer> kinds = new LinkedHashMap<>();
        kinds.put("targets", i -> state.target = UPSTREAMS[i % 2]);
        kinds.put("service add/remove", i -> state.extra = i % 2 == 0);
        kinds.put("domain add/remove", i -> state.aliases = i % 2 == 0);
        kinds.put("certificate add/replace", i -> {
            state.cert = i % 2 == 0 ? c2 : c1;
            state.tlsSite = i % 4 < 2 ? c3 : null;
        });
        kinds.put("error page change", i -> state.page = "page " + i);
        kinds.put("block/unblock", i -> state.block = i % 2 == 0);
        Set<Long> before = processes();
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        System.out.printf("%-26s %8s %8s %8s %6s %8s %s%n", "change kind", "changes", "sent", "answered", "lost",
                "non-2xx", "apply p50/p99 ms");
        for (Map.Entry<String, java.util.function.IntConsumer> kind : kinds.entrySet()) {
            List<Long> applies = new ArrayList<>();
            Paced load = new Paced(HTTP, "bench0.test", RATE, CONNECTIONS);
            Thread.sleep(500);
            for (int i = 0; i < 100; i++) {
                kind.getValue().accept(i);
                long t0 = System.nanoTime();
                apply(state.spec());
                applies.add(System.nanoTime() - t0);
                Thread.sleep(30);
            }
            Thread.sleep(500);
            Paced.Result r = load.stop();
            System.out.printf("%-26s %8d %8d %8d %6d %8d %.1f / %.1f%n", kind.getKey(), 100, r.sent(), r.answered(),
                    r.sent() - r.answered(), r.non2xx(), pct(applies, 50), pct(applies, 99));
        }
        System.out.printf("same nginx master and workers: %s, reloads during the changes: %d%n", before.equals(processes()),
                driver.status().path("nginx").path("reloads").asLong() - reloads);
        // the one case that still reloads: what a reload costs under the same load
        Paced load = new Paced(HTTP, "bench0.test", RATE, CONNECTIONS);
        Thread.sleep(500);
        for (int i = 0; i < 100; i++) {
            run("nginx", "-c", work.resolve("driver/conf/nginx.conf").toString(), "-s", "reload");
            Thread.sleep(250);
        }
        Thread.sleep(500);
        Paced.Result r = load.stop();
        System.out.printf("%-26s %8d %8d %8d %6d %8d (closed connections: %d)%n", "nginx -s reload (same conf)", 100,
                r.sent(), r.answered(), r.sent() - r.answered(), r.non2xx(), r.reconnects());
        reloads(state);
        stopDriver();
    }

    /**
     * The changes that still reload (here: a site on a listen port no other site uses comes and goes), applied by
     * the driver under the same load: without the reload drain, then with it (its default bound).
     */
    void reloads(Live state) throws Exception {
        int rounds = Integer.getInteger("bench.reloads", 100);
        for (long drain : new long[] {0, ProxyDriver.DRAIN_MS}) {
            driver.reloadDrainMillis(drain);
            state.listener = false;
            apply(state.spec());
            long reloads = driver.status().path("nginx").path("reloads").asLong();
            List<Long> applies = new ArrayList<>();
            Paced load = new Paced(HTTP, "bench0.test", RATE, CONNECTIONS);
            Thread.sleep(500);
            for (int i = 0; i < rounds; i++) {
                state.listener = i % 2 == 0;
                long t0 = System.nanoTime();
                apply(state.spec());
                applies.add(System.nanoTime() - t0);
                Thread.sleep(250);
            }
            Thread.sleep(500);
            Paced.Result r = load.stop();
            System.out.printf("%-26s %8d %8d %8d %6d %8d apply p50/p99 %.0f / %.0f ms, reloads %d, idle connections "
                            + "closed by nginx %d, answers with Connection: close %d%n",
                    drain == 0 ? "listener change, no drain" : "listener change, drain", rounds, r.sent(), r.answered(),
                    r.sent() - r.answered(), r.non2xx(), pct(applies, 50), pct(applies, 99),
                    driver.status().path("nginx").path("reloads").asLong() - reloads, r.reconnects(),
                    r.closedAfterAnswer());
        }
        driver.reloadDrainMillis(ProxyDriver.DRAIN_MS);
        state.listener = false;
        apply(state.spec());
    }

    /** Only the reloads of (1): listener changes under the paced load, without and with the reload drain. */
    void reloadsOnly() throws Exception {
        startDriver("auto");
        Live state = new Live(pem("c1.bench"));
        apply(state.spec());
        System.out.printf("%n== (1b) paced load %d req/s over %d keep-alive connections, changes that reload%n", RATE,
                CONNECTIONS);
        System.out.printf("%-26s %8s %8s %8s %6s %8s%n", "change kind", "changes", "sent", "answered", "lost", "non-2xx");
        reloads(state);
        stopDriver();
    }

    /** The spec of the live scenario, changed field by field. */
    final class Live {
        int target = UPSTREAMS[0];
        boolean extra;
        boolean aliases;
        Pem cert;
        Pem tlsSite;
        String page = "page";
        boolean block;
        boolean listener;

        Live(Pem cert) {
            this.cert = cert;
        }

        ObjectNode spec() {
            ObjectNode spec = ProxyBench.spec(1, 0, false, target);
            ObjectNode site = (ObjectNode) spec.get("sites").get(0);
            ArrayNode listen = site.putArray("listen");
            listen.addObject().put("tls", false);
            listen.addObject().put("tls", true);
            site.putObject("tls").put("certificateId", "bench0").put("certificatePem", cert.cert())
                    .put("privateKeyPem", cert.key());
            if (aliases) {
                site.withArray("serverNames").add("alias.bench0.test").add("*.w.bench0.test");
            }
            site.putArray("errorPages").addObject().put("contentType", "text/html").put("body", page)
                    .putArray("statuses").add(502).add(503);
            if (block) {
                spec.putArray("accessRules").addObject().put("action", "deny").put("source", "192.0.2.0/24");
                site.putArray("accessRules").addObject().put("action", "deny").put("source", "2001:db8::/32");
            }
            if (extra) {
                addSite(spec, "extra", "extra.test", null, UPSTREAMS[2]);
            }
            if (tlsSite != null) {
                addSite(spec, "tls-site", "tls-site.test", tlsSite, UPSTREAMS[3]);
            }
            if (listener) {
                addSite(spec, "port-site", "port-site.test", null, UPSTREAMS[3]);
                ArrayNode sites = (ArrayNode) spec.get("sites");
                ((ObjectNode) sites.get(sites.size() - 1)).putArray("listen").addObject().put("tls", false)
                        .put("port", EXTRA_PORT);
            }
            return spec;
        }
    }

    static void addSite(ObjectNode spec, String id, String name, Pem pem, int port) {
        ObjectNode site = spec.withArray("sites").addObject().put("id", id).put("serviceId", id);
        site.putArray("serverNames").add(name);
        site.putArray("locations").addObject().put("path", "/").put("upstream", "svc-" + id);
        if (pem != null) {
            site.putArray("listen").addObject().put("tls", true);
            site.putObject("tls").put("certificateId", id).put("certificatePem", pem.cert()).put("privateKeyPem", pem.key());
        }
        spec.withArray("upstreams").addObject().put("name", "svc-" + id).put("serviceId", id).put("keepalive", 64)
                .putArray("targets").addObject().put("host", "127.0.0.1").put("port", port);
    }

    /**
     * (2) Under the paced load: apply() called (and returned) → the new routing served to a new connection, 100
     * changes each: a target swap of the loaded service, a new service (a new domain each time).
     */
    void propagation() throws Exception {
        startDriver("auto");
        apply(spec(1, 0, false, UPSTREAMS[0]));
        System.out.printf("%n== (2) propagation under the paced load (%d req/s, %d connections): apply() called -> "
                + "new routing served, 100 changes each%n", RATE, CONNECTIONS);
        long reloads = driver.status().path("nginx").path("reloads").asLong();
        Paced load = new Paced(HTTP, "bench0.test", RATE, CONNECTIONS);
        Thread.sleep(500);
        List<Long> called = new ArrayList<>();
        List<Long> returned = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            int target = UPSTREAMS[i % 2];
            long t0 = System.nanoTime();
            apply(spec(1, 0, false, target));
            long t1 = System.nanoTime();
            while (!get("bench0.test").equals("u" + target)) {
                Thread.onSpinWait();
            }
            long t2 = System.nanoTime();
            called.add(t2 - t0);
            returned.add(t2 - t1);
        }
        List<Long> sCalled = new ArrayList<>();
        List<Long> sReturned = new ArrayList<>();
        for (int i = 1; i <= 100; i++) {
            ObjectNode spec = spec(1, 0, false, UPSTREAMS[0]);
            addSite(spec, "new-" + i, "new-" + i + ".test", null, UPSTREAMS[2]);
            long t0 = System.nanoTime();
            apply(spec);
            long t1 = System.nanoTime();
            while (!get("new-" + i + ".test").startsWith("u")) {
                Thread.onSpinWait();
            }
            long t2 = System.nanoTime();
            sCalled.add(t2 - t0);
            sReturned.add(t2 - t1);
        }
        Paced.Result r = load.stop();
        System.out.printf("target change: called->served p50 %.1f ms, p99 %.1f ms; returned->served p50 %.2f ms, p99 %.2f ms%n",
                pct(called, 50), pct(called, 99), pct(returned, 50), pct(returned, 99));
        System.out.printf("new service:   called->served p50 %.1f ms, p99 %.1f ms; returned->served p50 %.2f ms, p99 %.2f ms%n",
                pct(sCalled, 50), pct(sCalled, 99), pct(sReturned, 50), pct(sReturned, 99));
        System.out.printf("load meanwhile: sent %d, answered %d, lost %d, non-2xx %d, reloads %d%n", r.sent(), r.answered(),
                r.sent() - r.answered(), r.non2xx(), driver.status().path("nginx").path("reloads").asLong() - reloads);
        stopDriver();
    }

    /**
     * (3) Throughput and proxy CPU per request, 1 worker, wrk -t1 -c16: hand-written static upstream and minimal Lua
     * balancer, the generated configuration for a plain site and for a filtered one, interleaved, 3 repetitions,
     * medians. The generated variants run on the driver's files (init_by_lua restores the routes and peers the driver
     * pushed).
     */
    void throughput() throws Exception {
        Path conf = generatedConf();
        String generated = Files.readString(conf);
        Map<String, Variant> variants = new LinkedHashMap<>();
        variants.put("static", new Variant(handWritten("static"), BENCH0, null));
        variants.put("lua-minimal", new Variant(handWritten("lua-minimal"), BENCH0, "static"));
        if (Boolean.getBoolean("bench.emptyAccess")) {
            // the price of an access_by_lua phase that does nothing (a coroutine per request)
            variants.put("lua-minimal, empty access", new Variant(handWritten("lua-minimal-access"), BENCH0, "lua-minimal"));
        }
        variants.put("generated", new Variant(conf, BENCH0, "static"));
        variants.put("generated, filters", new Variant(conf, BENCH1, "generated"));
        Path baseline = baseline(conf, generated);
        if (baseline != null) {
            variants.put("generated, baseline", new Variant(baseline, BENCH0, "generated"));
        }
        measure("(3) throughput", variants);
        driver.close();
        driver = null;
    }

    static final String BENCH0 = "bench0.test";
    static final String BENCH1 = "bench1.test";

    /**
     * A configuration to measure: its file, the Host of its requests, and the variant its CPU per request is compared
     * with (null: none).
     */
    record Variant(Path conf, String host, String against) {
    }

    /**
     * (3b) The price of each Lua phase: the generated configuration, then copies of it with one phase handler replaced
     * by a stub or removed at a time, interleaved with the hand-written static proxy (same access log), 3 reps,
     * medians; each line prints req/s and proxy CPU per request, and its CPU per request minus that of the variant it
     * is compared with (a stub or removal that is cheaper by x prices the removed part at x).
     */
    void phases() throws Exception {
        Path conf = generatedConf();
        String g = Files.readString(conf);
        String upstream = "svc-bench-0";
        String peer = "require(\"ngx.balancer\").set_current_peer(\"127.0.0.1\", " + UPSTREAMS[0] + ")";
        Map<String, Variant> v = new LinkedHashMap<>();
        v.put("static", new Variant(handWritten("static"), BENCH0, null));
        v.put("lua-minimal", new Variant(handWritten("lua-minimal"), BENCH0, "static"));
        v.put("generated", new Variant(conf, BENCH0, "static"));
        // route() → a stub that only names the upstream and the service: the price of the routing logic
        String route = routeDirective(g);
        String stubConf = g.replace(route, "access_by_lua_block { ngx.ctx.fg_upstream = \"" + upstream
                + "\" ngx.var.fleetgate_service = \"bench-0\" }");
        v.put("access phase stubbed", new Variant(variantFile(conf, "stub", stubConf), BENCH0, "generated"));
        // no access phase at all (a plain `set` for the log), the balancer names the upstream: the price of the phase
        String noAccess = g.replace(route, "set $fleetgate_service bench-0;")
                .replace("fleetgate.balance()", "fleetgate.balance(\"" + upstream + "\")");
        v.put("no access phase", new Variant(variantFile(conf, "noaccess", noAccess), BENCH0, "access phase stubbed"));
        // and a balancer that only sets the one peer: the price of fleetgate.balance()
        v.put("no access phase, stub balancer", new Variant(variantFile(conf, "nobalance",
                noAccess.replace("fleetgate.balance(\"" + upstream + "\")", peer)), BENCH0, "no access phase"));
        // the hand-written proxy's request headers (Host, X-Forwarded-For, Connection "") instead of the seven
        String location = plainLocation(g);
        String headers = location.replaceAll("(?m)^\\s*proxy_set_header [^\n]*\\n", "")
                .replace("            proxy_pass http://fleetgate;", "            proxy_set_header Connection \"\";\n"
                        + "            proxy_set_header Host $host;\n"
                        + "            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;\n"
                        + "            proxy_pass http://fleetgate;");
        v.put("3 proxy headers (static's)", new Variant(variantFile(conf, "headers", g.replace(location, headers)),
                BENCH0, "generated"));
        Path baseline = baseline(conf, g);
        if (baseline != null) {
            v.put("baseline Lua", new Variant(baseline, BENCH0, "generated"));
        }
        // a site with a response header: @fleetgate_filtered (access phase, header and body filters, log phase)
        v.put("filters", new Variant(conf, BENCH1, "generated"));
        v.put("filters, no log_by_lua", new Variant(variantFile(conf, "nolog",
                without(g, "log_by_lua_block")), BENCH1, "filters"));
        v.put("filters, no body filter", new Variant(variantFile(conf, "nobody",
                without(g, "body_filter_by_lua_block")), BENCH1, "filters"));
        v.put("filters, no header/body/log", new Variant(variantFile(conf, "nofilters",
                without(g, "log_by_lua_block", "body_filter_by_lua_block", "header_filter_by_lua_block")), BENCH1, "filters"));
        if (baseline != null) {
            v.put("filters, baseline Lua", new Variant(baseline, BENCH1, "filters"));
        }
        measure("(3b) price of each Lua phase", v);
        driver.close();
        driver = null;
    }

    /** Applies the bench's two sites (bench0 plain, bench1 with a response header), stops nginx, returns its conf. */
    Path generatedConf() throws Exception {
        startDriver("1");
        // bench0.test: a plain site; bench1.test: the same with a response header (its requests take the location
        // with the Lua header and body filters and the log phase)
        ObjectNode spec = spec(2, 0, false, UPSTREAMS[0]);
        ((ObjectNode) spec.get("sites").get(1)).putObject("responseHeaders").put("X-Variant", "1");
        ((ObjectNode) spec.get("upstreams").get(1).get("targets").get(0)).put("port", UPSTREAMS[0]);
        apply(spec);
        Path conf = work.resolve("driver/conf/nginx.conf").toRealPath();
        driver.stopNginx();
        return conf;
    }

    static final Pattern PLAIN_LOCATION = Pattern.compile(
            "(?s)        location / \\{\\n            access_by_lua_block \\{ fleetgate\\.route\\(.*?\\n        \\}\\n");

    /** The listener's "location /" block of a generated configuration. */
    static String plainLocation(String conf) {
        Matcher m = PLAIN_LOCATION.matcher(conf);
        if (!m.find()) {
            throw new IllegalStateException("no location / with the route in the generated configuration");
        }
        return m.group();
    }

    /** The access_by_lua directive of the listener's "location /". */
    static String routeDirective(String conf) {
        String location = plainLocation(conf);
        int at = location.indexOf("access_by_lua_block");
        return location.substring(at, location.indexOf('\n', at));
    }

    /**
     * {@code -Dbench.baselineLua=<file>}: a copy of the generation with another fleetgate.lua (e.g. {@code git show
     * main:…/fleetgate.lua}); null without the property.
     */
    Path baseline(Path conf, String generated) throws IOException {
        String baselineLua = System.getProperty("bench.baselineLua");
        if (baselineLua == null) {
            return null;
        }
        Path dir = conf.getParent();
        Path copy = dir.resolveSibling(dir.getFileName() + "-baseline");
        Files.createDirectories(copy.resolve("lua"));
        Files.copy(Path.of(baselineLua), copy.resolve("lua/fleetgate.lua"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(copy.resolve("nginx.conf"), generated.replace(dir.toString(), copy.toString()));
        return copy.resolve("nginx.conf");
    }

    /** The configuration without the given one-line Lua phase directives (same pid, sockets, files). */
    static String without(String text, String... directives) {
        String out = text;
        for (String directive : directives) {
            out = out.replaceAll("(?m)^\\s*" + directive + " \\{[^\\n]*\\}\\n", "");
        }
        return out;
    }

    static Path variantFile(Path conf, String name, String text) throws IOException {
        if (text.equals(Files.readString(conf))) {
            throw new IllegalStateException("variant " + name + " changed nothing");
        }
        Path file = conf.resolveSibling(name + ".conf");
        Files.writeString(file, text);
        return file;
    }

    /** Runs every variant in turn, {@code bench.reps} times (interleaved), and prints medians and prices. */
    void measure(String title, Map<String, Variant> all) throws Exception {
        // -Dbench.only=name,name…: only those variants (and the ones they are compared with, and static)
        String only = System.getProperty("bench.only");
        Map<String, Variant> variants = new LinkedHashMap<>();
        if (only == null) {
            variants.putAll(all);
        } else {
            // names as printed, without spaces and punctuation (e.g. "accessphaserouting,filtersnolog_by_lua")
            Set<String> keep = new java.util.HashSet<>();
            Arrays.stream(only.split(",")).map(ProxyBench::key).forEach(keep::add);
            keep.add("static");
            for (Map.Entry<String, Variant> e : all.entrySet()) {
                if (keep.contains(key(e.getKey())) && e.getValue().against() != null) {
                    keep.add(key(e.getValue().against()));
                }
            }
            all.forEach((k, v) -> {
                if (keep.contains(key(k))) {
                    variants.put(k, v);
                }
            });
        }
        int reps = Integer.getInteger("bench.reps", 3);
        int seconds = Integer.getInteger("bench.seconds", 8);
        System.out.printf("%n== %s, 1 proxy worker, wrk -t1 -c16 -d%ds, one upstream (nginx return 200), "
                + "%d interleaved reps, medians; load average before: %s%n", title, seconds, reps, loadAverage());
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        Map<String, List<Double>> cpu = new LinkedHashMap<>();
        for (int rep = 0; rep < reps; rep++) {
            for (Map.Entry<String, Variant> v : variants.entrySet()) {
                Path c = v.getValue().conf();
                Files.deleteIfExists(work.resolve("driver/admin/admin.sock"));
                Files.deleteIfExists(work.resolve("driver/unavailable.sock"));
                run("nginx", "-c", c.toString());
                if (c.startsWith(work.resolve("lua-minimal"))) {
                    post("/peers", "127.0.0.1:" + UPSTREAMS[0]);
                }
                String host = v.getValue().host();
                wrk(2, host);
                Path pidFile = c.startsWith(work.resolve("driver")) ? work.resolve("driver/nginx.pid") : c.resolveSibling("nginx.pid");
                long master = Long.parseLong(Files.readString(pidFile).trim());
                long cpu0 = cpuTicks(master);
                Wrk w = wrk(seconds, host);
                long cpu1 = cpuTicks(master);
                if (w.non2xx > 0) {
                    System.out.println(v.getKey() + ": " + w.non2xx + " non-2xx answers");
                }
                rps.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add(w.answered / (w.durationUs / 1e6));
                cpu.computeIfAbsent(v.getKey(), k -> new ArrayList<>()).add((cpu1 - cpu0) * 10_000.0 / w.answered);
                run("nginx", "-c", c.toString(), "-s", "quit");
                awaitGone(master);
            }
        }
        double staticRps = median(rps.get("static"));
        double staticCpu = median(cpu.get("static"));
        System.out.printf("%-30s %9s %7s %10s %7s %14s  %s%n", "variant", "req/s", "x static", "CPU us/req", "x static",
                "CPU delta (us)", "req/s of each rep");
        for (Map.Entry<String, Variant> e : variants.entrySet()) {
            String v = e.getKey();
            String against = e.getValue().against();
            String delta = against == null || !cpu.containsKey(against) ? "" : String.format("%+.1f vs %s", median(cpu.get(v)) - median(cpu.get(against)), against);
            System.out.printf("%-30s %9.0f %7.2f %10.1f %7.2f   %s  %s%n", v, median(rps.get(v)), median(rps.get(v)) / staticRps,
                    median(cpu.get(v)), median(cpu.get(v)) / staticCpu, delta,
                    rps.get(v).stream().map(x -> String.format("%.0f", x)).toList());
        }
        System.out.printf("(CPU delta: this variant's CPU per request minus that of the one named; a stub or a removal "
                + "cheaper by x us prices the removed part at x us. Load average after: %s)%n", loadAverage());
    }

    static String key(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "");
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "?";
        }
    }

    /** (4) Time to apply a change (a response header of one service) with 10 … 10,000 services, no reload. */
    void size() throws Exception {
        startDriver("auto");
        System.out.println("\n== (4) apply a change by number of services (render, check, push routes and peers; no reload)");
        for (int n : new int[] {10, 100, 1000, 10_000}) {
            long t0 = System.nanoTime();
            apply(spec(n, 0, false, UPSTREAMS[0]));
            long first = System.nanoTime() - t0;
            List<Long> applies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t1 = System.nanoTime();
                apply(spec(n, 0, i % 2 == 0, UPSTREAMS[0]));
                applies.add(System.nanoTime() - t1);
            }
            long t2 = System.nanoTime();
            while (!get("bench" + (n - 1) + ".test").startsWith("u")) {
                Thread.onSpinWait();
            }
            System.out.printf("%6d services: a change %.0f ms (median of 5), first apply %d ms, routes document %d KB, "
                    + "first request after it %.0f ms (workers compile the routes), reloads %d%n", n, pct(applies, 50),
                    first / 1_000_000, Files.size(work.resolve("driver/routes.json")) / 1024, (System.nanoTime() - t2) / 1e6,
                    driver.status().path("nginx").path("reloads").asLong());
        }
        stopDriver();
    }

    /** Old scenario names. */
    void changes() throws Exception {
        live();
    }

    void reload() throws Exception {
        size();
    }

    record Pem(String cert, String key) {
    }

    Pem pem(String cn) throws Exception {
        Path key = work.resolve(cn + ".key");
        Path crt = work.resolve(cn + ".crt");
        run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                "-subj", "/CN=" + cn, "-days", "2", "-keyout", key.toString(), "-out", crt.toString());
        return new Pem(Files.readString(crt), Files.readString(key));
    }

    Set<Long> processes() {
        Set<Long> out = new java.util.TreeSet<>();
        long master = driver.status().path("nginx").path("pid").asLong();
        out.add(master);
        ProcessHandle.of(master).ifPresent(h -> h.children().forEach(c -> out.add(c.pid())));
        return out;
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * Paced keep-alive load: each connection sends one request at a time on a fixed schedule (rate / connections
     * per second), counts sent, answered (any complete response) and non-2xx; a request without a response
     * (connection closed, reset, timeout) is lost; the connection is opened again. {@link #stop} stops sending
     * and waits for the requests in flight, so sent − answered is what was lost.
     */
    static final class Paced {
        /**
         * @param reconnects        connections the server closed while idle (FIN seen before a request) or broke
         * @param closedAfterAnswer connections closed after an answer that said {@code Connection: close}
         */
        record Result(long sent, long answered, long non2xx, long reconnects, long closedAfterAnswer) {
        }

        private final List<Thread> threads = new ArrayList<>();
        private final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong non2xx = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong reconnects = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicLong closedAfterAnswer = new java.util.concurrent.atomic.AtomicLong();
        private volatile boolean running = true;

        Paced(int port, String host, int rate, int connections) {
            long interval = 1_000_000_000L * connections / rate;
            byte[] request = ("GET /load HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: fleetgate-bench\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            for (int c = 0; c < connections; c++) {
                long offset = interval * c / connections;
                Thread t = new Thread(() -> {
                    long next = System.nanoTime() + offset;
                    while (running) {
                        try (Socket s = new Socket()) {
                            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                            s.setSoTimeout(10_000);
                            s.setTcpNoDelay(true);
                            OutputStream out = s.getOutputStream();
                            java.io.InputStream in = new java.io.BufferedInputStream(s.getInputStream());
                            boolean[] close = new boolean[1];
                            while (running) {
                                long wait = next - System.nanoTime();
                                if (wait > 0) {
                                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                                }
                                next += interval;
                                if (!running) {
                                    break;
                                }
                                if (closedByServer(s, in)) {
                                    // as HTTP clients do: a kept-alive connection the server closed is not reused
                                    reconnects.incrementAndGet();
                                    next -= interval;
                                    break;
                                }
                                sent.incrementAndGet();
                                out.write(request);
                                out.flush();
                                int status = response(in, close);
                                answered.incrementAndGet();
                                if (status < 200 || status > 299) {
                                    non2xx.incrementAndGet();
                                }
                                if (close[0]) {
                                    // the answer said "Connection: close": no further request on this connection
                                    closedAfterAnswer.incrementAndGet();
                                    break;
                                }
                            }
                        } catch (IOException e) {
                            reconnects.incrementAndGet();
                        }
                    }
                }, "paced-" + c);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        Result stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(20_000);
            }
            return new Result(sent.get(), answered.get(), non2xx.get(), reconnects.get(), closedAfterAnswer.get());
        }

        /** @return whether the server closed the idle connection (its FIN arrived), waiting at most 1 ms */
        static boolean closedByServer(Socket s, java.io.InputStream in) throws IOException {
            s.setSoTimeout(1);
            try {
                in.mark(1);
                int b = in.read();
                if (b < 0) {
                    return true;
                }
                in.reset();
                return false;
            } catch (java.net.SocketTimeoutException alive) {
                return false;
            } finally {
                s.setSoTimeout(10_000);
            }
        }

        static int response(java.io.InputStream in, boolean[] close) throws IOException {
            String status = line(in);
            if (!status.startsWith("HTTP/1.1 ")) {
                throw new IOException("bad status line " + status);
            }
            long length = 0;
            boolean chunked = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String l = h.toLowerCase(java.util.Locale.ROOT);
                if (l.startsWith("content-length:")) {
                    length = Long.parseLong(l.substring(15).trim());
                } else if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                    chunked = true;
                } else if (l.startsWith("connection:") && l.contains("close")) {
                    close[0] = true;
                }
            }
            if (chunked) {
                for (long size = Long.parseLong(line(in).trim(), 16); size > 0; size = Long.parseLong(line(in).trim(), 16)) {
                    in.readNBytes((int) size);
                    line(in);
                }
                line(in);
            } else if (length > 0 && in.readNBytes((int) length).length < length) {
                throw new IOException("short body");
            }
            return Integer.parseInt(status.substring(9, 12));
        }

        static String line(java.io.InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("closed");
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }
    }

    // ---- helpers -----------------------------------------------------------------------------------------

    void startDriver(String workers) throws IOException {
        NginxSettings s = NginxSettings.builder().nginxBinary("/usr/sbin/nginx").httpPort(HTTP).httpsPort(HTTPS)
                .listenAddress("127.0.0.1").adminPort(ADMIN).workDir(work.resolve("driver")).workerProcesses(workers)
                .workerConnections(4096)
                .luaModules(List.of("/usr/lib/nginx/modules/ndk_http_module.so", "/usr/lib/nginx/modules/ngx_http_lua_module.so"))
                .luaPackagePath("").peersDictSize("64m").healthCheckThreads(2).accessLogMaxBytes(0).accessLogPollMillis(500)
                .build();
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
        boolean lua = variant.startsWith("lua-minimal");
        String access = variant.equals("lua-minimal-access") ? "            access_by_lua_block { }\n" : "";
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
                // the generated configuration's access log, field for field
                + "    map $request_uri $fleetgate_path {\n        \"~^(?<fleetgate_p>[^?]*)\" $fleetgate_p;\n"
                + "        default $request_uri;\n    }\n"
                + "    log_format json escape=json '{\"time\":$msec,\"service\":\"$fleetgate_service\",\"client\":\"$remote_addr\","
                + "\"method\":\"$request_method\",\"host\":\"$host\",\"path\":\"$fleetgate_path\","
                + "\"query\":\"$args\",\"status\":$status,"
                + "\"bytes\":$bytes_sent,\"requestTime\":$request_time,\"upstreamTime\":\"$upstream_response_time\","
                + "\"upstream\":\"$upstream_addr\",\"userAgent\":\"$http_user_agent\"}';\n"
                + "    access_log " + dir + "/logs/access.log json buffer=64k flush=1s;\n" + upstream
                + "    server {\n        listen 127.0.0.1:" + HTTP + ";\n        server_name bench0.test;\n"
                + "        set $fleetgate_service \"bench-0\";\n"
                + "        location / {\n" + access + "            proxy_http_version 1.1;\n"
                + "            proxy_set_header Connection \"\";\n"
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
