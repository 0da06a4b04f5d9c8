package dev.fleetgate.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Retention of the activity log (PID {@code dev.fleetgate.rest.activity}). */
@ObjectClassDefinition(name = "Fleetgate activity log", description = "Who changed what through the API")
public @interface ActivityConfig {

    @AttributeDefinition(min = "1", description = "Entries older than this many days are deleted")
    int retentionDays() default 90;

    @AttributeDefinition(min = "100", description = "At most this many entries are kept (the oldest go first)")
    int maxEntries() default 100_000;

    @AttributeDefinition(min = "1", description = "How often old entries are pruned (minutes)")
    int pruneIntervalMinutes() default 60;
}
