package dev.fleetgate.metrics.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Builds sync {@code metrics} arrays for tests. */
final class Batches {
    private final ArrayNode series = Json.array();

    static Batches batch() {
        return new Batches();
    }

    /**
     * @param labels alternating label names and values
     * @param points alternating epoch millis and values
     */
    Batches series(String name, String[] labels, double... points) {
        ObjectNode s = series.addObject();
        s.put("name", name);
        ObjectNode l = s.putObject("labels");
        for (int i = 0; i < labels.length; i += 2) {
            l.put(labels[i], labels[i + 1]);
        }
        ArrayNode ps = s.putArray("points");
        for (int i = 0; i < points.length; i += 2) {
            ps.addArray().add((long) points[i]).add(points[i + 1]);
        }
        return this;
    }

    JsonNode json() {
        return series;
    }

    static String[] labels(String... kv) {
        return kv;
    }
}
