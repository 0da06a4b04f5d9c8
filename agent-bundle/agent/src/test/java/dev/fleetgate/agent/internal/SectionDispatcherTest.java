package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.fleetgate.agent.StateApplier;

class SectionDispatcherTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Semaphore attempts = new Semaphore(0);
    private final SectionDispatcher dispatcher = new SectionDispatcher(mapper, attempts::release);

    @AfterEach
    void stop() {
        dispatcher.stop();
    }

    private JsonNode body(String value) {
        return mapper.createObjectNode().put("v", value);
    }

    private void awaitAttempt() throws InterruptedException {
        assertTrue(attempts.tryAcquire(5, TimeUnit.SECONDS), "no apply attempt");
    }

    @Test
    void keepsASectionUntilItsApplierAppears() throws Exception {
        assertTrue(dispatcher.offer("proxy", 3, body("a")));
        SectionDispatcher.Applied waiting = dispatcher.applied().get("proxy");
        assertEquals(3, waiting.revision());
        assertTrue(waiting.error().contains("no applier"));

        List<String> applied = new CopyOnWriteArrayList<>();
        dispatcher.addApplier(
                "proxy",
                (revision, b) -> applied.add(revision + ":" + b.get("v").asText()));
        awaitAttempt();
        assertEquals(List.of("3:a"), applied);
        assertEquals(
                new SectionDispatcher.Applied(3, null), dispatcher.applied().get("proxy"));
    }

    @Test
    void ignoresRevisionsAlreadySeenAndReportsFailures() throws Exception {
        dispatcher.addApplier("proxy", (revision, b) -> {
            if (revision == 5) {
                throw new IllegalStateException("nginx: [emerg] bad");
            }
        });
        assertTrue(dispatcher.offer("proxy", 4, body("a")));
        awaitAttempt();
        assertFalse(dispatcher.offer("proxy", 4, body("a")));
        assertFalse(dispatcher.offer("proxy", 2, body("old")));
        assertTrue(dispatcher.offer("proxy", 5, body("b")));
        awaitAttempt();
        assertEquals(
                new SectionDispatcher.Applied(5, "nginx: [emerg] bad"),
                dispatcher.applied().get("proxy"));
        assertFalse(attempts.tryAcquire(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void awaitApplyingWaitsForTheSectionsInFlightOnly() throws Exception {
        assertFalse(dispatcher.awaitApplying(1_000), "nothing to apply: no wait");
        assertTrue(dispatcher.offer("later", 1, body("x")));
        assertFalse(dispatcher.awaitApplying(1_000), "a section without applier is not being applied");
        Semaphore release = new Semaphore(0);
        dispatcher.addApplier("proxy", (revision, b) -> release.acquire());
        assertTrue(dispatcher.offer("proxy", 7, body("a")));
        assertTrue(dispatcher.awaitApplying(50), "in flight: waited, and the apply is still running");
        assertNull(dispatcher.applied().get("proxy"));
        release.release();
        dispatcher.awaitApplying(5_000); // true or false: the apply may end before this call
        assertEquals(
                new SectionDispatcher.Applied(7, null), dispatcher.applied().get("proxy"));
        assertFalse(dispatcher.awaitApplying(1_000));
    }

    @Test
    void reportsEachAppliersStatus() {
        dispatcher.addApplier("proxy", new StateApplier() {
            @Override
            public void apply(long revision, JsonNode body) {}

            @Override
            public JsonNode status() {
                return TextNode.valueOf("serving");
            }
        });
        dispatcher.addApplier("quiet", (revision, b) -> {});
        assertEquals("{\"proxy\":\"serving\"}", dispatcher.statuses().toString());
        assertNull(dispatcher.applied().get("quiet"));
    }
}
