package dev.fleetgate.logs.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.ws.rs.container.AsyncResponse;
import javax.ws.rs.core.Response;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.logs.internal.Agents;
import dev.fleetgate.logs.internal.FakeTaskService;
import dev.fleetgate.logs.internal.Json;
import dev.fleetgate.logs.internal.LogFetcher;
import dev.fleetgate.logs.internal.LogPage;

/** The REST resources with a fake task service: validation, answers, errors. */
class ContainerLogsResourceTest {
    private final FakeTaskService tasks = new FakeTaskService();
    private final LogFetcher fetcher = LogFetchers.create(tasks);
    private final ContainerLogsResource containers = new ContainerLogsResource(fetcher);
    private final NginxLogsResource nginx = new NginxLogsResource(fetcher);
    private final CompletableFuture<Object> answer = new CompletableFuture<>();
    private final AsyncResponse response = recording(answer);

    @AfterEach
    void stop() {
        fetcher.close();
    }

    /** An AsyncResponse whose resume (with an entity or a Throwable) completes {@code into}. */
    private static AsyncResponse recording(CompletableFuture<Object> into) {
        AsyncResponse r = mock(AsyncResponse.class);
        when(r.resume(any(Object.class))).thenAnswer(inv -> into.complete(inv.getArgument(0)));
        when(r.resume(any(Throwable.class))).thenAnswer(inv -> into.complete(inv.getArgument(0)));
        return r;
    }

    private Object resumed() throws Exception {
        return answer.get(30, TimeUnit.SECONDS);
    }

    private static javax.ws.rs.core.SecurityContext role(String role) {
        javax.ws.rs.core.SecurityContext c = mock(javax.ws.rs.core.SecurityContext.class);
        when(c.isUserInRole(any())).thenAnswer(inv -> role.equals(inv.getArgument(0)));
        return c;
    }

    @Test
    void onlyAnAdminMayAskForUnmanagedContainers() throws Exception {
        containers.logs(Agents.ONLINE, "postgres", null, null, null, null, null, "true", role("operator"), response);
        ApiException e = assertInstanceOf(ApiException.class, resumed());
        assertEquals(403, e.status());
        assertTrue(tasks.submitted.isEmpty(), "no task reached the agent");
    }

    @Test
    void theAgentIsAskedForManagedContainersOnlyUnlessAnAdminSaysOtherwise() throws Exception {
        containers.logs(Agents.ONLINE, "fg-shop-0-a1b2c3", null, null, null, null, null, null, role("admin"), response);
        assertEquals(false, tasks.last().payload().has("unmanaged"));
        CompletableFuture<Object> second = new CompletableFuture<>();
        containers.logs(
                Agents.ONLINE, "postgres", null, null, null, null, null, "true", role("admin"), recording(second));
        assertEquals(true, tasks.last().payload().path("unmanaged").asBoolean());
    }

    @Test
    void linesAnswer200WithTheContractShape() throws Exception {
        containers.logs(Agents.ONLINE, "fg-shop-0-a1b2c3", "10", null, "error", "stderr", null, null, null, response);
        assertEquals(false, tasks.last().payload().get("stdout").asBoolean());
        assertEquals(10, tasks.last().payload().get("tail").asInt());
        tasks.finish(
                "SUCCEEDED",
                Json.MAPPER.readTree("{\"lines\":[{\"timestamp\":\"t\",\"stream\":\"stderr\","
                        + "\"text\":\"an error\"}],\"cursor\":\"c9\",\"truncated\":true}"),
                null);
        Response r = assertInstanceOf(Response.class, resumed());
        assertEquals(200, r.getStatus());
        assertEquals("no-store", r.getHeaderString("Cache-Control"));
        assertEquals(
                "{\"lines\":[{\"timestamp\":\"t\",\"stream\":\"stderr\",\"text\":\"an error\"}],\"cursor\":\"c9\","
                        + "\"truncated\":true}",
                Json.MAPPER.writeValueAsString(assertInstanceOf(LogPage.class, r.getEntity())));
        verify(response).setTimeout(25, TimeUnit.SECONDS);
    }

    @Test
    void everyBadParameterIsNamedInOne400AndNoTaskIsQueued() throws Exception {
        containers.logs("nope", "a/b", "0", "x".repeat(600), "f".repeat(201), "both", "9999", null, null, response);
        ApiException e = assertInstanceOf(ApiException.class, resumed());
        assertEquals(400, e.status());
        assertEquals(
                List.of("agentId", "containerId", "tail", "limit", "cursor", "filter", "stream"),
                e.errors().stream().map(FieldError::field).toList());
        assertTrue(tasks.submitted.isEmpty());
    }

    @Test
    void agentErrorsBecomeProblems() throws Exception {
        containers.logs(Agents.ONLINE, "gone", null, null, null, null, null, null, null, response);
        tasks.finish("FAILED", null, "no such container: gone");
        assertEquals(404, assertInstanceOf(ApiException.class, resumed()).status());
        CompletableFuture<Object> offline = new CompletableFuture<>();
        containers.logs(Agents.OFFLINE, "web", null, null, null, null, null, null, null, recording(offline));
        assertEquals(
                503,
                assertInstanceOf(ApiException.class, offline.get(30, TimeUnit.SECONDS))
                        .status());
    }

    @Test
    void nginxLogsByName() throws Exception {
        nginx.logs(Agents.ONLINE, "error", null, "c1", null, "20", response);
        assertEquals("logs.nginx", tasks.last().type());
        assertEquals("c1", tasks.last().payload().get("cursor").asText());
        tasks.finish("SUCCEEDED", Json.MAPPER.readTree("{\"lines\":[],\"cursor\":\"c1\"}"), null);
        assertEquals(200, assertInstanceOf(Response.class, resumed()).getStatus());
        CompletableFuture<Object> bad = new CompletableFuture<>();
        nginx.logs(Agents.ONLINE, "secrets", null, null, null, null, recording(bad));
        ApiException e = assertInstanceOf(ApiException.class, bad.get(30, TimeUnit.SECONDS));
        assertEquals("log", e.errors().get(0).field());
    }

    /** Access to the package-private constructor with test settings. */
    static final class LogFetchers {
        static LogFetcher create(FakeTaskService tasks) {
            return dev.fleetgate.logs.internal.TestFetchers.create(new Agents(), tasks, Duration.ofSeconds(10));
        }
    }
}
