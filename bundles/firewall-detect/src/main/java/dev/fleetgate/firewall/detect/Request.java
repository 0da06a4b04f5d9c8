package dev.fleetgate.firewall.detect;

/**
 * One request as the detectors see it (a subset of the agent's {@code AccessLogEntry}).
 *
 * @param timeMillis when the request ended, epoch milliseconds (detectors use this clock, so a replay behaves like live)
 * @param serviceId  the Fleetgate service, or {@code null} (unknown, e.g. nginx {@code combined} logs)
 * @param client     the client's address
 * @param method     the HTTP method
 * @param path       the request path (with the query string when the log has it)
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
