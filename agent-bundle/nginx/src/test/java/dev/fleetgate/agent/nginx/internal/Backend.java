package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** An upstream for tests: answers its name on every path (and 200 on /health), counts requests; echoes the
 * X-Forwarded-Proto it got in X-Seen-Forwarded-Proto. */
final class Backend implements AutoCloseable {
    final String name;
    final int port;
    final AtomicInteger requests = new AtomicInteger();
    /** whether /health answers 200 (else 503) */
    volatile boolean healthy = true;

    private HttpServer server;
    private ExecutorService executor;

    Backend(String name, int port) throws IOException {
        this.name = name;
        this.port = port;
        start();
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
        executor = Executors.newFixedThreadPool(4);
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().transferTo(java.io.OutputStream.nullOutputStream());
            boolean health = exchange.getRequestURI().getPath().equals("/health");
            if (!health) {
                requests.incrementAndGet();
            }
            byte[] body = name.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Backend", name);
            String proto = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto");
            exchange.getResponseHeaders().add("X-Seen-Forwarded-Proto", proto == null ? "-" : proto);
            exchange.sendResponseHeaders(health && !healthy ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
