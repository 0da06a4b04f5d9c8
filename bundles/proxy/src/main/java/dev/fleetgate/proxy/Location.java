package dev.fleetgate.proxy;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Routing of the requests whose path matches. Exactly one of {@code upstream} and
 * {@code handler} is set.
 *
 * @param path     URL path, starts with {@code /}
 * @param match    how {@code path} matches
 * @param upstream name of the {@link Upstream} requests are forwarded to
 * @param handler  name of something the agent serves itself, e.g. {@code acme-challenge}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Location(String path, Match match, String upstream, String handler) {

    /** How a location's path matches a request path. */
    public enum Match {
        /** the request path starts with the path */
        @JsonProperty("prefix")
        PREFIX,
        /** the request path equals the path */
        @JsonProperty("exact")
        EXACT
    }

    public Location {
        match = match == null ? Match.PREFIX : match;
    }

    public static Location proxy(String path, String upstream) {
        return new Location(path, Match.PREFIX, upstream, null);
    }
}
