package dev.fleetgate.metrics.internal;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

/**
 * Series ids by (name, labels), cached in memory. Unknown series are inserted in bulk in
 * one statement ({@code INSERT … ON CONFLICT DO NOTHING} plus a read of the existing ones),
 * in a fixed order so that two cores inserting overlapping sets cannot deadlock.
 */
public final class SeriesRegistry {
    /** Past this many cached ids the cache starts over (ids are re-read on demand). */
    static final int MAX_CACHED = 1_000_000;

    private static final String RESOLVE = "WITH input AS (SELECT * FROM unnest(?::text[], ?::jsonb[]) WITH ORDINALITY"
            + " AS t(name, labels, i)),"
            + " ins AS (INSERT INTO metric_series (name, labels) SELECT name, labels FROM input ORDER BY i"
            + " ON CONFLICT (name, labels) DO NOTHING RETURNING id, name, labels)"
            + " SELECT input.i, x.id FROM input JOIN (SELECT id, name, labels FROM ins UNION ALL"
            + " SELECT s.id, s.name, s.labels FROM metric_series s JOIN input j ON s.name = j.name AND s.labels = j.labels)"
            + " x ON x.name = input.name AND x.labels = input.labels";

    private final Map<SeriesKey, Long> ids = new ConcurrentHashMap<>();

    /** @return the cached id, or null */
    public Long cached(SeriesKey key) {
        return ids.get(key);
    }

    public int size() {
        return ids.size();
    }

    /**
     * Ids of every key, inserting the unknown ones; a connection is taken only when some key is
     * not cached.
     *
     * @return id per key
     */
    public Map<SeriesKey, Long> resolve(DataSource dataSource, Collection<SeriesKey> keys) throws SQLException {
        Map<SeriesKey, Long> out = new HashMap<>(keys.size() * 2);
        List<SeriesKey> missing = new ArrayList<>();
        for (SeriesKey k : new LinkedHashSet<>(keys)) {
            Long id = ids.get(k);
            if (id == null) {
                missing.add(k);
            } else {
                out.put(k, id);
            }
        }
        if (missing.isEmpty()) {
            return out;
        }
        Map<SeriesKey, Long> found = new HashMap<>(missing.size() * 2);
        try (Connection c = dataSource.getConnection()) {
            // A series another core inserted after this statement's snapshot is neither inserted
            // nor read: a second round sees it.
            for (int round = 0; round < 3 && !missing.isEmpty(); round++) {
                missing = insert(c, missing, found);
            }
        }
        if (!missing.isEmpty()) {
            throw new SQLException("Could not resolve " + missing.size() + " series, e.g. " + missing.get(0));
        }
        if (ids.size() > MAX_CACHED) {
            ids.clear();
        }
        ids.putAll(found); // only the new ones: a write to the shared map costs more than a read
        out.putAll(found);
        return out;
    }

    private static List<SeriesKey> insert(Connection c, List<SeriesKey> keys, Map<SeriesKey, Long> out)
            throws SQLException {
        keys.sort(Comparator.comparing(SeriesKey::name).thenComparing(SeriesKey::labelsJson));
        String[] names = new String[keys.size()];
        String[] labels = new String[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            names[i] = keys.get(i).name();
            labels[i] = keys.get(i).labelsJson();
        }
        boolean[] found = new boolean[keys.size()];
        try (PreparedStatement ps = c.prepareStatement(RESOLVE)) {
            Array n = c.createArrayOf("text", names);
            Array l = c.createArrayOf("text", labels);
            ps.setArray(1, n);
            ps.setArray(2, l);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = (int) rs.getLong(1) - 1;
                    out.put(keys.get(i), rs.getLong(2));
                    found[i] = true;
                }
            }
        }
        List<SeriesKey> left = new ArrayList<>();
        for (int i = 0; i < found.length; i++) {
            if (!found[i]) {
                left.add(keys.get(i));
            }
        }
        return left;
    }
}
