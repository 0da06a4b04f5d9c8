package dev.fleetgate.agents.rest;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.agents.internal.Ids;
import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.input.Fields;

/**
 * A request body read through {@link Fields} (every error collected before answering 400), plus
 * the path-id and API-key checks of the agent endpoints.
 */
final class Input {
    private final JsonNode body;
    private final Fields fields = new Fields();

    Input(JsonNode body) {
        if (body != null && !body.isNull() && !body.isObject()) {
            throw ApiException.invalid("", "the body must be a JSON object");
        }
        this.body = body;
    }

    /** @return the text of a string field (null when absent); required means not blank */
    String text(String field, boolean required, int maxLength) {
        return fields.text(body, field, field, required, maxLength);
    }

    /** @return an optional integer field within [min, max] (null when absent) */
    Integer integer(String field, long min, long max) {
        return fields.integer(body, field, field, min, max, null);
    }

    /** @return an optional JSON value (null when absent) */
    JsonNode json(String field) {
        JsonNode n = body == null ? null : body.get(field);
        return Fields.absent(n) ? null : n;
    }

    /** @return an optional array of strings (null when absent) */
    List<String> strings(String field) {
        return fields.strings(body, field, field, false, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** Throws 400 with every error found so far. */
    void check() {
        fields.check();
    }

    /** @return the canonical id; 400 when {@code text} is not a UUID */
    static String id(String text, String field) {
        return Ids.canonical(text).orElseThrow(() -> ApiException.invalid(field, "must be a UUID"));
    }
}
