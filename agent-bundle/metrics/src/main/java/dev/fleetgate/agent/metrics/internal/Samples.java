package dev.fleetgate.agent.metrics.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Samples collected since the last batch, grouped by series (name + labels), in memory.
 * Thread-safe. Bounded: past {@code maxSeries} distinct series, new series are dropped and
 * counted.
 */
public final class Samples {

    /** A series: name and labels (sorted, unmodifiable). */
    public record Key(String name, Map<String, String> labels) {
        public static Key of(String name, Map<String, String> labels) {
            return new Key(name, labels.isEmpty() ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(labels)));
        }
    }

    /** One drained chunk: the series as JSON and how many points they carry. */
    public record Chunk(ArrayNode series, int points) {}

    private static final class Points {
        long[] times = new long[2];
        double[] values = new double[2];
        int size;

        void add(long time, double value) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                values = Arrays.copyOf(values, size * 2);
            }
            times[size] = time;
            values[size] = value;
            size++;
        }
    }

    private final int maxSeries;
    private Map<Key, Points> series = new LinkedHashMap<>();
    private long dropped;

    public Samples(int maxSeries) {
        this.maxSeries = maxSeries;
    }

    /** Adds a point; non-finite values are ignored (JSON cannot carry them). */
    public void add(String name, Map<String, String> labels, long time, double value) {
        add(Key.of(name, labels), time, value);
    }

    public synchronized void add(Key key, long time, double value) {
        if (!Double.isFinite(value)) {
            return;
        }
        Points points = series.get(key);
        if (points == null) {
            if (series.size() >= maxSeries) {
                dropped++;
                return;
            }
            points = new Points();
            series.put(key, points);
        }
        points.add(time, value);
    }

    /** @return points dropped because there were too many series (since the start) */
    public synchronized long dropped() {
        return dropped;
    }

    public synchronized int seriesCount() {
        return series.size();
    }

    /**
     * Takes everything collected so far, as chunks of at most {@code maxSeriesPerChunk} series
     * in the wire format {@code [{"name","labels":{},"points":[[ms, v],...]}]}.
     */
    public List<Chunk> drain(ObjectMapper mapper, int maxSeriesPerChunk) {
        Map<Key, Points> taken;
        synchronized (this) {
            taken = series;
            series = new LinkedHashMap<>();
        }
        List<Chunk> chunks = new ArrayList<>();
        ArrayNode current = null;
        int points = 0;
        for (Map.Entry<Key, Points> entry : taken.entrySet()) {
            if (current == null || current.size() >= maxSeriesPerChunk) {
                if (current != null) {
                    chunks.add(new Chunk(current, points));
                }
                current = mapper.createArrayNode();
                points = 0;
            }
            ObjectNode node = current.addObject();
            node.put("name", entry.getKey().name());
            ObjectNode labels = node.putObject("labels");
            entry.getKey().labels().forEach(labels::put);
            ArrayNode array = node.putArray("points");
            Points p = entry.getValue();
            for (int i = 0; i < p.size; i++) {
                array.addArray().add(p.times[i]).add(p.values[i]);
            }
            points += p.size;
        }
        if (current != null) {
            chunks.add(new Chunk(current, points));
        }
        return chunks;
    }
}
