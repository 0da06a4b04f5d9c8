package dev.fleetgate.agent.docker.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Consumer;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.transport.DockerHttpClient.Response;

import dev.fleetgate.agent.Threads;

/**
 * Follows the engine's container events ({@code GET /events}) and hands each to a listener;
 * reconnects with a backoff (0.5 s doubling to 30 s) when the engine goes away, and reports
 * each (re)connection (events may have been missed meanwhile).
 */
final class EventWatcher implements AutoCloseable {

    private static final Logger LOG = System.getLogger(EventWatcher.class.getName());
    private static final String PATH = "/events?filters=" + DockerApi.q("{\"type\":[\"container\"]}");

    private final DockerApi api;
    private final Consumer<JsonNode> onEvent;
    private final Runnable onConnected;
    private final Thread thread;
    private volatile boolean closed;
    private volatile Response current;

    EventWatcher(DockerApi api, Consumer<JsonNode> onEvent, Runnable onConnected) {
        this.api = api;
        this.onEvent = onEvent;
        this.onConnected = onConnected;
        this.thread = Threads.factory("fleetgate-docker-events").newThread(this::run);
    }

    void start() {
        thread.start();
    }

    private void run() {
        long backoff = 500;
        boolean warned = false;
        while (!closed) {
            long connectedAt = System.nanoTime();
            try (Response response = api.stream(PATH)) {
                current = response;
                if (warned) {
                    LOG.log(Level.INFO, "containers: Docker events stream connected again");
                }
                warned = false;
                onConnected.run();
                try (JsonParser parser = DockerApi.mapper().createParser(response.getBody())) {
                    while (!closed && parser.nextToken() == JsonToken.START_OBJECT) {
                        onEvent.accept(parser.readValueAsTree());
                    }
                }
            } catch (Exception e) {
                if (closed) {
                    break;
                }
                if (!warned) {
                    LOG.log(
                            Level.WARNING,
                            "containers: Docker events stream lost ({0}); reconnecting",
                            DockerApi.message(e));
                    warned = true;
                }
            } finally {
                current = null;
            }
            if (System.nanoTime() - connectedAt > 30_000_000_000L) {
                backoff = 500;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                break;
            }
            backoff = Math.min(30_000, backoff * 2);
        }
    }

    @Override
    public void close() {
        closed = true;
        Response response = current;
        if (response != null) {
            response.close();
        }
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
