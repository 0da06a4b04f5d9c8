package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * The API while PostgreSQL is unreachable: a real core reaches the real database through a TCP relay the test cuts
 * (connections reset, new ones refused, as when PostgreSQL stops). Requests then answer 503 problem+json instead of
 * hanging (they hung > 30 s before), health says the database is DOWN, and the core recovers by itself once the
 * relay is back. The answer times are printed as figures, not asserted.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DatabaseOutageE2EIT {
    private static final int PORTS = 20550; // http, ssh, rmi registry, rmi server, https
    private static final int RELAY = 20560;

    private TestDatabase db;
    private CoreProcess core;
    private Relay relay;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    void start() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("outage-" + System.currentTimeMillis()));
        db = TestDatabase.create();
        URI pg = URI.create(db.jdbcUrl().substring("jdbc:".length()));
        relay = new Relay(RELAY, pg.getHost(), pg.getPort());
        relay.open();
        core = CoreProcess.install(work, PORTS, db, Map.of());
        Path cfg = core.home().resolve("etc/org.ops4j.datasource-fleetgate.cfg");
        String text = Files.readString(cfg);
        String relayed = text.replace(pg.getHost() + ":" + pg.getPort() + "/", "127.0.0.1:" + RELAY + "/");
        assertTrue(!relayed.equals(text), "the core's database URL goes through the relay: " + text);
        Files.writeString(cfg, relayed);
        core.start();
    }

    @AfterAll
    void stop() {
        if (core != null) {
            core.close();
        }
        if (relay != null) {
            relay.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theApiAnswers503WhileTheDatabaseIsDownAndRecovers() throws Exception {
        Api admin = core.admin();
        admin.get("/api/v1/services").expect(200);

        relay.cut();
        try {
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                HttpResponse<String> r = send(admin, "/api/v1/services");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                System.out.println("database down: GET /api/v1/services -> " + r.statusCode() + " in " + ms + " ms");
                assertEquals(503, r.statusCode(), r.body());
                assertTrue(
                        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
                        r.headers().toString());
                assertTrue(r.headers().firstValue("Retry-After").isPresent(), "Retry-After");
            }
            long t0 = System.nanoTime();
            HttpResponse<String> health = send(null, "/api/v1/health");
            System.out.println("database down: GET /api/v1/health -> " + health.statusCode() + " in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms: " + health.body());
            assertEquals(503, health.statusCode(), health.body());
            assertEquals(
                    "DOWN", Api.JSON.readTree(health.body()).path("database").asText(), health.body());
        } finally {
            relay.open();
        }

        long t0 = System.nanoTime();
        int status = 0;
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            status = send(admin, "/api/v1/services").statusCode();
            if (status == 200) {
                break;
            }
            Thread.sleep(250);
        }
        assertEquals(200, status, "the core recovers by itself once the database is back");
        System.out.println("database back: first 200 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertEquals(200, send(null, "/api/v1/health").statusCode());
    }

    /** A request with a 10 s deadline: a hang fails the test instead of stalling it. */
    private HttpResponse<String> send(Api api, String path) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(core.url() + path))
                .timeout(Duration.ofSeconds(10))
                .GET();
        if (api != null) {
            b.header("Authorization", "Bearer " + api.token());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** A TCP relay on loopback to PostgreSQL that can be cut (every connection reset, new ones refused) and reopened. */
    static final class Relay implements AutoCloseable {
        private final int port;
        private final String host;
        private final int target;
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private volatile ServerSocket server;

        Relay(int port, String host, int target) {
            this.port = port;
            this.host = host;
            this.target = target;
        }

        synchronized void open() throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            server = s;
            Thread t = new Thread(() -> accept(s), "pg-relay");
            t.setDaemon(true);
            t.start();
        }

        private void accept(ServerSocket s) {
            while (!s.isClosed()) {
                try {
                    Socket client = s.accept();
                    Socket upstream = new Socket(host, target);
                    sockets.add(client);
                    sockets.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // closed by cut() or close()
                }
            }
        }

        private void pump(Socket from, Socket to) {
            Thread t = new Thread(
                    () -> {
                        byte[] buf = new byte[16384];
                        try (InputStream in = from.getInputStream();
                                OutputStream out = to.getOutputStream()) {
                            int n;
                            while ((n = in.read(buf)) >= 0) {
                                out.write(buf, 0, n);
                            }
                        } catch (IOException e) {
                            // a side closed
                        } finally {
                            closeQuietly(from);
                            closeQuietly(to);
                        }
                    },
                    "pg-relay-pump");
            t.setDaemon(true);
            t.start();
        }

        synchronized void cut() {
            closeQuietly(server);
            for (Socket s : sockets) {
                try {
                    s.setSoLinger(true, 0); // reset, as a stopped server's host does
                } catch (IOException e) {
                    // already closed
                }
                closeQuietly(s);
            }
            sockets.clear();
        }

        @Override
        public void close() {
            cut();
        }

        private static void closeQuietly(AutoCloseable c) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // nothing to do
            }
        }
    }
}
