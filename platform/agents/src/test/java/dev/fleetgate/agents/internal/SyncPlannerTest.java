package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.TaskStatus;

class SyncPlannerTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration REDELIVERY = Duration.ofSeconds(60);

    @Test
    void sendsOnlySectionsNewerThanReported() {
        Map<String, Long> desired = Map.of("bundles", 4L, "proxy", 5L, "containers", 2L);
        Map<String, Long> reported = Map.of("bundles", 3L, "proxy", 5L, "containers", 7L);
        assertEquals(Set.of("bundles"), SyncPlanner.sectionsToSend(desired, reported));
    }

    @Test
    void agentThatLostItsMemoryGetsEverySection() {
        Map<String, Long> desired = Map.of("bundles", 4L, "proxy", 5L);
        assertEquals(Set.of("bundles", "proxy"), SyncPlanner.sectionsToSend(desired, Map.of()));
    }

    @Test
    void failedRevisionIsNotResent() {
        // the agent reports the revision it attempted (with an error): nothing newer exists
        assertTrue(SyncPlanner.sectionsToSend(Map.of("proxy", 5L), Map.of("proxy", 5L))
                .isEmpty());
    }

    @Test
    void pendingTaskIsDeliverableUntilItExpires() {
        assertTrue(SyncPlanner.deliverable(TaskStatus.PENDING, null, NOW.plusSeconds(1), NOW, REDELIVERY));
        assertFalse(SyncPlanner.deliverable(TaskStatus.PENDING, null, NOW, NOW, REDELIVERY));
    }

    @Test
    void deliveredTaskIsResentOnlyAfterTheRedeliveryDelay() {
        Instant expires = NOW.plusSeconds(600);
        assertFalse(SyncPlanner.deliverable(TaskStatus.DELIVERED, NOW.minusSeconds(59), expires, NOW, REDELIVERY));
        assertTrue(SyncPlanner.deliverable(TaskStatus.DELIVERED, NOW.minusSeconds(60), expires, NOW, REDELIVERY));
    }

    @Test
    void finishedTasksAreNeverDelivered() {
        for (TaskStatus s : new TaskStatus[] {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.EXPIRED}) {
            assertFalse(
                    SyncPlanner.deliverable(s, NOW.minusSeconds(600), NOW.plusSeconds(600), NOW, REDELIVERY), s.name());
        }
    }
}
