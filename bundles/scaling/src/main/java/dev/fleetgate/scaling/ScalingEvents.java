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
    /** Firing (info) when the loop stops a service's last replica after its idle period; cleared when it wakes. */
    public static final String TO_ZERO_KIND = "scaling.to-zero";
    /** Firing (info) when a request wakes a service scaled to zero; cleared when it goes back to zero. */
    public static final String WOKEN_KIND = "scaling.woken";

    private ScalingEvents() {}
}
