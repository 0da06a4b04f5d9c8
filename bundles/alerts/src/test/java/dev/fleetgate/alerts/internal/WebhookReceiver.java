package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/** A local HTTP endpoint recording webhook calls; answers {@code status} (or 500 for the first {@code failures}). */
final class WebhookReceiver implements AutoCloseable {
    record Call(String body, String signature, String event) {}

    final List<Call> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger failures = new AtomicInteger();
    volatile int status = 204;
    private final HttpServer server;

    WebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int s = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : status;
            if (s < 300) {
                calls.add(new Call(
                        body,
                        ex.getRequestHeaders().getFirst("X-Fleetgate-Signature"),
                        ex.getRequestHeaders().getFirst("X-Fleetgate-Event")));
            }
            ex.sendResponseHeaders(s, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
