package dev.fleetgate.agent;

/**
 * One request served by the agent's proxy, parsed once from nginx's JSON access log.
 *
 * @param timeMillis         when the request ended, epoch milliseconds
 * @param serviceId          the Fleetgate service that served it, or {@code null} (no site matched)
 * @param clientAddress      the client's address
 * @param method             the HTTP method
 * @param host               the Host header
 * @param path               the request path, without the query string
 * @param query              the query string as the client sent it (still percent-encoded, without the {@code ?},
 *                           at most {@link #MAX_QUERY} characters), or {@code null} when there was none
 * @param status             the status sent to the client
 * @param bytesSent          bytes sent to the client
 * @param requestTimeSeconds total request time
 * @param upstreamTimeSeconds time waiting for the upstream, or {@code null} when none answered
 * @param upstreamAddress    the upstream address(es) tried, or {@code null}
 * @param userAgent          the User-Agent header, or {@code null}
 */
public record AccessLogEntry(
        long timeMillis,
        String serviceId,
        String clientAddress,
        String method,
        String host,
        String path,
        String query,
        int status,
        long bytesSent,
        double requestTimeSeconds,
        Double upstreamTimeSeconds,
        String upstreamAddress,
        String userAgent) {

    /** The longest query string an entry carries (longer ones are cut): bounds what listeners hold per request. */
    public static final int MAX_QUERY = 1024;

    /** An entry without a query string (the form before the query was logged). */
    public AccessLogEntry(
            long timeMillis,
            String serviceId,
            String clientAddress,
            String method,
            String host,
            String path,
            int status,
            long bytesSent,
            double requestTimeSeconds,
            Double upstreamTimeSeconds,
            String upstreamAddress,
            String userAgent) {
        this(
                timeMillis,
                serviceId,
                clientAddress,
                method,
                host,
                path,
                null,
                status,
                bytesSent,
                requestTimeSeconds,
                upstreamTimeSeconds,
                upstreamAddress,
                userAgent);
    }
}
