package dev.fleetgate.alerts.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.alerts.DeliveryException;
import dev.fleetgate.api.FieldError;

/** HTTP helpers of the HTTP channels. */
final class Http {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private Http() {
    }

    static HttpResponse<String> postJson(String url, String body, Map<String, String> headers, String hide)
            throws DeliveryException {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT)
                    .header("Content-Type", "application/json").header("User-Agent", "Fleetgate-Alerts")
                    .POST(HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(b::header);
            return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw DeliveryException.temporary(hide(e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()), hide), null);
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
        return r.headers().firstValue("Retry-After").map(v -> {
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }).orElse(null);
    }

    /** Checks an http(s) URL field. */
    static void url(ObjectNode settings, String field, boolean required, List<FieldError> errors) {
        JsonNode v = settings.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError("settings." + field, "is required"));
            }
            return;
        }
        if (!v.isTextual() || v.asText().length() > 2000) {
            errors.add(new FieldError("settings." + field, "must be an http(s) URL (at most 2000 characters)"));
            return;
        }
        try {
            URI u = new URI(v.asText());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                errors.add(new FieldError("settings." + field, "must be an http(s) URL with a host"));
            }
        } catch (java.net.URISyntaxException e) {
            errors.add(new FieldError("settings." + field, "is not a valid URL"));
        }
    }

    /** Checks a string field: non-empty, at most {@code max} characters, no control characters. */
    static void text(ObjectNode settings, String field, boolean required, int max, List<FieldError> errors) {
        JsonNode v = settings.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                errors.add(new FieldError("settings." + field, "is required"));
            }
            return;
        }
        if (!v.isTextual() || v.asText().isEmpty() || v.asText().length() > max || hasControl(v.asText())) {
            errors.add(new FieldError("settings." + field, "must be a non-empty string of at most " + max
                    + " characters without control characters"));
        }
    }

    static boolean hasControl(String s) {
        return s.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    /** Fields that are not among {@code known}. */
    static void unknown(ObjectNode settings, List<String> known, List<FieldError> errors) {
        List<String> names = new ArrayList<>();
        settings.fieldNames().forEachRemaining(names::add);
        for (String n : names) {
            if (!known.contains(n)) {
                errors.add(new FieldError("settings." + (n.length() > 50 ? n.substring(0, 50) : n), "is not a setting of this channel type"));
            }
        }
    }
}
