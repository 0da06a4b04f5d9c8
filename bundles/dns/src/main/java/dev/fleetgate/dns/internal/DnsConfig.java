package dev.fleetgate.dns.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration PID {@code dev.fleetgate.dns} ({@code etc/dev.fleetgate.dns.cfg}). */
@ObjectClassDefinition(
        id = DnsConfig.PID,
        name = "Fleetgate DNS",
        description = "How the DNS module keeps the records of services in the configured zones.")
public @interface DnsConfig {
    String PID = "dev.fleetgate.dns";

    @AttributeDefinition(
            min = "0",
            description = "Quiet time after a change before the records are reconciled, "
                    + "so that a burst of changes gives one update per zone (milliseconds).")
    long debounceMillis() default 250;

    @AttributeDefinition(
            min = "1",
            description =
                    "First retry after a zone's server failed (seconds); doubles " + "with each failure in a row.")
    int retryInitialSeconds() default 2;

    @AttributeDefinition(min = "1", description = "Longest wait between retries of a failing zone (seconds).")
    int retryMaxSeconds() default 300;

    @AttributeDefinition(min = "1", description = "Timeout of one exchange with a DNS server (seconds).")
    int timeoutSeconds() default 10;

    @AttributeDefinition(
            min = "0",
            description = "Reconcile this often even without a change, e.g. to follow "
                    + "changes made through another core (seconds; 0 = never).")
    int resyncSeconds() default 300;

    @AttributeDefinition(
            description = "Point a service's records only at the ONLINE agents serving it (all of "
                    + "them when none is online), so DNS fails over when a host goes down.")
    boolean onlineAgentsOnly() default true;

    @AttributeDefinition(
            description = "When edge agents exist, point every service's records at the edges "
                    + "(they front all domains) instead of the hosts.")
    boolean preferEdge() default true;
}
