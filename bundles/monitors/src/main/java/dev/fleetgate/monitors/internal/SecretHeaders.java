package dev.fleetgate.monitors.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.DesiredStateContributor;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.input.Fields;
import dev.fleetgate.security.SecretBox;

/**
 * A monitor's request headers are secrets (an {@code Authorization} or API-key header is the usual reason to
 * give one): each value is stored sealed ({@code {"$sealed": "<SecretBox text>"}}) in the monitor's options and in
 * the probe tasks it submits (the sync opens it on its way to the agent), and every read answers
 * {@code {"set": true}} instead of the value. An update giving {@code {"set": true}} keeps the stored value; a
 * header left out is removed.
 */
public final class SecretHeaders {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private SecretHeaders() {}

    /** The read shape of a stored value, also the update's "keep it" marker. */
    public static ObjectNode keep() {
        return F.objectNode().put("set", true);
    }

    static boolean isKeep(JsonNode v) {
        return v != null
                && v.isObject()
                && v.size() == 1
                && v.path("set").isBoolean()
                && v.get("set").asBoolean();
    }

    /**
     * @param options the validated options of a create or update (headers: text or the keep marker)
     * @param stored  the monitor's stored options (null on create)
     * @return the options with every header value sealed (kept ones as stored)
     * @throws ApiException 400 when a kept header has no stored value
     */
    static ObjectNode seal(ObjectNode options, ObjectNode stored, SecretBox box) {
        if (options == null || !options.path("headers").isObject()) {
            return options;
        }
        ObjectNode out = options.deepCopy();
        ObjectNode headers = (ObjectNode) out.get("headers");
        JsonNode old = stored == null ? null : stored.path("headers");
        List<FieldError> errors = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = headers.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (isKeep(e.getValue())) {
                JsonNode previous = old == null ? null : old.get(e.getKey());
                if (previous == null || previous.isNull()) {
                    errors.add(new FieldError(
                            Fields.path("headers", Fields.quoted(e.getKey())),
                            "no stored value to keep: give the header's value"));
                } else {
                    e.setValue(previous.deepCopy());
                }
            } else {
                e.setValue(sealedValue(e.getValue().asText(), box));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return out;
    }

    /** @return the options with their plaintext header values sealed (older rows), or null when none is plain */
    static ObjectNode sealedPlaintext(ObjectNode options, SecretBox box) {
        JsonNode headers = options == null ? null : options.get("headers");
        boolean plain = false;
        for (JsonNode v : headers == null ? F.objectNode() : headers) {
            plain |= v.isTextual();
        }
        if (!plain) {
            return null;
        }
        ObjectNode out = options.deepCopy();
        ((ObjectNode) out.get("headers")).fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                e.setValue(sealedValue(e.getValue().asText(), box));
            }
        });
        return out;
    }

    private static ObjectNode sealedValue(String plaintext, SecretBox box) {
        return F.objectNode().put(DesiredStateContributor.SEALED, box.encrypt(plaintext));
    }

    /** The read shape: every header named, no value. */
    public static ObjectNode masked(JsonNode headers) {
        ObjectNode out = F.objectNode();
        headers.fieldNames().forEachRemaining(name -> out.set(name, keep()));
        return out;
    }
}
