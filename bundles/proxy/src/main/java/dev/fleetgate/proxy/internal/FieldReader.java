package dev.fleetgate.proxy.internal;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.api.FieldError;

/** Reads typed fields from a JSON tree, collecting one error per bad field. */
final class FieldReader {
    private final List<FieldError> errors = new ArrayList<>();

    List<FieldError> errors() {
        return errors;
    }

    void error(String field, String message) {
        errors.add(new FieldError(field, message));
    }

    static String path(String prefix, String name) {
        return prefix.isEmpty() ? name : prefix + "." + name;
    }

    static boolean absent(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode();
    }

    /** @return the text, or null when absent (an error when required) or not a string */
    String text(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!n.isTextual()) {
            error(field, "must be a string");
            return null;
        }
        return n.asText();
    }

    /** @return the value, {@code dflt} when absent, or null after an error */
    Integer integer(JsonNode parent, String name, String field, int min, int max, Integer dflt) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < min || n.asInt() > max) {
            error(field, "must be an integer from " + min + " to " + max);
            return null;
        }
        return n.asInt();
    }

    /** Required integer. */
    Integer requiredInteger(JsonNode parent, String name, String field, int min, int max) {
        if (absent(parent.get(name))) {
            error(field, "is required");
            return null;
        }
        return integer(parent, name, field, min, max, null);
    }

    boolean bool(JsonNode parent, String name, String field, boolean dflt) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            return dflt;
        }
        if (!n.isBoolean()) {
            error(field, "must be true or false");
            return dflt;
        }
        return n.asBoolean();
    }

    /** @return the object, or null when absent (an error when required) or not an object */
    JsonNode object(JsonNode parent, String name, String field, boolean required) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!n.isObject()) {
            error(field, "must be an object");
            return null;
        }
        return n;
    }

    /** @return the array, or null when absent (an error when required) or not an array */
    JsonNode array(JsonNode parent, String name, String field, boolean required, int maxSize) {
        JsonNode n = parent.get(name);
        if (absent(n)) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!n.isArray()) {
            error(field, "must be an array");
            return null;
        }
        if (n.size() > maxSize) {
            error(field, "must have at most " + maxSize + " elements");
            return null;
        }
        return n;
    }
}
