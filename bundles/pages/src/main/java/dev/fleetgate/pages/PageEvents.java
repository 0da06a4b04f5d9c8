package dev.fleetgate.pages;

/**
 * What the pages module tells module 8 (alerts): an {@code AlertEvent} of kind {@value #MAINTENANCE_KIND}, subject
 * the service's name, label {@code service} (its id), firing when a service's maintenance begins (by a switch or
 * when its window starts), cleared when it ends (switched off, deleted or its end time passed).
 */
public final class PageEvents {
    /** The alert kind of maintenance windows. */
    public static final String MAINTENANCE_KIND = "maintenance";

    private PageEvents() {}
}
