package dev.fleetgate.agents.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.fleetgate.api.TaskStatus;

/** The protocol's decisions, free of I/O: which sections and tasks an answer carries. */
public final class SyncPlanner {

    private SyncPlanner() {}

    /**
     * @param desired  desired revision per section
     * @param reported the revision the agent reported per section (absent = none)
     * @return the sections whose desired revision is greater than the reported one
     */
    public static Set<String> sectionsToSend(Map<String, Long> desired, Map<String, Long> reported) {
        Set<String> out = new TreeSet<>();
        desired.forEach((section, revision) -> {
            if (revision > reported.getOrDefault(section, 0L)) {
                out.add(section);
            }
        });
        return out;
    }

    /**
     * A task is deliverable when it has not expired and is either pending, or was delivered
     * more than {@code redelivery} ago without a result (at-least-once delivery).
     */
    public static boolean deliverable(
            TaskStatus status, Instant deliveredAt, Instant expiresAt, Instant now, Duration redelivery) {
        if (expiresAt == null || !expiresAt.isAfter(now)) {
            return false;
        }
        if (status == TaskStatus.PENDING) {
            return true;
        }
        return status == TaskStatus.DELIVERED
                && (deliveredAt == null || !deliveredAt.plus(redelivery).isAfter(now));
    }
}
