package dev.fleetgate.api.alerts;

/** EventAdmin topics of alert events (see the package documentation for the properties). */
public final class AlertTopics {
    /** Prefix of every alert topic; the alerts module subscribes to {@code fleetgate/alerts/*}. */
    public static final String PREFIX = "fleetgate/alerts/";
    /** A condition started or is still true. */
    public static final String FIRING = PREFIX + "FIRING";
    /** A condition ended. */
    public static final String CLEARED = PREFIX + "CLEARED";
    /** The subscription filter of the alerts module. */
    public static final String ALL = PREFIX + "*";

    private AlertTopics() {}
}
