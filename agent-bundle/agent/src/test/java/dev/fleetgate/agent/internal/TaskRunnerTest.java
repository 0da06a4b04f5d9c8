package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.fleetgate.agent.Task;

class TaskRunnerTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Semaphore results = new Semaphore(0);
    private final CountDownLatch gateOpen = new CountDownLatch(1);
    private volatile boolean gateClosed;
    private final TaskRunner runner = new TaskRunner(
            mapper,
            () -> {
                if (gateClosed) {
                    gateOpen.await(5, TimeUnit.SECONDS);
                    return true;
                }
                return false;
            },
            results::release);

    @AfterEach
    void stop() {
        runner.stop();
    }

    private Task task(String id, String type) {
        return new Task(id, type, mapper.createObjectNode().put("n", id));
    }

    private void awaitResult() throws InterruptedException {
        assertTrue(results.tryAcquire(5, TimeUnit.SECONDS), "no result reported");
    }

    @Test
    void runsEachIdOnceAndResendsItsResult() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        runner.addHandler("count", task -> TextNode.valueOf("run " + runs.incrementAndGet()));
        runner.submit(task("a", "count"));
        awaitResult();
        List<ObjectNode> first = runner.unsentResults();
        assertEquals(1, first.size());
        assertEquals("SUCCEEDED", first.get(0).get("status").asText());
        assertEquals("run 1", first.get(0).get("result").asText());

        runner.acknowledge(first);
        assertFalse(runner.hasUnsentResults());

        runner.submit(task("a", "count")); // delivered again: the core did not get the result
        awaitResult();
        List<ObjectNode> again = runner.unsentResults();
        assertEquals(1, again.size());
        assertEquals("run 1", again.get(0).get("result").asText());
        assertEquals(1, runs.get());
    }

    @Test
    void resultsStayUntilASyncCarryingThemSucceeds() throws Exception {
        runner.addHandler("echo", task -> task.payload());
        runner.submit(task("a", "echo"));
        awaitResult();
        List<ObjectNode> sentButFailed = runner.unsentResults();
        // the sync failed: nothing acknowledged
        assertEquals(sentButFailed, runner.unsentResults());
        runner.submit(task("b", "echo"));
        awaitResult();
        runner.acknowledge(sentButFailed);
        List<ObjectNode> left = runner.unsentResults();
        assertEquals(1, left.size());
        assertEquals("b", left.get(0).get("id").asText());
    }

    @Test
    void aTaskRunningTwiceConcurrentlyRunsOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        runner.addHandler("slow", task -> {
            runs.incrementAndGet();
            release.await(5, TimeUnit.SECONDS);
            return null;
        });
        runner.submit(task("s", "slow"));
        runner.submit(task("s", "slow"));
        release.countDown();
        awaitResult();
        assertFalse(results.tryAcquire(300, TimeUnit.MILLISECONDS));
        assertEquals(1, runs.get());
    }

    @Test
    void failuresAreReportedWithTheirMessage() throws Exception {
        runner.addHandler("boom", task -> {
            throw new IllegalStateException("disk full");
        });
        runner.submit(task("f", "boom"));
        runner.submit(task("n", "nothing"));
        awaitResult();
        awaitResult();
        List<ObjectNode> list = runner.unsentResults();
        ObjectNode boom = list.stream()
                .filter(r -> r.get("id").asText().equals("f"))
                .findFirst()
                .orElseThrow();
        ObjectNode none = list.stream()
                .filter(r -> r.get("id").asText().equals("n"))
                .findFirst()
                .orElseThrow();
        assertEquals("FAILED", boom.get("status").asText());
        assertEquals("disk full", boom.get("error").asText());
        assertEquals("FAILED", none.get("status").asText());
        assertEquals("no handler for type nothing", none.get("error").asText());
    }

    @Test
    void waitsForTheBundlesBeingDeployedToFindAHandler() throws Exception {
        gateClosed = true;
        runner.submit(task("p", "http.probe"));
        assertFalse(results.tryAcquire(200, TimeUnit.MILLISECONDS), "must wait for the deployment");
        runner.addHandler("http.probe", task -> TextNode.valueOf("probed"));
        gateOpen.countDown();
        awaitResult();
        assertEquals("SUCCEEDED", runner.unsentResults().get(0).get("status").asText());
    }

    @Test
    void keepsABoundedNumberOfResults() throws Exception {
        runner.addHandler("echo", task -> null);
        int total = TaskRunner.KEEP_RESULTS + 5;
        for (int i = 0; i < total; i++) {
            runner.submit(task("t" + i, "echo"));
        }
        assertTrue(results.tryAcquire(total, 10, TimeUnit.SECONDS));
        runner.acknowledge(runner.unsentResults());
        runner.submit(task("t0", "echo")); // forgotten: runs again
        runner.submit(task("t" + (total - 1), "echo")); // remembered: re-sent
        awaitResult();
        awaitResult();
        assertEquals(2, runner.unsentResults().size());
    }
}
