package dev.fleetgate.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Plain GETs through an agent's nginx with a {@code Host} header (java.net.http refuses to set Host), each on its own
 * HTTP/1.0 connection, and a load of such GETs.
 */
public final class ProxyClient {
    private ProxyClient() {}

    /**
     * An answer: status (-1 when none came), head (status line and headers), body, and the time from connecting to
     * the whole answer. When no answer came the body holds the error.
     */
    public record Reply(int status, String headers, String body, long millis) {
        /** The value of the header {@code name} (case-insensitive), "" when absent. */
        public String header(String name) {
            for (String line : headers.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return "";
        }

        /** The replica that answered ({@code X-Replica} of the demo image), null when none said. */
        public String replica() {
            String replica = header("X-Replica");
            return replica.isEmpty() ? null : replica;
        }

        /** Head and body as they came. */
        public String text() {
            return headers.isEmpty() ? body : headers + "\r\n\r\n" + body;
        }
    }

    /** GET {@code path} from 127.0.0.1 to nginx on 127.0.0.1:{@code port}, waiting at most 10 s for the answer. */
    public static Reply get(int port, String host, String path) {
        return get(port, "127.0.0.1", host, path, "", Duration.ofSeconds(10));
    }

    /**
     * GET {@code path} to nginx on 127.0.0.1:{@code port} from the loopback address {@code from}, with extra header
     * lines ({@code "Name: value\r\n"} each, or ""), waiting at most {@code timeout} for the answer.
     */
    public static Reply get(int port, String from, String host, String path, String extraHeaders, Duration timeout) {
        long t0 = System.nanoTime();
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(("GET " + path + " HTTP/1.0\r\nHost: " + host + "\r\n" + extraHeaders + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            s.getInputStream().transferTo(all);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            return new Reply(
                    Integer.parseInt(text.split(" ", 3)[1]),
                    end < 0 ? text : text.substring(0, end),
                    end < 0 ? "" : text.substring(end + 4),
                    millis);
        } catch (IOException | RuntimeException e) {
            return new Reply(-1, "", e.toString(), (System.nanoTime() - t0) / 1_000_000);
        }
    }

    /** Clients sending one request after the other without pause: counts the 200s, the replicas seen, the failures. */
    public static final class Load implements AutoCloseable {
        public final AtomicLong ok = new AtomicLong();
        public final Set<String> seen = ConcurrentHashMap.newKeySet();
        private final List<String> failures = new ArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        public Load(int clients, Supplier<Reply> request) {
            for (int i = 0; i < clients; i++) {
                Thread t = new Thread(() -> run(request), "e2e-load-" + i);
                t.setDaemon(true);
                threads.add(t);
                t.start();
            }
        }

        private void run(Supplier<Reply> request) {
            while (running.get()) {
                Reply r = request.get();
                if (r.status() == 200) {
                    ok.incrementAndGet();
                    if (r.replica() != null) {
                        seen.add(r.replica());
                    }
                } else {
                    synchronized (failures) {
                        failures.add(r.status() + " " + r.body().strip());
                    }
                }
            }
        }

        public List<String> failures() {
            synchronized (failures) {
                return List.copyOf(failures);
            }
        }

        /** Stops the clients and waits for their last requests. */
        public void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join(30_000);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop();
        }
    }
}
