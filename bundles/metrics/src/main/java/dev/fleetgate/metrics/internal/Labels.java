package dev.fleetgate.metrics.internal;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;

/** Stored labels (JSONB text) back to keys and maps. */
public final class Labels {
    private Labels() {}

    public static SeriesKey key(String name, String labelsJson) {
        return new SeriesKey(name, map(labelsJson));
    }

    public static TreeMap<String, String> map(String labelsJson) {
        TreeMap<String, String> out = new TreeMap<>();
        JsonNode n = Json.parse(labelsJson);
        Iterator<Map.Entry<String, JsonNode>> it = n.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }

    /** @return whether {@code labels} has every matcher's value */
    public static boolean matches(Map<String, String> labels, Map<String, String> matchers) {
        for (Map.Entry<String, String> m : matchers.entrySet()) {
            if (!m.getValue().equals(labels.get(m.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
