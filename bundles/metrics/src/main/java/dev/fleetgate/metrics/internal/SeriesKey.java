package dev.fleetgate.metrics.internal;

import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A series' identity: its name and its labels sorted by name. */
public record SeriesKey(String name, SortedMap<String, String> labels) {

    public SeriesKey {
        labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static SeriesKey of(String name, Map<String, String> labels) {
        return new SeriesKey(name, new TreeMap<>(labels));
    }

    /** @return the labels as a JSON object text, keys sorted (as stored in {@code metric_series.labels}) */
    public String labelsJson() {
        ObjectNode o = Json.object();
        labels.forEach(o::put);
        return o.toString();
    }

    /** @return {@code name{a="x",b="y"}}, for logs */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(name).append('{');
        Iterator<Map.Entry<String, String>> it = labels.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<String, String> e = it.next();
            b.append(e.getKey()).append("=\"").append(e.getValue()).append('"');
            if (it.hasNext()) {
                b.append(',');
            }
        }
        return b.append('}').toString();
    }
}
