package dev.fleetgate.metrics.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The newest point of every series, by metric name: fed by this core's ingestion at once
 * and by the 1-minute rollups after every maintenance run (which also brings what other
 * cores stored). Newer points win; older ones never replace them.
 */
public final class LatestCache {

    /** A series' newest point. */
    public record Entry(SeriesKey key, long ts, double value) {}

    private final Map<String, Map<SeriesKey, Entry>> byName = new ConcurrentHashMap<>();

    public void offer(SeriesKey key, long ts, double value) {
        byName.computeIfAbsent(key.name(), n -> new ConcurrentHashMap<>())
                .merge(key, new Entry(key, ts, value), (old, neu) -> neu.ts >= old.ts ? neu : old);
    }

    /** @return the entries of {@code name} newer than {@code minTs} that {@code filter} accepts */
    public List<Entry> entries(String name, long minTs, Predicate<SeriesKey> filter) {
        Map<SeriesKey, Entry> m = byName.get(name);
        List<Entry> out = new ArrayList<>();
        if (m != null) {
            for (Entry e : m.values()) {
                if (e.ts >= minTs && filter.test(e.key)) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** @return every entry newer than {@code minTs} */
    public List<Entry> all(long minTs) {
        List<Entry> out = new ArrayList<>();
        for (Map<SeriesKey, Entry> m : byName.values()) {
            for (Entry e : m.values()) {
                if (e.ts >= minTs) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    /** Forgets entries older than {@code minTs} (series that stopped reporting). */
    public void prune(long minTs) {
        for (Map<SeriesKey, Entry> m : byName.values()) {
            m.values().removeIf(e -> e.ts < minTs);
        }
        byName.values().removeIf(Map::isEmpty);
    }

    public int size() {
        return byName.values().stream().mapToInt(Map::size).sum();
    }
}
