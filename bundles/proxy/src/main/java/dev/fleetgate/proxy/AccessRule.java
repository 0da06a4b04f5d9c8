package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Allows or denies clients by address (filled by the firewall module). Rules are
 * evaluated in order, the first match wins.
 *
 * @param action what to do with a match
 * @param source an IPv4/IPv6 address or CIDR block, or {@code all}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccessRule(Action action, String source) {

    /** What a matching rule does. */
    public enum Action {
        @JsonProperty("allow")
        ALLOW,
        @JsonProperty("deny")
        DENY
    }
}
