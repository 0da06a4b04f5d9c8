package dev.fleetgate.alerts.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.alerts} ({@code etc/dev.fleetgate.alerts.cfg}). */
@ObjectClassDefinition(
        id = AlertsConfig.PID,
        name = "Fleetgate alerts",
        description = "How the alerts module evaluates rules and delivers notifications.")
public @interface AlertsConfig {
    String PID = "dev.fleetgate.alerts";

    @AttributeDefinition(
            min = "1",
            description = "How often metric rules are evaluated against the stored samples "
                    + "(seconds). One core at a time evaluates (PostgreSQL advisory lock).")
    int evaluationIntervalSeconds() default 5;

    @AttributeDefinition(
            min = "0",
            description =
                    "After a metric batch is stored on this core, metric rules are "
                            + "evaluated at once, but at most once per this gap (milliseconds); the periodic evaluation remains.")
    int minEvaluationGapMillis() default 1000;

    @AttributeDefinition(
            min = "0",
            description = "How far back a metric rule looks at a series it has not "
                    + "evaluated yet, on top of its window and for-period (seconds).")
    int lookbackSeconds() default 300;

    @AttributeDefinition(
            min = "100",
            description = "How often the delivery outbox is polled (milliseconds); "
                    + "deliveries of this core are also sent at once.")
    int dispatchIntervalMillis() default 1000;

    @AttributeDefinition(min = "1", description = "Attempts of one delivery before it is marked FAILED.")
    int maxAttempts() default 8;

    @AttributeDefinition(min = "1", description = "First retry of a failed delivery (seconds); doubles each time.")
    int retryInitialSeconds() default 5;

    @AttributeDefinition(min = "1", description = "Longest wait between retries of a delivery (seconds).")
    int retryMaxSeconds() default 600;

    @AttributeDefinition(
            min = "60",
            description = "Period in which a (rule, subject) that opened flapThreshold "
                    + "incidents is flapping and notified at most once (seconds).")
    int flapWindowSeconds() default 3600;

    @AttributeDefinition(
            min = "2",
            description = "Incidents of one (rule, subject) in flapWindowSeconds that make it " + "flapping.")
    int flapThreshold() default 3;

    @AttributeDefinition(
            description = "Base URL of the web admin, for links in messages (e.g. "
                    + "https://fleet.example:8080); empty = no link.")
    String webBaseUrl() default "";
}
