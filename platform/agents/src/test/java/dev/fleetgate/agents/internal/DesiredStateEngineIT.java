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
}
