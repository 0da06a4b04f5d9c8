package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local server speaking the Telegram Bot API's {@code sendMessage} (JSON body, answers as the
 * real API does: {@code {"ok":true,"result":{…}}}, 401 for a wrong token, 400 "chat not found",
 * 429 with {@code parameters.retry_after}).
 */
final class FakeTelegram implements AutoCloseable {
    static final String TOKEN = "123456:TEST-token_abc";
    static final String CHAT = "-100200300";

    final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    final AtomicInteger tooManyRequests = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    volatile int retryAfter = 1;
    private final HttpServer server;
    private final AtomicInteger ids = new AtomicInteger(100);

    FakeTelegram() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        requests.incrementAndGet();
        String path = ex.getRequestURI().getPath();
        byte[] body = ex.getRequestBody().readAllBytes();
        if (!"POST".equals(ex.getRequestMethod()) || !path.endsWith("/sendMessage")) {
            answer(ex, 404, error(404, "Not Found"));
            return;
        }
        if (!path.equals("/bot" + TOKEN + "/sendMessage")) {
            answer(ex, 401, error(401, "Unauthorized"));
            return;
        }
        JsonNode req;
        try {
            req = Json.MAPPER.readTree(body);
        } catch (IOException e) {
            answer(ex, 400, error(400, "Bad Request: can't parse JSON"));
            return;
        }
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null || !ct.startsWith("application/json")) {
            answer(ex, 400, error(400, "Bad Request: message text is empty"));
            return;
        }
        if (!CHAT.equals(req.path("chat_id").asText())) {
            answer(ex, 400, error(400, "Bad Request: chat not found"));
            return;
        }
        if (!req.hasNonNull("text") || req.get("text").asText().isEmpty()) {
            answer(ex, 400, error(400, "Bad Request: message text is empty"));
            return;
        }
        if (tooManyRequests.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            ObjectNode e = error(429, "Too Many Requests: retry after " + retryAfter);
            e.putObject("parameters").put("retry_after", retryAfter);
            answer(ex, 429, e);
            return;
        }
        messages.add(req);
        ObjectNode ok = Json.object();
        ok.put("ok", true);
        ObjectNode result = ok.putObject("result");
        result.put("message_id", ids.incrementAndGet());
        result.putObject("chat").put("id", Long.parseLong(CHAT)).put("type", "supergroup");
        result.put("date", System.currentTimeMillis() / 1000);
        result.put("text", req.get("text").asText());
        answer(ex, 200, ok);
    }

    private static ObjectNode error(int code, String description) {
        ObjectNode e = Json.object();
        e.put("ok", false);
        e.put("error_code", code);
        e.put("description", description);
        return e;
    }

    private static void answer(HttpExchange ex, int status, JsonNode body) throws IOException {
        byte[] b = Json.write(body).getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
