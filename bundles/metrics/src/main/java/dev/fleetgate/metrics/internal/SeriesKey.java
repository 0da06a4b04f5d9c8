package dev.fleetgate.metrics.internal;

import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A series' identity: its name and its labels sorted by name.
 *
 * <p>The hash is computed once, over the name and every label in order. A record's hash (the
 * name's hash plus {@code Map.hashCode}, a sum of {@code key ^ value}) collided so often for
 * label sets like {@code {host=h1, series=s17}} that the registry's map turned its bins into
 * trees and compared whole label maps on every lookup (a quarter of the ingestion CPU).
 */
public final class SeriesKey {
    private final String name;
    private final SortedMap<String, String> labels;
    /** Label names and values, alternating, in label order: equality without walking two tree maps. */
    private final String[] flat;

    private final int hash;

    public SeriesKey(String name, Map<String, String> labels) {
        this.name = name;
        this.labels = Collections.unmodifiableSortedMap(new TreeMap<>(labels));
        this.flat = new String[this.labels.size() * 2];
        int h = mix(name.hashCode());
        int i = 0;
        for (Map.Entry<String, String> e : this.labels.entrySet()) {
            flat[i++] = e.getKey();
            flat[i++] = e.getValue();
            h = mix(h ^ e.getKey().hashCode());
            h = mix(h ^ e.getValue().hashCode());
        }
        this.hash = h;
    }

    /** MurmurHash3's 32-bit finaliser: unlike {@code 31 * h + x}, label values cannot cancel each other out. */
    private static int mix(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        return h ^ (h >>> 16);
    }

    public static SeriesKey of(String name, Map<String, String> labels) {
        return new SeriesKey(name, labels);
    }

    public String name() {
        return name;
    }

    public SortedMap<String, String> labels() {
        return labels;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return this == o
                || (o instanceof SeriesKey k && k.hash == hash && k.name.equals(name) && Arrays.equals(k.flat, flat));
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
