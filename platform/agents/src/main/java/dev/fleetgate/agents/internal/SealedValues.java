package dev.fleetgate.agents.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

import dev.fleetgate.api.DesiredStateContributor;

/**
 * Opens the sealed secret values ({@code {"$sealed": "…"}}, see {@link DesiredStateContributor#SEALED}) of a
 * section body on its way to the agent. Section bodies are stored and compared sealed, so the database never holds
 * the plaintext; the agent receives plain strings. A value that cannot be opened (another master key, damaged
 * text) is left out of its object (null in an array) and logged, without its content.
 */
final class SealedValues {
    private static final Logger LOG = LoggerFactory.getLogger(SealedValues.class);

    private SealedValues() {}

    /**
     * @param body a stored section body (not changed)
     * @param open {@code SecretBox::decrypt}
     * @return the body with every sealed value opened; the same instance when it holds none
     */
    static JsonNode open(JsonNode body, UnaryOperator<String> open) {
        if (body == null || !contains(body)) {
            return body;
        }
        JsonNode copy = body.deepCopy();
        return replace(copy, open);
    }

    private static boolean contains(JsonNode n) {
        if (isSealed(n)) {
            return true;
        }
        for (JsonNode child : n) {
            if (child.isContainerNode() && contains(child)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isSealed(JsonNode n) {
        return n.isObject()
                && n.size() == 1
                && n.path(DesiredStateContributor.SEALED).isTextual();
    }

    /** @return the node to put in place of n (NullNode when a sealed value cannot be opened) */
    private static JsonNode replace(JsonNode n, UnaryOperator<String> open) {
        if (isSealed(n)) {
            try {
                return TextNode.valueOf(
                        open.apply(n.get(DesiredStateContributor.SEALED).asText()));
            } catch (RuntimeException e) {
                LOG.error(
                        "A sealed value of a desired-state section cannot be opened (another master key?); "
                                + "it is left out: {}",
                        e.getClass().getSimpleName());
                return NullNode.instance;
            }
        }
        if (n instanceof ObjectNode o) {
            Iterator<Map.Entry<String, JsonNode>> it = o.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isContainerNode()) {
                    JsonNode r = replace(e.getValue(), open);
                    if (r.isNull()) {
                        it.remove();
                    } else if (r != e.getValue()) {
                        e.setValue(r);
                    }
                }
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isContainerNode()) {
                    JsonNode r = replace(a.get(i), open);
                    if (r != a.get(i)) {
                        a.set(i, r);
                    }
                }
            }
        }
        return n;
    }
}
