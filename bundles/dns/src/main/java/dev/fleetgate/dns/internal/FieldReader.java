package dev.fleetgate.dns.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.FieldError;

/** Reads typed fields from a JSON object, collecting one error per bad field. */
final class FieldReader {
    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return errors;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    boolean failed(String field) {
        return errors.stream().anyMatch(e -> e.field().equals(field));
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** @return the text, or null when absent (an error when required), not a string or too long */
    String text(JsonNode parent, String name, boolean required, int maxLength) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            if (required) {
                error(name, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            error(name, "must be a string");
            return null;
        }
        String s = n.asText();
        if (s.isEmpty() && required) {
            error(name, "must not be empty");
            return null;
        }
        if (s.length() > maxLength) {
            error(name, "must be at most " + maxLength + " characters");
            return null;
        }
        return s;
    }

    /** @return the value, {@code dflt} when absent, or null after an error */
    Integer integer(JsonNode parent, String name, int min, int max, Integer dflt) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            error(name, "must be an integer from " + min + " to " + max);
            return null;
        }
        return n.asInt();
    }
}
