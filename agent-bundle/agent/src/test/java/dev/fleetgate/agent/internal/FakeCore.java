package dev.fleetgate.agent.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A tiny core speaking docs/protocol.md on an ephemeral loopback port: enrolment, and
 * syncs that answer the queued answers in order (long-poll held while none is queued).
 */
final class FakeCore implements AutoCloseable {

    record Sync(int waitSeconds, String authorization, JsonNode body, int status) {}

    static final String AGENT_ID = "6f1c2d3e-0000-4000-8000-000000000001";
    static final String API_KEY = "fga_" + "k".repeat(43);

    private final ObjectMapper mapper = new ObjectMapper();
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    final List<JsonNode> enrolments = new CopyOnWriteArrayList<>();
    final BlockingQueue<Sync> syncs = new LinkedBlockingQueue<>();
    final BlockingQueue<ObjectNode> answers = new LinkedBlockingQueue<>();
    volatile int enrolStatus = 201;
    final java.util.concurrent.atomic.AtomicInteger failSyncs = new java.util.concurrent.atomic.AtomicInteger();

    FakeCore() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/api/v1/agents/enroll", this::enroll);
        server.createContext("/api/v1/agents/" + AGENT_ID + "/sync", this::sync);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    ObjectNode answer() {
        ObjectNode answer = mapper.createObjectNode();
        answer.putObject("sections");
        answer.putArray("tasks");
        answer.put("syncIntervalSeconds", 2);
        return answer;
    }

    /** @return the next sync matching, within the timeout */
    Sync awaitSync(java.util.function.Predicate<Sync> matching, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            Sync sync = syncs.poll(Math.max(1, deadline - System.currentTimeMillis()), TimeUnit.MILLISECONDS);
            if (sync == null) {
                throw new AssertionError("no matching sync within " + timeoutMs + " ms");
            }
            if (matching.test(sync)) {
                return sync;
            }
        }
    }

    private void enroll(HttpExchange exchange) throws IOException {
        enrolments.add(mapper.readTree(exchange.getRequestBody()));
        if (enrolStatus != 201) {
            send(exchange, enrolStatus, mapper.createObjectNode().put("title", "refused"));
            return;
        }
        send(
                exchange,
                201,
                mapper.createObjectNode()
                        .put("agentId", AGENT_ID)
                        .put("apiKey", API_KEY)
                        .put("syncIntervalSeconds", 2));
    }

    private void sync(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getQuery();
        int wait = Integer.parseInt(query.substring(query.indexOf("wait=") + 5));
        JsonNode body = mapper.readTree(exchange.getRequestBody());
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        int status = !("Bearer " + API_KEY).equals(authorization)
                ? 401
                : failSyncs.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 503 : 200;
        syncs.add(new Sync(wait, authorization, body, status));
        if (status != 200) {
            send(exchange, status, mapper.createObjectNode());
            return;
        }
        ObjectNode answer = null;
        try {
            answer = wait == 0 ? answers.poll() : answers.poll(Math.min(wait, 2), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        send(exchange, 200, answer == null ? answer() : answer);
    }

    private void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = mapper.writeValueAsBytes(body);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
