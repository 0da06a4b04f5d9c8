package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SyncLoopTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final List<String> applied = new CopyOnWriteArrayList<>();
    private final CompletableFuture<String> fatal = new CompletableFuture<>();
    private FakeCore core;
    private TestAgent agent;

    @TempDir
    Path state;

    @BeforeEach
    void startCore() throws Exception {
        core = new FakeCore();
    }

    @AfterEach
    void stopAll() {
        if (agent != null) {
            agent.close();
        }
        core.close();
    }

    private void startAgent(String token) {
        agent = new TestAgent(
                mapper,
                core,
                state,
                token,
                id -> agent.tasks.addHandler("echo", new EchoHandler(id.agentId(), Clock.systemUTC())),
                fatal::complete);
        agent.sections.addApplier("demo", (revision, body) -> applied.add(revision + ":" + body));
        agent.loop.start();
    }

    @Test
    void enrolsSyncsAppliesAndPushesTheTaskResultAtOnce() throws Exception {
        ObjectNode answer = core.answer();
        answer.putObject("sections")
                .putObject("demo")
                .put("revision", 7)
                .putObject("body")
                .put("x", 1);
        ObjectNode task = answer.putArray("tasks").addObject();
        task.put("id", "task-1").put("type", "echo").put("expiresAt", "2030-01-01T00:00:00Z");
        task.putObject("payload").put("hello", "world");
        core.answers.add(answer);

        startAgent("one-time-token");

        FakeCore.Sync withResult =
                core.awaitSync(s -> s.body().path("taskResults").size() > 0, 10_000);
        // The first request carrying it is the wait=0 push or the long-poll that restarted right
        // after the task ran: both are sent at once (only answers are held).
        JsonNode result = withResult.body().path("taskResults").get(0);
        assertEquals("task-1", result.get("id").asText());
        assertEquals("SUCCEEDED", result.get("status").asText());
        assertEquals("world", result.at("/result/echo/hello").asText());
        assertEquals(FakeCore.AGENT_ID, result.at("/result/agentId").asText());

        FakeCore.Sync report =
                core.awaitSync(s -> s.body().at("/applied/demo/revision").asLong() == 7, 10_000);
        assertTrue(report.body().at("/applied/demo/error").isNull());
        assertEquals(List.of("7:{\"x\":1}"), applied);
        assertEquals("Bearer " + FakeCore.API_KEY, report.authorization());
        assertEquals("0.1.0", report.body().get("version").asText());
        assertEquals("127.0.0.1", report.body().get("address").asText());

        JsonNode enrolment = core.enrolments.get(0);
        assertEquals("one-time-token", enrolment.get("token").asText());
        assertEquals("web-1", enrolment.get("name").asText());
        assertEquals("host", enrolment.get("role").asText());
        Path identity = state.resolve("agent.json");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)));
        assertEquals(
                FakeCore.API_KEY,
                mapper.readTree(identity.toFile()).get("apiKey").asText());

        // later long-polls use the interval from the answers, and the result is not sent again
        FakeCore.Sync poll = core.awaitSync(s -> s.waitSeconds() > 0, 10_000);
        assertEquals(2, poll.waitSeconds());
        assertEquals(0, poll.body().path("taskResults").size());
    }

    @Test
    void aTaskDeliveredAgainGetsItsResultWithoutASecondRun() throws Exception {
        ObjectNode first = core.answer();
        first.putArray("tasks").addObject().put("id", "t-2").put("type", "echo").putObject("payload");
        core.answers.add(first);
        startAgent("tok");
        JsonNode result = core.awaitSync(s -> s.body().path("taskResults").size() > 0, 10_000)
                .body()
                .path("taskResults")
                .get(0);

        core.answers.add(first.deepCopy());
        JsonNode again = core.awaitSync(s -> s.body().path("taskResults").size() > 0, 10_000)
                .body()
                .path("taskResults")
                .get(0);
        assertEquals(result, again, "same result (same 'at'): not run twice");
    }

    @Test
    void retriesWithBackoffAfterServerErrorsAndResendsResults() throws Exception {
        ObjectNode answer = core.answer();
        answer.putArray("tasks")
                .addObject()
                .put("id", "t-3")
                .put("type", "echo")
                .putObject("payload");
        core.answers.add(answer);
        core.failSyncs.set(0);
        startAgent("tok");
        core.awaitSync(s -> s.body().path("taskResults").size() > 0, 10_000); // pushed, answered 200
        core.failSyncs.set(2);
        ObjectNode again = core.answer();
        again.putArray("tasks").addObject().put("id", "t-4").put("type", "echo").putObject("payload");
        core.answers.add(again);
        // the result of t-4 is sent again until a sync carrying it succeeds
        while (core.awaitSync(s -> s.body().toString().contains("t-4"), 10_000).status() != 200) {
            // answered 503: the agent backs off and sends it again
        }
        assertEquals(0, core.failSyncs.get(), "the failing syncs were answered 503 and the agent went on");
        // A long-poll built before the acknowledgement may still carry it (at-least-once; the
        // core keeps the first result); after that it is never sent again.
        int[] resent = {0};
        core.awaitSync(
                s -> {
                    if (s.body().toString().contains("t-4")) {
                        resent[0]++;
                        return false;
                    }
                    return s.waitSeconds() > 0 && s.status() == 200;
                },
                10_000);
        assertTrue(resent[0] <= 1, "acknowledged result sent again " + resent[0] + " times");
    }

    @Test
    void usesTheStoredIdentityWithoutEnrolling() throws Exception {
        TestAgent.storeIdentity(mapper, core, state);
        startAgent(null);
        core.awaitSync(s -> true, 10_000);
        assertEquals(0, core.enrolments.size());
    }

    @Test
    void aStatusChangeIsPushedWhileTheLongPollIsHeld() throws Exception {
        TestAgent.storeIdentity(mapper, core, state);
        startAgent(null);
        core.awaitSync(s -> s.waitSeconds() > 0, 10_000);
        agent.loop.requestStatusPush();
        FakeCore.Sync push = core.awaitSync(s -> s.waitSeconds() == 0, 10_000);
        assertEquals("Bearer " + FakeCore.API_KEY, push.authorization());
    }

    @Test
    void aRefusedTokenIsFatal() throws Exception {
        core.enrolStatus = 401;
        startAgent("used-token");
        String message = fatal.get(10, TimeUnit.SECONDS);
        assertTrue(message.contains("refused the enrolment token"), message);
        assertTrue(Files.notExists(state.resolve("agent.json")));
    }

    @Test
    void noTokenAndNoIdentityIsFatal() throws Exception {
        startAgent(null);
        assertTrue(fatal.get(10, TimeUnit.SECONDS).contains("--token"));
        assertEquals(0, core.enrolments.size());
    }
}
