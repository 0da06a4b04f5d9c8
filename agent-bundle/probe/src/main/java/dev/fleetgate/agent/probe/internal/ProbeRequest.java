package dev.fleetgate.agent.probe.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A validated {@code http.probe} payload.
 *
 * @param url          http or https URL
 * @param method       GET or HEAD
 * @param timeoutMs    1..60000, default 5000
 * @param expectStatus the status that means "ok", or {@code null}: then any 2xx or 3xx is ok
 */
record ProbeRequest(URI url, String method, int timeoutMs, Integer expectStatus) {

    static final int DEFAULT_TIMEOUT_MS = 5_000;
    static final int MAX_TIMEOUT_MS = 60_000;

    /** @throws IllegalArgumentException with a message naming the invalid field */
    static ProbeRequest parse(JsonNode payload) {
        String url = payload.path("url").asText("");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: not a valid URL: " + url);
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("url: an http:// or https:// URL with a host is required");
        }
        String method = payload.path("method").asText("GET").toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("method: GET or HEAD");
        }
        int timeout = DEFAULT_TIMEOUT_MS;
        JsonNode timeoutNode = payload.get("timeoutMs");
        if (timeoutNode != null && !timeoutNode.isNull()) {
            if (!timeoutNode.canConvertToInt() || timeoutNode.asInt() < 1 || timeoutNode.asInt() > MAX_TIMEOUT_MS) {
                throw new IllegalArgumentException("timeoutMs: 1.." + MAX_TIMEOUT_MS);
            }
            timeout = timeoutNode.asInt();
        }
        Integer expect = null;
        JsonNode expectNode = payload.get("expectStatus");
        if (expectNode != null && !expectNode.isNull()) {
            if (!expectNode.canConvertToInt() || expectNode.asInt() < 100 || expectNode.asInt() > 599) {
                throw new IllegalArgumentException("expectStatus: 100..599");
            }
            expect = expectNode.asInt();
        }
        return new ProbeRequest(uri, method, timeout, expect);
    }

    boolean ok(int status) {
        return expectStatus == null ? status >= 200 && status < 400 : status == expectStatus;
    }
}
