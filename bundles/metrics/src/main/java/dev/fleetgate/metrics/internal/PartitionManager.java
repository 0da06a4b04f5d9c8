package dev.fleetgate.metrics.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates partitions ahead and drops them by retention. A partition of table {@code T}
 * covering {@code [start, start + span)} is named {@code T_pYYYYMMDD} after its start;
 * spans are fixed and epoch-aligned (see {@link Resolution}), so names alone give bounds.
 * A partition is dropped once its end is older than the resolution's retention, so data is
 * kept between retention and retention + one span.
 */
public final class PartitionManager {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionManager.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Settings settings;
    /** Per resolution, the starts of its existing partitions (as last seen). */
    private final Map<Resolution, TreeSet<Long>> known = new EnumMap<>(Resolution.class);

    public PartitionManager(Settings settings) {
        this.settings = settings;
        for (Resolution r : Resolution.values()) {
            known.put(r, new TreeSet<>());
        }
    }

    /** What one maintenance run changed. */
    public record Changes(List<String> created, List<String> dropped) {}

    /** Creates what is missing from retention to the spans ahead, drops what retention passed. */
    public Changes maintain(Connection c, Instant now) throws SQLException {
        List<String> created = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        long t = now.toEpochMilli();
        for (Resolution r : Resolution.values()) {
            TreeSet<Long> existing = list(c, r);
            long keepAfter = t - settings.retention(r).toMillis();
            for (Long start : existing.headSet(r.spanStart(keepAfter), false)) {
                if (start + r.spanMillis() <= keepAfter) {
                    exec(c, "DROP TABLE IF EXISTS " + name(r, start));
                    dropped.add(name(r, start));
                }
            }
            long last = r.spanStart(t) + settings.partitionsAhead() * r.spanMillis();
            for (long start = r.spanStart(keepAfter); start <= last; start += r.spanMillis()) {
                if (!existing.contains(start)) {
                    exec(
                            c,
                            "CREATE TABLE IF NOT EXISTS " + name(r, start) + " PARTITION OF " + r.table()
                                    + " FOR VALUES FROM ('" + Instant.ofEpochMilli(start) + "') TO ('"
                                    + Instant.ofEpochMilli(start + r.spanMillis()) + "')");
                    created.add(name(r, start));
                }
            }
            list(c, r);
        }
        if (!created.isEmpty() || !dropped.isEmpty()) {
            LOG.info(
                    "Metric partitions: {} created (up to {}), {} dropped {}",
                    created.size(),
                    created.isEmpty() ? "-" : created.get(created.size() - 1),
                    dropped.size(),
                    dropped);
        }
        return new Changes(created, dropped);
    }

    /** Reads the partitions of {@code r} (also refreshes what {@link #range} answers). */
    public TreeSet<Long> list(Connection c, Resolution r) throws SQLException {
        TreeSet<Long> out = new TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT child.relname FROM pg_inherits i"
                + " JOIN pg_class parent ON parent.oid = i.inhparent JOIN pg_class child ON child.oid = i.inhrelid"
                + " WHERE parent.relname = ? AND parent.relnamespace = child.relnamespace"
                + " AND parent.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())")) {
            ps.setString(1, r.table());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long start = start(r, rs.getString(1));
                    if (start != null) {
                        out.add(start);
                    }
                }
            }
        }
        synchronized (known) {
            known.put(r, new TreeSet<>(out));
        }
        return out;
    }

    /**
     * @return {@code [from, to)} epoch millis covered by contiguous partitions of {@code r} up
     *         to the newest one, as last listed; {@code [0, 0)} when there are none
     */
    public long[] range(Resolution r) {
        synchronized (known) {
            TreeSet<Long> starts = known.get(r);
            if (starts.isEmpty()) {
                return new long[] {0, 0};
            }
            long to = starts.last() + r.spanMillis();
            long from = starts.last();
            while (starts.contains(from - r.spanMillis())) {
                from -= r.spanMillis();
            }
            return new long[] {from, to};
        }
    }

    static String name(Resolution r, long start) {
        return r.table() + "_p" + DAY.format(LocalDate.ofInstant(Instant.ofEpochMilli(start), ZoneOffset.UTC));
    }

    static Long start(Resolution r, String relname) {
        String prefix = r.table() + "_p";
        if (!relname.startsWith(prefix) || relname.length() != prefix.length() + 8) {
            return null;
        }
        try {
            return LocalDate.parse(relname.substring(prefix.length()), DAY)
                    .atStartOfDay(ZoneOffset.UTC)
                    .toInstant()
                    .toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static void exec(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
