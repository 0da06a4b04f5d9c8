package dev.fleetgate.alerts;

import java.time.Duration;

/** A message was not delivered. */
public class DeliveryException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;
    private final boolean permanent;

    private DeliveryException(String message, Throwable cause, Duration retryAfter, boolean permanent) {
        super(message, cause);
        this.retryAfter = retryAfter;
        this.permanent = permanent;
    }

    /** A failure that may pass (network, 5xx): retried with backoff. */
    public static DeliveryException temporary(String message, Throwable cause) {
        return new DeliveryException(message, cause, null, false);
    }

    /** The receiver asked to wait (HTTP 429): the channel is paused that long, then retried. */
    public static DeliveryException rateLimited(String message, Duration retryAfter) {
        return new DeliveryException(message, null, retryAfter, false);
    }

    /** A failure a retry cannot fix (bad token, 4xx): no retry. */
    public static DeliveryException permanent(String message) {
        return new DeliveryException(message, null, null, true);
    }

    /** @return how long the receiver asked to wait, or null */
    public Duration retryAfter() {
        return retryAfter;
    }

    public boolean permanent() {
        return permanent;
    }
}
