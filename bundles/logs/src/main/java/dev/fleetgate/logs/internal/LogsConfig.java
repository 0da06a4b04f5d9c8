package dev.fleetgate.logs.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.logs}. */
@ObjectClassDefinition(name = "Fleetgate logs", description = "How log fetches from agents are bounded")
public @interface LogsConfig {
    String PID = "dev.fleetgate.logs";

    @AttributeDefinition(
            name = "Wait",
            min = "1",
            max = "120",
            description = "Seconds a request waits for the agent's answer before 504")
    int waitSeconds() default 10;

    @AttributeDefinition(
            name = "Task time to live",
            min = "1",
            max = "600",
            description = "Seconds a fetch task may wait for delivery before it expires")
    int taskTtlSeconds() default 30;

    @AttributeDefinition(
            name = "Max bytes",
            min = "1024",
            max = "4194304",
            description = "About how many bytes of log text one answer carries at most")
    int maxBytes() default 262144;
}
