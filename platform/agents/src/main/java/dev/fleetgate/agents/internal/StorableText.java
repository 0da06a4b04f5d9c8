package dev.fleetgate.agents.internal;

import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Makes agent reports storable in PostgreSQL {@code text} and {@code jsonb}, which refuse
 * U+0000: the NUL becomes the visible six characters {@code \u0000}, and an unpaired
 * surrogate becomes U+FFFD. An agent's report is never refused for its text: a refused report
 * would be sent again on every sync and block that agent for good.
 */
public final class StorableText {
    static final String NUL_REPLACEMENT = "\\u0000";

    private StorableText() {}

    /** @return {@code s} when it is storable, else a storable copy */
    public static String clean(String s) {
        if (s == null || storable(s)) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                sb.append(NUL_REPLACEMENT);
            } else if (Character.isHighSurrogate(c)
                    && i + 1 < s.length()
                    && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** @return {@code node} itself when all its text is storable, else a cleaned deep copy */
    public static JsonNode clean(JsonNode node) {
        return node == null || storable(node) ? node : copy(node);
    }

    static boolean storable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                return false;
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean storable(JsonNode node) {
        if (node.isTextual()) {
            return storable(node.textValue());
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!storable(e.getKey()) || !storable(e.getValue())) {
                    return false;
                }
            }
            return true;
        }
        if (node.isArray()) {
            for (JsonNode child : node) {
                if (!storable(child)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static JsonNode copy(JsonNode node) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (node.isTextual()) {
            return f.textNode(clean(node.textValue()));
        }
        if (node.isObject()) {
            ObjectNode out = f.objectNode();
            node.fields().forEachRemaining(e -> out.set(clean(e.getKey()), copy(e.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = f.arrayNode();
            node.forEach(child -> out.add(copy(child)));
            return out;
        }
        return node;
    }
}
