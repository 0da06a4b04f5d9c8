package dev.fleetgate.scaling;

/**
 * What the scaling module tells module 8 (alerts), as {@code dev.fleetgate.api.alerts.AlertEvent}s with the subject
 * the service's name and the label {@code service} (its id).
 */
public final class ScalingEvents {
    /** Firing when a service has run at its {@code maxReplicas} for 10 minutes; cleared when it runs fewer. */
    public static final String AT_MAX_KIND = "scaling.at-max";
    /** Firing after 3 changes of scaling direction within 10 minutes; cleared when none is left in the window. */
    public static final String FLAPPING_KIND = "scaling.flapping";

    private ScalingEvents() {}
}
