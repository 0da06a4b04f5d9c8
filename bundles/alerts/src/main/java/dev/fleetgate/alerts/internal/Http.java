package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.api.input.Fields;

/** HTTP helpers of the HTTP channels. */
final class Http {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    private Http() {}

    static HttpResponse<String> postJson(String url, String body, Map<String, String> headers, String hide)
            throws DeliveryException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "Fleetgate-Alerts")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw DeliveryException.temporary(
                    hide(e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()), hide),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DeliveryException.temporary("interrupted", null);
        } catch (IllegalArgumentException e) {
            throw DeliveryException.permanent(hide("bad URL: " + e.getMessage(), hide));
        }
    }

    static String hide(String text, String secret) {
        return secret == null || secret.isEmpty() || text == null ? text : text.replace(secret, "***");
    }

    /** @return the Retry-After header in seconds, or null */
    static Long retryAfter(HttpResponse<?> r) {
        return r.headers()
                .firstValue("Retry-After")
                .map(v -> {
                    try {
                        return Long.parseLong(v.trim());
                    } catch (NumberFormatException e) {
                        return null;
                    }
                })
                .orElse(null);
    }

    /** Checks an http(s) URL field ({@code settings.<field>}). */
    static void url(ObjectNode settings, String field, boolean required, Fields errors) {
        String path = "settings." + field;
        JsonNode v = settings.get(field);
        if (Fields.absent(v)) {
            if (required) {
                errors.error(path, "is required");
            }
            return;
        }
        if (!v.isTextual() || v.asText().length() > 2000) {
            errors.error(path, "must be an http(s) URL (at most 2000 characters)");
            return;
        }
        try {
            URI u = new URI(v.asText());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                errors.error(path, "must be an http(s) URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            errors.error(path, "is not a valid URL");
        }
    }
}
