package dev.fleetgate.agent.probe.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated {@code http.probe} payload.
 *
 * @param url             http or https URL
 * @param method          GET or HEAD
 * @param timeoutMs       1..60000, default 5000
 * @param expectStatuses  the statuses that mean "ok" ({@code expectStatus} or {@code expectStatuses}); empty: any
 *                        2xx or 3xx
 * @param followRedirects follow 3xx with a Location (default false), recording the chain
 * @param maxRedirects    0..20, default 10: more hops is a failure
 * @param maxLatencyMs    a slower answer fails ({@code latency}), or null
 * @param bodyContains    the body (first MiB, UTF-8) must contain this, or null
 * @param headers         extra request headers (at most 20; token names, values without control characters;
 *                        Host, Connection, Content-Length and Transfer-Encoding are refused)
 */
record ProbeRequest(
        URI url,
        String method,
        int timeoutMs,
        List<Integer> expectStatuses,
        boolean followRedirects,
        int maxRedirects,
        Integer maxLatencyMs,
        String bodyContains,
        Map<String, String> headers) {

    static final int DEFAULT_TIMEOUT_MS = 5_000;
    static final int MAX_TIMEOUT_MS = 60_000;
    static final int DEFAULT_MAX_REDIRECTS = 10;

    /** @throws IllegalArgumentException with a message naming the invalid field */
    static ProbeRequest parse(JsonNode payload) {
        URI uri = url(payload.path("url").asText(""));
        String method = payload.path("method").asText("GET").toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("method: GET or HEAD");
        }
        int timeout = integer(payload, "timeoutMs", 1, MAX_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);
        List<Integer> expect = new ArrayList<>();
        JsonNode expectNode = payload.get("expectStatus");
        if (expectNode != null && !expectNode.isNull()) {
            expect.add(integer(payload, "expectStatus", 100, 599, 0));
        }
        JsonNode statuses = payload.get("expectStatuses");
        if (statuses != null && !statuses.isNull()) {
            if (!statuses.isArray() || statuses.size() > 20) {
                throw new IllegalArgumentException("expectStatuses: an array of at most 20 statuses");
            }
            for (JsonNode s : statuses) {
                if (!s.canConvertToInt() || s.asInt() < 100 || s.asInt() > 599) {
                    throw new IllegalArgumentException("expectStatuses: 100..599");
                }
                expect.add(s.asInt());
            }
        }
        JsonNode follow = payload.get("followRedirects");
        if (follow != null && !follow.isNull() && !follow.isBoolean()) {
            throw new IllegalArgumentException("followRedirects: true or false");
        }
        int maxRedirects = integer(payload, "maxRedirects", 0, 20, DEFAULT_MAX_REDIRECTS);
        JsonNode latencyNode = payload.get("maxLatencyMs");
        Integer latency = latencyNode == null || latencyNode.isNull()
                ? null
                : integer(payload, "maxLatencyMs", 1, MAX_TIMEOUT_MS, 0);
        String contains = null;
        JsonNode body = payload.get("bodyContains");
        if (body != null && !body.isNull()) {
            if (!body.isTextual() || body.asText().isEmpty() || body.asText().length() > 1000) {
                throw new IllegalArgumentException("bodyContains: a string of 1 to 1000 characters");
            }
            contains = body.asText();
        }
        return new ProbeRequest(
                uri,
                method,
                timeout,
                List.copyOf(expect),
                follow != null && follow.asBoolean(),
                maxRedirects,
                latency,
                contains,
                headers(payload.get("headers")));
    }

    private static final java.util.regex.Pattern TOKEN =
            java.util.regex.Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}");
    private static final java.util.Set<String> RESERVED =
            java.util.Set.of("host", "connection", "content-length", "transfer-encoding");

    /** @throws IllegalArgumentException naming {@code headers} */
    static Map<String, String> headers(JsonNode n) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject() || n.size() > 20) {
            throw new IllegalArgumentException("headers: an object of at most 20 headers");
        }
        var fields = n.fields();
        while (fields.hasNext()) {
            var e = fields.next();
            String v = e.getValue().isTextual() ? e.getValue().asText() : null;
            if (!TOKEN.matcher(e.getKey()).matches()
                    || RESERVED.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))
                    || v == null
                    || v.length() > 4000
                    || v.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
                throw new IllegalArgumentException("headers: invalid header " + e.getKey());
            }
            out.put(e.getKey(), v);
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    static URI url(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("url: not a valid URL: " + url);
        }
        if (!("http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme()))
                || uri.getHost() == null) {
            throw new IllegalArgumentException("url: an http:// or https:// URL with a host is required");
        }
        return uri;
    }

    static int integer(JsonNode payload, String field, int min, int max, int dflt) {
        JsonNode n = payload.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            throw new IllegalArgumentException(field + ": " + min + ".." + max);
        }
        return n.asInt();
    }

    boolean ok(int status) {
        return expectStatuses.isEmpty() ? status >= 200 && status < 400 : expectStatuses.contains(status);
    }
}
