package dev.fleetgate.agents.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON helpers: parsing, canonical form, digest and the merge of contributions. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Compact JSON with object fields sorted by name, so equal content gives equal text. */
    public static String canonical(JsonNode node) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
            writeCanonical(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeCanonical(JsonGenerator g, JsonNode node) throws IOException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            g.writeNull();
        } else if (node.isObject()) {
            List<String> names = new ArrayList<>();
            node.fieldNames().forEachRemaining(names::add);
            names.sort(null);
            g.writeStartObject();
            for (String n : names) {
                g.writeFieldName(n);
                writeCanonical(g, node.get(n));
            }
            g.writeEndObject();
        } else if (node.isArray()) {
            g.writeStartArray();
            for (JsonNode e : node) {
                writeCanonical(g, e);
            }
            g.writeEndArray();
        } else {
            g.writeTree(node);
        }
    }

    /** SHA-256 hex of the canonical form. */
    public static String digest(JsonNode node) {
        return Secrets.sha256Hex(canonical(node));
    }

    /**
     * Merges contributions given from the highest to the lowest ranking: object fields are
     * combined (recursively for nested objects), and on a conflict the higher ranking wins.
     * Null contributions are skipped; a non-object contribution is taken only when it comes first.
     *
     * @return the merged content, or null when every contribution was null
     */
    public static JsonNode merge(List<JsonNode> byRankDescending) {
        JsonNode result = null;
        for (JsonNode c : byRankDescending) {
            if (c == null || c.isNull() || c.isMissingNode()) {
                continue;
            }
            if (result == null) {
                result = c.deepCopy();
            } else if (result.isObject() && c.isObject()) {
                mergeInto((ObjectNode) result, (ObjectNode) c);
            }
        }
        return result;
    }

    private static void mergeInto(ObjectNode target, ObjectNode lower) {
        Iterator<Map.Entry<String, JsonNode>> it = lower.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode mine = target.get(e.getKey());
            if (mine == null) {
                target.set(e.getKey(), e.getValue().deepCopy());
            } else if (mine.isObject() && e.getValue().isObject()) {
                mergeInto((ObjectNode) mine, (ObjectNode) e.getValue());
            }
        }
    }
}
