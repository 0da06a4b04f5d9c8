package dev.fleetgate.itests;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Not a test: the pages module's figures through a real core (REST) and a real agent with nginx, on loopback
 * (bench/run-pages.sh, bench/README.md).
 *
 * <ol>
 * <li>Page change → served: {@code PUT /services/{id}/pages/503} with a new body, then one keep-alive client asks
 * the agent's nginx for the service (no healthy target: the 503 page) every 2 ms until the new body is served.
 * p50/p99/max over {@code --changes} changes (also the PUT alone).</li>
 * <li>Maintenance switches under load: {@code --clients} keep-alive clients from 127.0.0.1 (expect 200 or 503) and
 * one from the allowlisted 127.0.0.2 (expects 200 only) send requests back to back while maintenance is switched on
 * and off {@code --switches} times (each switch waits until it is served). Prints requests, failed requests
 * (connection error, reset, incomplete answer) and unexpected statuses, per client kind.</li>
 * </ol>
 *
 * <pre>java -cp ... dev.fleetgate.itests.PagesBench [--ports 22540] [--changes 50] [--clients 8] [--switches 10]</pre>
 */
public final class PagesBench {
    private static final String SHOP = "shop.bench.test";
    private static final String DOWN = "down.bench.test";

    private PagesBench() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            a.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        int base = Integer.parseInt(a.getOrDefault("ports", "22540"));
        int changes = Integer.parseInt(a.getOrDefault("changes", "50"));
        int clients = Integer.parseInt(a.getOrDefault("clients", "8"));
        int switches = Integer.parseInt(a.getOrDefault("switches", "10"));
        int http = base + 10;
        Path work = Files.createTempDirectory("fleetgate-pages-bench");
        TestDatabase db = TestDatabase.create();
        CoreProcess core = null;
        AgentProcess agent = null;
        HttpServer upstream = null;
        ExecutorService upstreamThreads = Executors.newFixedThreadPool(4);
        try {
            core = CoreProcess.install(work, base, db, Map.of("syncIntervalSeconds", "5"));
            System.out.printf("core started in %s%n", core.start());
            Api admin = core.admin();
            agent = new AgentProcess(work);
            agent.proxyPorts(http, base + 11, base + 12);
            upstream = HttpServer.create(new InetSocketAddress("127.0.0.1", base + 15), 256);
            upstream.setExecutor(upstreamThreads);
            upstream.createContext("/", exchange -> {
                exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
                byte[] body = "A".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            upstream.start();
            String agentId = agent.enrol(admin, core.url(), "pages-bench", Duration.ofSeconds(60));
            String shopId = admin.post("/api/v1/services", service(agentId, "shop", SHOP, base + 15))
                    .expect(201)
                    .body()
                    .get("id")
                    .asText();
            String downId = admin.post("/api/v1/services", service(agentId, "down", DOWN, base + 16))
                    .expect(201)
                    .body()
                    .get("id")
                    .asText();
            Processes.await(
                    "the pages endpoints",
                    Duration.ofSeconds(60),
                    () -> admin.get("/api/v1/services/" + shopId + "/maintenance")
                                    .status()
                            == 200);
            try (Client probe = new Client("127.0.0.1", http, SHOP)) {
                Processes.await("shop served", Duration.ofSeconds(60), () -> probe.status() == 200);
            }
            try (Client probe = new Client("127.0.0.1", http, DOWN)) {
                Processes.await("down's 503 page", Duration.ofSeconds(60), () -> probe.status() == 503);
            }
            long master = Long.parseLong(Files.readString(work.resolve("agent-state/nginx/nginx.pid"))
                    .trim());
            pageChanges(admin, downId, http, changes);
            maintenanceUnderLoad(admin, shopId, http, clients, switches);
            long after = Long.parseLong(Files.readString(work.resolve("agent-state/nginx/nginx.pid"))
                    .trim());
            System.out.printf(
                    "nginx master before %d, after %d (%s)%n",
                    master, after, master == after ? "no restart" : "RESTARTED");
            System.out.printf(
                    "load average %s%n",
                    Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            if (agent != null) {
                agent.close();
                agent.stopNginx();
            }
            if (upstream != null) {
                upstream.stop(0);
            }
            upstreamThreads.shutdownNow();
            if (core != null) {
                core.close();
            }
            db.close();
        }
    }

    private static void pageChanges(Api admin, String downId, int http, int changes) throws Exception {
        double[] served = new double[changes];
        double[] put = new double[changes];
        try (Client c = new Client("127.0.0.1", http, DOWN)) {
            for (int i = 0; i < changes; i++) {
                String marker = "change-" + i + "-" + System.nanoTime();
                long t0 = System.nanoTime();
                admin.put(
                                "/api/v1/services/" + downId + "/pages/503",
                                Map.of("html", "<p>" + marker + " {{status}}</p>"))
                        .expect(200);
                put[i] = (System.nanoTime() - t0) / 1e6;
                until("change " + i + " served", () -> c.body().contains(marker));
                served[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "page change -> served on the agent, %d changes: p50 %.1f ms, p99 %.1f ms, max %.1f ms"
                        + " (PUT alone: p50 %.1f ms, p99 %.1f ms)%n",
                changes,
                pct(served, 50),
                pct(served, 99),
                pct(served, 100),
                pct(put, 50),
                pct(put, 99));
    }

    private static void maintenanceUnderLoad(Api admin, String shopId, int http, int clients, int switches)
            throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        Kind blocked = new Kind("127.0.0.1 (503 during maintenance)");
        Kind allowed = new Kind("127.0.0.2 (allowlisted)");
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < clients + 1; i++) {
            boolean isAllowed = i == clients;
            Kind kind = isAllowed ? allowed : blocked;
            Thread t = new Thread(
                    () -> load(kind, isAllowed ? "127.0.0.2" : "127.0.0.1", http, isAllowed, stop),
                    "pages-bench-client-" + i);
            threads.add(t);
            t.start();
        }
        double[] on = new double[switches];
        double[] off = new double[switches];
        try (Client probe = new Client("127.0.0.1", http, SHOP)) {
            Thread.sleep(1000);
            for (int i = 0; i < switches; i++) {
                ObjectNode body = Api.JSON
                        .createObjectNode()
                        .put("enabled", true)
                        .put("message", "bench")
                        .put("retryAfterSeconds", 60);
                body.putArray("allow").add("127.0.0.2");
                long t0 = System.nanoTime();
                admin.put("/api/v1/services/" + shopId + "/maintenance", body).expect(200);
                until("maintenance on", () -> probe.status() == 503);
                on[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(500);
                t0 = System.nanoTime();
                admin.put("/api/v1/services/" + shopId + "/maintenance", Map.of("enabled", false))
                        .expect(200);
                until("maintenance off", () -> probe.status() == 200);
                off[i] = (System.nanoTime() - t0) / 1e6;
                Thread.sleep(500);
            }
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf(
                Locale.ROOT,
                "maintenance switch -> served: on p50 %.1f ms, max %.1f ms; off p50 %.1f ms, max %.1f ms"
                        + " (%d switches each way)%n",
                pct(on, 50),
                pct(on, 100),
                pct(off, 50),
                pct(off, 100),
                switches);
        for (Kind k : List.of(blocked, allowed)) {
            System.out.printf(
                    "clients %s: %d requests, %d failed, %d unexpected statuses (200: %d, 503: %d)%n",
                    k.name, k.requests.get(), k.failed.get(), k.unexpected.get(), k.ok.get(), k.unavailable.get());
        }
        long failed = blocked.failed.get() + allowed.failed.get();
        long unexpected = blocked.unexpected.get() + allowed.unexpected.get();
        System.out.printf(
                "pages_maintenance_requests=%d failed=%d unexpected=%d%n",
                blocked.requests.get() + allowed.requests.get(), failed, unexpected);
    }

    private static void load(Kind kind, String from, int http, boolean allowed, AtomicBoolean stop) {
        Client c = null;
        while (!stop.get()) {
            try {
                if (c == null) {
                    c = new Client(from, http, SHOP);
                }
                int status = c.request().status;
                kind.requests.incrementAndGet();
                if (status == 200) {
                    kind.ok.incrementAndGet();
                } else if (status == 503) {
                    kind.unavailable.incrementAndGet();
                }
                if (status != 200 && (allowed || status != 503)) {
                    kind.unexpected.incrementAndGet();
                }
            } catch (IOException | RuntimeException e) {
                kind.requests.incrementAndGet();
                kind.failed.incrementAndGet();
                if (c != null) {
                    c.close();
                }
                c = null;
            }
        }
        if (c != null) {
            c.close();
        }
    }

    /** Polls every 2 ms (the figures' resolution); fails after 60 s. */
    private static void until(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(what + ": not within 60 s");
            }
            Thread.sleep(2);
        }
    }

    private static final class Kind {
        final String name;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicLong unexpected = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final AtomicLong unavailable = new AtomicLong();

        Kind(String name) {
            this.name = name;
        }
    }

    private static double pct(double[] values, int p) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (v.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * v.length) - 1;
        return v[Math.max(0, Math.min(v.length - 1, i))];
    }

    private static ObjectNode service(String agentId, String name, String host, int port) {
        return Services.proxied(agentId, name, host, port);
    }

    private record Reply(int status, String body) {}

    /**
     * One HTTP/1.1 keep-alive connection from a given loopback address with a given Host (java.net.http can set
     * neither); reconnects when the server closes it.
     */
    private static final class Client implements AutoCloseable {
        private final String from;
        private final int port;
        private final byte[] request;
        private Socket socket;
        private InputStream in;
        private OutputStream out;

        Client(String from, int port, String host) {
            this.from = from;
            this.port = port;
            this.request = ("GET / HTTP/1.1\r\nHost: " + host
                            + "\r\nAccept: text/html\r\nUser-Agent: pages-bench\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
        }

        int status() {
            try {
                return request().status;
            } catch (IOException e) {
                close();
                return -1;
            }
        }

        String body() {
            try {
                return request().body;
            } catch (IOException e) {
                close();
                return "";
            }
        }

        Reply request() throws IOException {
            if (socket == null) {
                socket = new Socket();
                socket.bind(new InetSocketAddress(from, 0));
                socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
                socket.setSoTimeout(10_000);
                socket.setTcpNoDelay(true);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }
            out.write(request);
            out.flush();
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean closes = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    closes = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (long n = Long.parseLong(line().split(";")[0].trim(), 16);
                        n > 0;
                        n = Long.parseLong(line().split(";")[0].trim(), 16)) {
                    copy(n, body);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                copy(length, body);
            } else {
                throw new IOException("an answer without a length on a keep-alive connection");
            }
            if (closes) {
                close();
            }
            return new Reply(status, body.toString(StandardCharsets.UTF_8));
        }

        private void copy(long n, ByteArrayOutputStream to) throws IOException {
            byte[] buf = new byte[8192];
            while (n > 0) {
                int r = in.read(buf, 0, (int) Math.min(buf.length, n));
                if (r < 0) {
                    throw new IOException("connection closed in the body");
                }
                to.write(buf, 0, r);
                n -= r;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // closing anyway
                }
                socket = null;
            }
        }
    }
}
