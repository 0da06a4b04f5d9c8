package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.AgentInfo;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.persistence.testing.MutableClock;

class DesiredStateEngineIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    /** Counts calls: computeAll once per fleet-wide recompute, compute per single agent. */
    private static final class Counting implements DesiredStateContributor {
        final AtomicInteger batches = new AtomicInteger();
        final AtomicInteger singles = new AtomicInteger();
        volatile String failFor;
        volatile int value = 1;

        @Override
        public JsonNode compute(AgentInfo agent) {
            singles.incrementAndGet();
            if (agent.id().equals(failFor)) {
                throw new IllegalStateException("broken for " + agent.id());
            }
            return Json.MAPPER.createObjectNode().put("v", value);
        }

        @Override
        public Map<String, JsonNode> computeAll(List<AgentInfo> agents) {
            batches.incrementAndGet();
            return DesiredStateContributor.super.computeAll(agents);
        }
    }

    @Test
    void contributorsLeavingAfterTheEngineStoppedAreNoError() throws Exception {
        Map<String, Object> props =
                Map.of(DesiredStateContributor.SECTION, "late", org.osgi.framework.Constants.SERVICE_ID, 99L);
        Counting c = new Counting();
        Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock());
        try {
            core.desired.addContributor(c, props);
            core.idle();
        } finally {
            core.desired.close(); // as SCR deactivates the engine before unbinding its contributors
            core.desired.removeContributor(c, props); // threw RejectedExecutionException
            core.sync.close();
            core.registry.close();
            core.notifier.close();
        }
    }

    @Test
    void aFleetWideRecomputeCallsEachContributorOnce() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock())) {
            Counting c = new Counting();
            core.enroll("once-a");
            core.enroll("once-b");
            core.enroll("once-c");
            core.contribute("counted", c, 0, 1);
            core.idle();
            c.batches.set(0);
            c.value = 2;
            Map<String, Long> revisions = core.desired.recompute("counted");
            assertEquals(1, c.batches.get(), "one computeAll for the whole fleet");
            assertTrue(revisions.size() >= 3, revisions.toString());
        }
    }

    @Test
    void aContributorFailingForOneAgentDoesNotHoldBackTheOthers() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock())) {
            Counting c = new Counting();
            String bad = core.enroll("fail-bad").agentId();
            String good = core.enroll("fail-good").agentId();
            core.contribute("fragile", c, 0, 2);
            core.idle();
            long goodBefore = core.desired.state(good).get("fragile").desiredRevision();
            long badBefore = core.desired.state(bad).get("fragile").desiredRevision();
            c.failFor = bad;
            c.value = 3;
            core.desired.recompute("fragile");
            assertEquals(
                    goodBefore + 1,
                    core.desired.state(good).get("fragile").desiredRevision(),
                    "the healthy agent got the new state");
            assertEquals(
                    badBefore,
                    core.desired.state(bad).get("fragile").desiredRevision(),
                    "the failing agent keeps its last state");
        }
    }

    /** A burst of per-agent signals (a core restart, agents coming back) is one computeAll per section. */
    @Test
    void perAgentSignalsQueuedTogetherAreComputedInOneBatch() throws Exception {
        try (Core core = new Core(db.dataSource(), Settings.defaults(), new MutableClock())) {
            Counting c = new Counting();
            List<String> ids = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(core.enroll("burst-" + i).agentId());
            }
            core.contribute("bursty", c, 0, 3);
            core.idle();
            c.batches.set(0);
            c.value = 7;
            // a contributor that holds the worker until the signals below are queued
            java.util.concurrent.CountDownLatch again = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch blocking = new java.util.concurrent.CountDownLatch(1);
            core.desired.addContributor(
                    new DesiredStateContributor() {
                        @Override
                        public JsonNode compute(AgentInfo agent) {
                            blocking.countDown();
                            try {
                                again.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return Json.MAPPER.createObjectNode();
                        }
                    },
                    Map.of(
                            DesiredStateContributor.SECTION,
                            "blocker2",
                            org.osgi.framework.Constants.SERVICE_RANKING,
                            0,
                            org.osgi.framework.Constants.SERVICE_ID,
                            5L));
            // the worker must have taken the blocker's job before the signals are queued: a drain
            // that starts after the first of them takes some along, leaving the rest to a second
            assertTrue(blocking.await(30, java.util.concurrent.TimeUnit.SECONDS), "the blocker runs");
            Map<String, Long> before = new java.util.HashMap<>();
            for (String id : ids) {
                before.put(id, core.desired.revisions(id).getOrDefault("bursty", 0L));
                core.desired.changed("bursty", id); // queued behind the blocked worker
            }
            again.countDown();
            core.idle();
            assertEquals(1, c.batches.get(), "one computeAll for the five queued agents");
            for (String id : ids) {
                assertEquals(before.get(id) + 1, core.desired.revisions(id).get("bursty"), id);
            }
        }
    }
}
