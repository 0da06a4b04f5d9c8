package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Upstream timeouts in seconds: connecting, between two reads, between two writes.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Timeouts(int connectSeconds, int readSeconds, int sendSeconds) {
    public static final Timeouts DEFAULT = new Timeouts(5, 60, 60);
}
