package dev.fleetgate.agent.metrics.internal.nginx;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.fleetgate.agent.metrics.internal.Emitter;

/** nginx's {@code stub_status} page on the driver's loopback admin port: connections and request rate. */
public final class StubStatus {

    /** Parsed page. */
    public record Counters(
            long active, long accepts, long handled, long requests, long reading, long writing, long waiting) {}

    private static final Pattern PAGE = Pattern.compile(
            "Active connections:\\s*(\\d+)\\s+server accepts handled requests\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+"
                    + "Reading:\\s*(\\d+)\\s+Writing:\\s*(\\d+)\\s+Waiting:\\s*(\\d+)");

    private final int port;
    private Counters last;
    private long lastNanos;
    private volatile String lastError;

    public StubStatus(int port) {
        this.port = port;
    }

    public static Counters parse(String page) {
        Matcher m = PAGE.matcher(page);
        if (!m.find()) {
            throw new IllegalArgumentException("not a stub_status page");
        }
        return new Counters(
                Long.parseLong(m.group(1)),
                Long.parseLong(m.group(2)),
                Long.parseLong(m.group(3)),
                Long.parseLong(m.group(4)),
                Long.parseLong(m.group(5)),
                Long.parseLong(m.group(6)),
                Long.parseLong(m.group(7)));
    }

    public String lastError() {
        return lastError;
    }

    public void collect(Emitter out, long nanos) {
        Counters c;
        try {
            c = parse(fetch());
            lastError = null;
        } catch (IOException | RuntimeException e) {
            lastError = "nginx stub_status on 127.0.0.1:" + port + ": " + e.getMessage();
            last = null;
            return;
        }
        out.emit("nginx_connections", Map.of("state", "active"), c.active());
        out.emit("nginx_connections", Map.of("state", "reading"), c.reading());
        out.emit("nginx_connections", Map.of("state", "writing"), c.writing());
        out.emit("nginx_connections", Map.of("state", "waiting"), c.waiting());
        Counters before = last;
        double seconds = (nanos - lastNanos) / 1e9;
        last = c;
        lastNanos = nanos;
        if (before != null && seconds > 0 && c.accepts() >= before.accepts() && c.requests() >= before.requests()) {
            out.emit("nginx_connections_accepted_per_second", (c.accepts() - before.accepts()) / seconds);
            out.emit(
                    "nginx_connections_dropped_per_second",
                    Math.max(0, (c.accepts() - c.handled()) - (before.accepts() - before.handled())) / seconds);
            out.emit("nginx_requests_per_second", (c.requests() - before.requests()) / seconds);
        }
    }

    private String fetch() throws IOException {
        HttpURLConnection connection =
                (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/nginx_status").openConnection();
        connection.setConnectTimeout(1_000);
        connection.setReadTimeout(2_000);
        try {
            if (connection.getResponseCode() != 200) {
                throw new IOException("HTTP " + connection.getResponseCode());
            }
            try (InputStream in = connection.getInputStream()) {
                return new String(in.readNBytes(4096), StandardCharsets.US_ASCII);
            }
        } finally {
            connection.disconnect();
        }
    }
}
