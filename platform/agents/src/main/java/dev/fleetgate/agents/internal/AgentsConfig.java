package dev.fleetgate.agents.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the agent protocol, PID {@value #PID}. */
@ObjectClassDefinition(
        name = "Fleetgate agents",
        description = "Core side of the agent protocol: sync, tasks, bundle deployment")
public @interface AgentsConfig {
    String PID = "dev.fleetgate.agents";

    @AttributeDefinition(description = "Seconds between agent syncs; also the longest long-poll hold", min = "1")
    int syncIntervalSeconds() default 20;

    @AttributeDefinition(description = "An agent is OFFLINE after this many sync intervals without a sync", min = "1")
    int offlineAfterIntervals() default 3;

    @AttributeDefinition(
            description = "A delivered task without a result is sent again after this many seconds",
            min = "1")
    int taskRedeliverySeconds() default 60;

    @AttributeDefinition(description = "Time to live of a task when the caller gives none", min = "1")
    int defaultTaskTtlSeconds() default 600;

    @AttributeDefinition(description = "Finished tasks are deleted after this many days", min = "1")
    int taskRetentionDays() default 7;

    @AttributeDefinition(description = "Largest bundle jar accepted for upload, in MB", min = "1")
    int maxBundleSizeMb() default 50;
}
