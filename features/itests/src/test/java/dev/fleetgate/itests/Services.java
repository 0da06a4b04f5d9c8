package dev.fleetgate.itests;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** Bodies of {@code POST /api/v1/services} that end-to-end classes create, and upstreams for them. */
public final class Services {
    private Services() {}

    /**
     * A service {@code name} for {@code host} placed on one agent, proxied to 127.0.0.1:{@code port} with a health
     * check of {@code /health} every second (down after one failure, up after one success).
     */
    public static ObjectNode proxied(String agentId, String name, String host, int port) {
        ObjectNode s = placed(agentId, name, host);
        ObjectNode upstream = s.putObject("upstream");
        upstream.putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", port)
                .put("weight", 1);
        upstream.putObject("healthCheck")
                .put("path", "/health")
                .put("intervalSeconds", 1)
                .put("fall", 1)
                .put("rise", 1);
        return s;
    }

    /**
     * A service {@code name} for {@code host} placed on one agent whose replica is a managed container of the demo
     * image ({@code fleetgate/demo:latest}, 1 ms delay), checked on {@code /health} every second with a 1 s timeout
     * (down after two failures, up after one success).
     */
    public static ObjectNode demo(String agentId, String name, String host) {
        ObjectNode s = placed(agentId, name, host);
        ObjectNode upstream = s.putObject("upstream");
        upstream.putArray("targets");
        upstream.putObject("healthCheck")
                .put("path", "/health")
                .put("intervalSeconds", 1)
                .put("timeoutSeconds", 1)
                .put("fall", 2)
                .put("rise", 1);
        s.putObject("containers")
                .put("image", "fleetgate/demo:latest")
                .put("replicas", 1)
                .putObject("env")
                .put("DELAY_MS", "1");
        return s;
    }

    /**
     * A service {@code name} for {@code domains} placed on {@code agentIds}, proxied to 127.0.0.1:{@code port} with no
     * health check, its certificate ordered by the core ({@code tls auto}) and plain HTTP redirected to HTTPS.
     */
    public static ObjectNode tlsAuto(String name, List<String> domains, List<String> agentIds, int port) {
        ObjectNode s = unchecked(name, domains, agentIds, port);
        s.putObject("tls").put("mode", "auto").put("redirectHttp", true);
        return s;
    }

    /** A service {@code name} for {@code domains} placed on {@code agentIds}, proxied to 127.0.0.1:{@code port}, no health check. */
    public static ObjectNode unchecked(String name, List<String> domains, List<String> agentIds, int port) {
        ObjectNode s = Api.JSON.createObjectNode().put("name", name);
        domains.forEach(s.putArray("domains")::add);
        agentIds.forEach(s.putArray("agentIds")::add);
        s.putObject("upstream")
                .putArray("targets")
                .addObject()
                .put("host", "127.0.0.1")
                .put("port", port);
        return s;
    }

    /** The replica count of a service as {@code GET /api/v1/services/{id}} gives it (-1 without containers). */
    public static int replicasOf(JsonNode service) {
        return service.path("containers").path("replicas").asInt(-1);
    }

    private static ObjectNode placed(String agentId, String name, String host) {
        ObjectNode s = Api.JSON.createObjectNode().put("name", name);
        s.putArray("domains").add(host);
        s.putArray("agentIds").add(agentId);
        return s;
    }

    /**
     * A started HTTP server on 127.0.0.1:{@code port} (listen backlog {@code backlog}, {@code threads} threads)
     * answering every request 200 with the text {@code body} gives for it (UTF-8); the caller stops it.
     */
    public static HttpServer upstream(int port, int backlog, int threads, Function<HttpExchange, String> body)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), backlog);
        server.setExecutor(Executors.newFixedThreadPool(threads));
        server.createContext("/", exchange -> {
            byte[] bytes = body.apply(exchange).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }
}
