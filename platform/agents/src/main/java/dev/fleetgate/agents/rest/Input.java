package dev.fleetgate.agents.rest;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.Ids;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;

/** Reads and validates request fields, collecting every error before answering 400. */
final class Input {
    private final JsonNode body;
    private final List<FieldError> errors = new ArrayList<>();

    Input(JsonNode body) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw ApiException.invalid("", "the body must be a JSON object");
        }
        this.body = body;
    }

    /** @return the text of an optional string field (null when absent) */
    String text(String field, boolean required, int maxLength) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!n.isTextual()) {
            errors.add(new FieldError(field, "must be a string"));
            return null;
        }
        String s = n.asText();
        if (required && s.isBlank()) {
            errors.add(new FieldError(field, "must not be blank"));
        } else if (s.length() > maxLength) {
            errors.add(new FieldError(field, "at most " + maxLength + " characters"));
        }
        return s;
    }

    /** @return an optional integer field within [min, max] (null when absent) */
    Integer integer(String field, long min, long max) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isIntegralNumber() || n.asLong() < min || n.asLong() > max) {
            errors.add(new FieldError(field, "must be an integer between " + min + " and " + max));
            return null;
        }
        return n.asInt();
    }

    /** @return an optional JSON value (null when absent) */
    JsonNode json(String field) {
        JsonNode n = body == null ? null : body.get(field);
        return n == null || n.isNull() ? null : n;
    }

    /** @return an optional array of strings (null when absent) */
    List<String> strings(String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            errors.add(new FieldError(field, "must be an array of strings"));
            return null;
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n.size(); i++) {
            if (!n.get(i).isTextual()) {
                errors.add(new FieldError(field + "[" + i + "]", "must be a string"));
            } else {
                out.add(n.get(i).asText());
            }
        }
        return out;
    }

    /** Throws 400 with every error found so far. */
    void check() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /** @return the canonical id; 400 when {@code text} is not a UUID */
    static String id(String text, String field) {
        return Ids.canonical(text).orElseThrow(() -> ApiException.invalid(field, "must be a UUID"));
    }

    /** @return the token of an {@code Authorization: Bearer} header, or null */
    /** The agent's API key; 401 before anything else when there is none, so nothing leaks to strangers. */
    static String bearer(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
            throw new ApiException(401, "Missing agent API key (Authorization: Bearer <apiKey>)");
        }
        return header.substring(7).trim();
    }
}
