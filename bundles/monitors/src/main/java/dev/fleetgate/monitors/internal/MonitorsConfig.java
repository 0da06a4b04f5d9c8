package dev.fleetgate.monitors.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.monitors} ({@code etc/dev.fleetgate.monitors.cfg}). */
@ObjectClassDefinition(
        id = MonitorsConfig.PID,
        name = "Fleetgate monitors",
        description = "How uptime monitors are scheduled on the agents and how long their results are kept.")
public @interface MonitorsConfig {
    String PID = "dev.fleetgate.monitors";
    /** The lowest {@link #minIntervalSeconds()} taken. */
    int MIN_INTERVAL_LOWEST = 1;
    /** The highest {@link #minIntervalSeconds()} taken. */
    int MIN_INTERVAL_HIGHEST = 3600;

    @AttributeDefinition(
            description = "Run the scheduler on this core (cores sharing a database share the "
                    + "work: each due monitor is claimed by one of them).")
    boolean schedulerEnabled() default true;

    @AttributeDefinition(min = "1", description = "How often the scheduler looks for due monitors (seconds).")
    int tickSeconds() default 2;

    @AttributeDefinition(
            min = "1",
            description = "How long a probe task may wait for its agent (seconds) "
                    + "before it counts as not run (no result is recorded).")
    int taskTtlSeconds() default 60;

    @AttributeDefinition(min = "1", description = "Raw results older than this are deleted (days).")
    int resultRetentionDays() default 7;

    @AttributeDefinition(
            min = "60",
            description = "How often results are rolled up into hourly aggregates and " + "old ones deleted (seconds).")
    int pruneIntervalSeconds() default 600;

    @AttributeDefinition(min = "1", description = "Hourly aggregates older than this are deleted (days).")
    int hourlyRetentionDays() default 400;

    @AttributeDefinition(
            min = "1",
            max = "3600",
            description = "The shortest intervalSeconds a monitor may have (seconds, 1 to 3600; another value "
                    + "is logged and 10 is used). Monitors already stored with a shorter interval keep it.")
    int minIntervalSeconds() default 10;
}
