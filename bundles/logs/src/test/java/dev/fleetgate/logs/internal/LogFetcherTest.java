package dev.fleetgate.logs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.ApiException;

class LogFetcherTest {
    private final FakeTaskService tasks = new FakeTaskService();
    private final LogFetcher fetcher =
            new LogFetcher(new Agents(), tasks, Duration.ofSeconds(10), Duration.ofSeconds(30), 262144);
    private final LogQuery query = new LogQuery(100, null, null, "all", 500);

    @AfterEach
    void stop() {
        fetcher.close();
    }

    private static LogPage page(CompletableFuture<LogPage> f) throws Exception {
        return f.get(30, TimeUnit.SECONDS);
    }

    private static ApiException failure(CompletableFuture<LogPage> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> page(f));
        return assertInstanceOf(ApiException.class, e.getCause());
    }

    private CompletableFuture<LogPage> fetchContainer() {
        return fetcher.container(Agents.ONLINE, "web", query).toCompletableFuture();
    }

    @Test
    void submitsAShortLivedTaskAndAnswersTheAgentsLinesThenDeletesTheTask() throws Exception {
        CompletableFuture<LogPage> f = fetchContainer();
        assertEquals("logs.container", tasks.last().type());
        assertEquals("web", tasks.last().payload().get("container").asText());
        assertEquals(Duration.ofSeconds(30), tasks.ttls.get(0));
        JsonNode result =
                Json.MAPPER.readTree("{\"lines\":[{\"timestamp\":\"2026-11-22T10:00:00.1Z\",\"stream\":\"stdout\","
                        + "\"text\":\"hi\"}],\"cursor\":\"k\",\"truncated\":false}");
        tasks.finish("SUCCEEDED", result, null);
        LogPage p = page(f);
        assertEquals("hi", p.lines().get(0).text());
        assertEquals("k", p.cursor());
        assertTrue(tasks.discarded.contains(tasks.last().id()), "no task row is left behind by polling");
    }

    @Test
    void nginxLogsUseTheirOwnTaskAndStream() throws Exception {
        CompletableFuture<LogPage> f =
                fetcher.nginx(Agents.ONLINE, "access", query).toCompletableFuture();
        assertEquals("logs.nginx", tasks.last().type());
        assertEquals("access", tasks.last().payload().get("log").asText());
        tasks.finish("SUCCEEDED", Json.MAPPER.readTree("{\"lines\":[{\"text\":\"GET /\"}],\"cursor\":\"o:1\"}"), null);
        assertEquals("access", page(f).lines().get(0).stream());
    }

    @Test
    void noSuchContainerIs404AndOtherAgentErrorsAre502() {
        CompletableFuture<LogPage> f = fetchContainer();
        tasks.finish("FAILED", null, "no such container: web");
        ApiException e = failure(f);
        assertEquals(404, e.status());
        assertTrue(e.getMessage().contains("no such container: web"), e.getMessage());
        CompletableFuture<LogPage> g = fetchContainer();
        tasks.finish("FAILED", null, "Cannot connect to the Docker daemon");
        ApiException bad = failure(g);
        assertEquals(502, bad.status());
        assertTrue(bad.getMessage().contains("Cannot connect to the Docker daemon"), bad.getMessage());
        assertEquals(2, tasks.discarded.size());
    }

    @Test
    void noAnswerInTimeOrAnExpiredTaskIs504() {
        CompletableFuture<LogPage> f = fetchContainer();
        tasks.timeOut();
        ApiException e = failure(f);
        assertEquals(504, e.status());
        assertTrue(e.getMessage().contains("within 10 s"), e.getMessage());
        assertTrue(tasks.discarded.contains(tasks.last().id()), "the open task is withdrawn too");
        CompletableFuture<LogPage> g = fetchContainer();
        tasks.finish("EXPIRED", null, null);
        assertEquals(504, failure(g).status());
    }

    @Test
    void aMalformedResultOrAFailedWaitIs502() throws Exception {
        CompletableFuture<LogPage> f = fetchContainer();
        tasks.finish("SUCCEEDED", Json.MAPPER.readTree("{\"no\":\"lines\"}"), null);
        assertEquals(502, failure(f).status());
        CompletableFuture<LogPage> g = fetchContainer();
        tasks.fail(new IllegalStateException("Database error: down"));
        ApiException e = failure(g);
        assertEquals(502, e.status());
        assertTrue(e.getMessage().contains("Database error: down"));
    }

    @Test
    void unknownAgentIs404AndOfflineAgentIs503WithoutATask() {
        assertEquals(
                404,
                assertThrows(
                                ApiException.class,
                                () -> fetcher.container("0b7c5a1e-2f0a-4d43-9a57-6f1f0f0c0aff", "web", query))
                        .status());
        ApiException offline = assertThrows(ApiException.class, () -> fetcher.container(Agents.OFFLINE, "web", query));
        assertEquals(503, offline.status());
        assertTrue(offline.getMessage().contains("web-2 is offline"), offline.getMessage());
        assertTrue(tasks.submitted.isEmpty());
    }

    @Test
    void agentsAreFoundByIdOrName() {
        assertEquals(Agents.ONLINE, fetcher.agent("web-1").id());
        assertEquals(Agents.OFFLINE, fetcher.agent(Agents.OFFLINE.toUpperCase()).id());
        assertEquals(
                404,
                assertThrows(ApiException.class, () -> fetcher.agent("nope")).status());
    }
}
