package dev.fleetgate.firewall.detect;

/**
 * One request as the detectors see it (a subset of the agent's {@code AccessLogEntry}).
 *
 * @param timeMillis when the request ended, epoch milliseconds (detectors use this clock, so a replay behaves like live)
 * @param serviceId  the Fleetgate service, or {@code null} (unknown, e.g. nginx {@code combined} logs)
 * @param client     the client's address
 * @param method     the HTTP method
 * @param path       the request target as the client sent it, still percent-encoded: the path, then {@code ?} and
 *                   the query string when there is one (Fleetgate's JSON log carries them apart: see {@link #target})
 * @param status     the status sent
 * @param userAgent  the User-Agent header, or {@code null}
 * @param line       the raw log line, or {@code null} (live entries); used only as evidence
 */
public record Request(
        long timeMillis,
        String serviceId,
        String client,
        String method,
        String path,
        int status,
        String userAgent,
        String line) {

    /** The longest query string kept (the agent's JSON log cuts it there too): bounds memory per request. */
    public static final int MAX_QUERY = 1024;

    /**
     * Joins the path and query string of Fleetgate's JSON log into the request target a {@code combined} log has,
     * so rules on the path see the query the same way live and in every replay.
     *
     * @param path  the path without the query string, or null
     * @param query the query string without {@code ?} (cut to {@link #MAX_QUERY} characters), or null / empty
     */
    public static String target(String path, String query) {
        String p = path == null ? "" : path;
        if (query == null || query.isEmpty()) {
            return p;
        }
        return p + "?" + (query.length() > MAX_QUERY ? query.substring(0, MAX_QUERY) : query);
    }

    /** @return the line as shown in evidence: the raw line when there is one, else a combined-like rendering */
    public String sample() {
        if (line != null) {
            return line.length() > 512 ? line.substring(0, 512) : line;
        }
        String s = client + " " + (serviceId == null ? "-" : serviceId) + " \"" + method + " " + path + "\" " + status
                + " \"" + (userAgent == null ? "-" : userAgent) + "\"";
        return s.length() > 512 ? s.substring(0, 512) : s;
    }
}
