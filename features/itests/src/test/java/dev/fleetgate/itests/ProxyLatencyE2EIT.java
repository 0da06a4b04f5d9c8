package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

/**
 * Issue 11's figure end to end: from the moment the core's REST call RETURNS until the agent's nginx serves the
 * new routing, for a target change (PUT /services/{id}) and a new service (POST /services), measured while a
 * paced keep-alive load runs through the same nginx (sent vs answered counted, sending stopped before the end so
 * nothing is in flight; 0 failed requests asserted). Timings are printed as {@code FIGURE} lines, never asserted.
 * Runs on the shared {@link Fleet}; upstreams on 23050–23053; everything it creates is deleted.
 */
@ExtendWith(SharedFleet.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProxyLatencyE2EIT {
    private static final int HTTP = Fleet.PROXY_HTTP;
    private static final int PORT_A = 23050;
    private static final int PORT_B = 23051;
    private static final int PORT_LOAD = 23052;
    private static final int PORT_NEW = 23053;
    private static final int LOAD_THREADS = 8;
    /** Per connection: 8 × 100 = ~800 requests per second in total. */
    private static final int LOAD_RATE_PER_THREAD = 100;

    private static final int ROUNDS = 20;
    private static final long POLL_NANOS = Duration.ofMillis(5).toNanos();
    private static final Duration SERVED_WITHIN = Duration.ofSeconds(30);

    static {
        // the JDK server writes the headers and the body apart: with Nagle on, nginx's keep-alive upstream
        // connection waits for the delayed ACK (~40 ms) on every request. Read once, by the first HttpServer
        // of the JVM: when another class started one before, the load is slower but still counted.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private Fleet fleet;
    private Api admin;
    private final List<HttpServer> upstreams = new ArrayList<>();
    private final List<String> created = new ArrayList<>();

    @BeforeAll
    void start(Fleet fleet) throws IOException {
        this.fleet = fleet;
        admin = fleet.admin();
        upstreams.add(upstream("A", PORT_A));
        upstreams.add(upstream("B", PORT_B));
        upstreams.add(upstream("L", PORT_LOAD));
        upstreams.add(upstream("N", PORT_NEW));
    }

    @AfterAll
    void stop() {
        try {
            for (String id : created) {
                int status = admin.delete("/api/v1/services/" + id).status();
                assertTrue(status == 204 || status == 404, "DELETE " + id + " answered " + status);
            }
        } finally {
            upstreams.forEach(s -> s.stop(0));
        }
    }

    @Test
    void routingChangesAreServedSoonAfterTheApiCallReturnsUnderLoadWithoutLosingARequest() throws Exception {
        String loadName = fleet.unique("latency-load");
        String loadHost = loadName + ".e2e.test";
        create(loadName, loadHost, PORT_LOAD);
        awaitServed(loadHost, "L");
        String switchName = fleet.unique("latency-switch");
        String switchHost = switchName + ".e2e.test";
        String switchId = create(switchName, switchHost, PORT_A);
        awaitServed(switchHost, "A");

        Load load = new Load(loadHost);
        load.start();
        List<Long> targetChange = new ArrayList<>();
        List<Long> newService = new ArrayList<>();
        try {
            // let the load reach its pace before the first measurement
            Thread.sleep(1_000);
            for (int round = 0; round < ROUNDS; round++) {
                boolean toB = round % 2 == 0;
                admin.put("/api/v1/services/" + switchId, service(switchName, switchHost, toB ? PORT_B : PORT_A))
                        .expect(200);
                long returned = System.nanoTime();
                targetChange.add(servedAfter(returned, switchHost, toB ? "B" : "A"));
                Thread.sleep(100);
            }
            for (int i = 0; i < ROUNDS; i++) {
                String name = fleet.unique("latency-new");
                String host = name + ".e2e.test";
                assertEquals(404, get(host).status(), "a domain not created yet is unknown to nginx");
                String id = admin.post("/api/v1/services", service(name, host, PORT_NEW))
                        .expect(201)
                        .body()
                        .get("id")
                        .asText();
                long returned = System.nanoTime();
                created.add(id);
                newService.add(servedAfter(returned, host, "N"));
                Thread.sleep(100);
            }
            // the load keeps running for a while after the last change
            Thread.sleep(1_000);
        } finally {
            load.stop();
        }
        System.out.println(figure("target change", targetChange));
        System.out.println(figure("new service", newService));
        System.out.printf(
                Locale.ROOT,
                "FIGURE proxy-api-to-served: load %d keep-alive connections, sent=%d answered=%d failed=%d in %.1f s"
                        + " (%.0f req/s)%n",
                LOAD_THREADS,
                load.sent.get(),
                load.answered.get(),
                load.failed.get(),
                load.seconds(),
                load.answered.get() / load.seconds());
        assertEquals(0, load.failed.get(), "failed requests under the load; first failure: " + load.firstFailure);
        assertEquals(load.sent.get(), load.answered.get(), "every request sent was answered");
        assertTrue(load.answered.get() > 0, "the load ran");
    }

    /** POSTs a service and remembers it for the clean-up; returns its id. */
    private String create(String name, String host, int port) {
        String id = admin.post("/api/v1/services", service(name, host, port))
                .expect(201)
                .body()
                .get("id")
                .asText();
        created.add(id);
        return id;
    }

    private void awaitServed(String host, String body) {
        Processes.await(
                host + " served by " + body,
                SERVED_WITHIN,
                () -> body.equals(get(host).body()));
    }

    /** Polls nginx every ~5 ms until {@code host} answers 200 {@code body}; the nanoseconds since {@code since}. */
    private static long servedAfter(long since, String host, String body) {
        long deadline = since + SERVED_WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            long poll = System.nanoTime();
            ProxyClient.Reply r = get(host);
            if (r.status() == 200 && body.equals(r.body())) {
                return System.nanoTime() - since;
            }
            LockSupport.parkNanos(POLL_NANOS - (System.nanoTime() - poll));
        }
        throw new AssertionError(host + " not served by " + body + " within " + SERVED_WITHIN + ": " + get(host));
    }

    private static String figure(String what, List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return String.format(
                Locale.ROOT,
                "FIGURE proxy-api-to-served: %s p50=%.1f ms p99=%.1f ms max=%.1f ms n=%d",
                what,
                percentile(sorted, 0.50) / 1e6,
                percentile(sorted, 0.99) / 1e6,
                sorted.get(sorted.size() - 1) / 1e6,
                sorted.size());
    }

    /** Nearest rank. */
    private static long percentile(List<Long> sorted, double q) {
        int rank = (int) Math.ceil(q * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    private ObjectNode service(String name, String host, int port) {
        return Services.unchecked(name, List.of(host), List.of(fleet.agentId()), port); // weight: the default 1
    }

    /**
     * Paced GETs over {@value #LOAD_THREADS} keep-alive connections through nginx. {@link #stop()} stops sending
     * and waits for every request in flight to be answered, so sent and answered can be compared.
     */
    private static final class Load {
        private final String host;
        private final AtomicBoolean sending = new AtomicBoolean(true);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong answered = new AtomicLong();
        private final AtomicLong failed = new AtomicLong();
        private final List<Thread> threads = new ArrayList<>();
        private volatile String firstFailure;
        private long started;
        private long stopped;

        Load(String host) {
            this.host = host;
        }

        void start() {
            started = System.nanoTime();
            for (int i = 0; i < LOAD_THREADS; i++) {
                Thread t = new Thread(this::run, "latency-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        void stop() throws InterruptedException {
            sending.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
            stopped = System.nanoTime();
        }

        double seconds() {
            return (stopped - started) / 1e9;
        }

        private void run() {
            long period = 1_000_000_000L / LOAD_RATE_PER_THREAD;
            long next = System.nanoTime();
            byte[] request = ("GET /load HTTP/1.1\r\nHost: " + host + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            Socket socket = null;
            try {
                while (sending.get()) {
                    LockSupport.parkNanos(next - System.nanoTime());
                    next += period;
                    try {
                        if (socket == null) {
                            socket = new Socket();
                            socket.connect(new InetSocketAddress("127.0.0.1", HTTP), 2000);
                            socket.setSoTimeout(10_000);
                        }
                        sent.incrementAndGet();
                        socket.getOutputStream().write(request);
                        String answer = readResponse(socket.getInputStream());
                        if (!answer.startsWith("200 ") || !answer.endsWith("\nL")) {
                            throw new IOException("answered " + answer);
                        }
                        answered.incrementAndGet();
                    } catch (IOException | RuntimeException e) {
                        failed.incrementAndGet();
                        if (firstFailure == null) {
                            firstFailure = e.toString();
                        }
                        close(socket);
                        socket = null;
                    }
                }
            } finally {
                close(socket);
            }
        }

        private static void close(Socket socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing a connection that failed
                }
            }
        }

        /** Reads one HTTP/1.1 response (Content-Length or chunked): {@code "<status> ...\n<body>"}. */
        private static String readResponse(InputStream in) throws IOException {
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2) {
                throw new IOException("no status line: " + status);
            }
            int length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String h = line(in); !h.isEmpty(); h = line(in)) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                        size > 0;
                        size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
                    body.write(in.readNBytes(size));
                    line(in);
                }
                line(in);
            } else if (length >= 0) {
                body.write(in.readNBytes(length));
            } else {
                throw new IOException("no length on a keep-alive response: " + status);
            }
            if (close) {
                throw new IOException("nginx closed the keep-alive connection: " + status);
            }
            return parts[1] + " \n" + body.toString(StandardCharsets.UTF_8);
        }

        private static String line(InputStream in) throws IOException {
            StringBuilder s = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed by nginx");
                }
                if (c != '\r') {
                    s.append((char) c);
                }
            }
            return s.toString();
        }
    }

    private static ProxyClient.Reply get(String host) {
        return ProxyClient.get(HTTP, host, "/");
    }

    private static HttpServer upstream(String name, int port) throws IOException {
        return Services.upstream(port, 256, 4, exchange -> name);
    }
}
