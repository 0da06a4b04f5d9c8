package dev.fleetgate.agent.nginx.internal;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agent.AccessLogEntry;

/** Parses one line of the JSON access log the driver configures ({@code log_format fleetgate_json}). */
public final class AccessLogParser {

    private AccessLogParser() {}

    /** @return the entry, or null when the line is not one of ours */
    public static AccessLogEntry parse(String line) {
        JsonNode n;
        try {
            n = Spec.JSON.readTree(line);
        } catch (IOException e) {
            return null;
        }
        if (n == null || !n.isObject() || !n.has("time") || !n.has("status")) {
            return null;
        }
        return new AccessLogEntry(
                Math.round(n.path("time").asDouble() * 1000),
                blank(n.path("service").asText("")),
                n.path("client").asText(""),
                n.path("method").asText(""),
                n.path("host").asText(""),
                n.path("path").asText(""),
                query(n.path("query").asText("")),
                n.path("status").asInt(),
                n.path("bytes").asLong(),
                n.path("requestTime").asDouble(),
                seconds(n.path("upstreamTime").asText("")),
                blank(n.path("upstream").asText("")),
                blank(n.path("userAgent").asText("")));
    }

    /**
     * nginx lists one time per upstream tried, separated by {@code ,} (retries) or {@code :} (internal redirects);
     * {@code -} when none answered.
     *
     * @return their sum, or null when there is none
     */
    static Double seconds(String value) {
        Double sum = null;
        for (String part : value.split("[,:]")) {
            String p = part.trim();
            if (p.isEmpty() || p.equals("-")) {
                continue;
            }
            try {
                sum = (sum == null ? 0 : sum) + Double.parseDouble(p);
            } catch (NumberFormatException e) {
                // not a time
            }
        }
        return sum;
    }

    /** @return the query string cut to {@link AccessLogEntry#MAX_QUERY} characters, or null when empty */
    static String query(String q) {
        if (q.isEmpty()) {
            return null;
        }
        return q.length() > AccessLogEntry.MAX_QUERY ? q.substring(0, AccessLogEntry.MAX_QUERY) : q;
    }

    private static String blank(String s) {
        return s == null || s.isEmpty() || s.equals("-") ? null : s;
    }
}
