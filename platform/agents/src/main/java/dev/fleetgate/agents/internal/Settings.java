package dev.fleetgate.agents.internal;

import java.time.Duration;

/** The configuration as plain values, so components can be built without OSGi. */
public record Settings(
        int syncIntervalSeconds,
        int offlineAfterIntervals,
        int taskRedeliverySeconds,
        int defaultTaskTtlSeconds,
        int taskRetentionDays,
        int maxBundleSizeMb) {

    public Settings {
        syncIntervalSeconds = Math.max(1, syncIntervalSeconds);
        offlineAfterIntervals = Math.max(1, offlineAfterIntervals);
        taskRedeliverySeconds = Math.max(1, taskRedeliverySeconds);
        defaultTaskTtlSeconds = Math.max(1, defaultTaskTtlSeconds);
        taskRetentionDays = Math.max(1, taskRetentionDays);
        maxBundleSizeMb = Math.max(1, maxBundleSizeMb);
    }

    public static Settings of(AgentsConfig c) {
        return new Settings(
                c.syncIntervalSeconds(),
                c.offlineAfterIntervals(),
                c.taskRedeliverySeconds(),
                c.defaultTaskTtlSeconds(),
                c.taskRetentionDays(),
                c.maxBundleSizeMb());
    }

    public static Settings defaults() {
        return new Settings(20, 3, 60, 600, 7, 50);
    }

    public Duration offlineAfter() {
        return Duration.ofSeconds((long) syncIntervalSeconds * offlineAfterIntervals);
    }

    public Duration taskRedelivery() {
        return Duration.ofSeconds(taskRedeliverySeconds);
    }

    public long maxBundleBytes() {
        return maxBundleSizeMb * 1024L * 1024L;
    }
}
