package dev.fleetgate.rest.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Threads;
import dev.fleetgate.persistence.Database;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * The activity log in PostgreSQL ({@code activity_log}, module {@code activity}): who
 * changed what through the API, newest first, bounded by age and by count and pruned
 * periodically.
 */
@Component(service = ActivityStore.class, configurationPid = "dev.fleetgate.rest.activity")
@Designate(ocd = ActivityConfig.class)
public final class ActivityStore {
    private static final Logger LOG = LoggerFactory.getLogger(ActivityStore.class);
    public static final String MODULE = "activity";
    public static final String FOLDER = "db/activity";
    /** Longest stored texts; longer ones are cut (paths are bounded by the HTTP server anyway). */
    static final int MAX_USER = 100;

    static final int MAX_ACTION = 500;
    static final int MAX_TARGET = 200;

    /** One change: {@code action} is the method and path, {@code target} the id it names. */
    public record Entry(long id, Instant at, String user, String action, String target, int status) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration retention;
    private final int maxEntries;
    private final ScheduledExecutorService pruner;

    @Activate
    public ActivityStore(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context,
            ActivityConfig config) {
        this(dataSource, Clock.systemUTC(), Duration.ofDays(config.retentionDays()), config.maxEntries());
        migrator.migrate(MODULE, context.getBundle(), FOLDER);
        long every = Math.max(1, config.pruneIntervalMinutes());
        pruner.scheduleWithFixedDelay(this::pruneQuietly, 1, every, TimeUnit.MINUTES);
    }

    /** For tests: no migration, no periodic pruning. */
    static ActivityStore of(DataSource dataSource, Clock clock, Duration retention, int maxEntries) {
        return new ActivityStore(dataSource, clock, retention, maxEntries);
    }

    private ActivityStore(DataSource dataSource, Clock clock, Duration retention, int maxEntries) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.retention = retention;
        this.maxEntries = maxEntries;
        this.pruner = Threads.scheduler("fleetgate-activity-prune");
    }

    @Deactivate
    void deactivate() {
        pruner.shutdownNow();
    }

    public void record(String user, String action, String target, int status) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "INSERT INTO activity_log (at, username, action, target, status) VALUES (?, ?, ?, ?, ?)")) {
            s.setTimestamp(1, Timestamp.from(clock.instant()));
            s.setString(2, cut(user, MAX_USER));
            s.setString(3, cut(action, MAX_ACTION));
            s.setString(4, cut(target, MAX_TARGET));
            s.setInt(5, status);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not record activity: " + e.getMessage(), e);
        }
    }

    /**
     * @param beforeId when not null, only entries older than this one (its id)
     * @param beforeAt when not null, only entries from before this time
     * @return at most {@code limit} entries, newest first
     */
    public List<Entry> page(int limit, Long beforeId, Instant beforeAt) {
        StringBuilder sql =
                new StringBuilder("SELECT id, at, username, action, target, status FROM activity_log WHERE true");
        if (beforeId != null) {
            sql.append(" AND id < ?");
        }
        if (beforeAt != null) {
            sql.append(" AND at < ?");
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement(sql.toString())) {
            int i = 1;
            if (beforeId != null) {
                s.setLong(i++, beforeId);
            }
            if (beforeAt != null) {
                s.setTimestamp(i++, Timestamp.from(beforeAt));
            }
            s.setInt(i, limit);
            List<Entry> out = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    out.add(new Entry(
                            rs.getLong(1),
                            rs.getTimestamp(2).toInstant(),
                            rs.getString(3),
                            rs.getString(4),
                            rs.getString(5),
                            rs.getInt(6)));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not read the activity log: " + e.getMessage(), e);
        }
    }

    /** Deletes entries past the retention time and beyond the newest {@code maxEntries}; returns how many. */
    public int prune() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement old = c.prepareStatement("DELETE FROM activity_log WHERE at < ?");
                PreparedStatement many = c.prepareStatement("DELETE FROM activity_log WHERE id <= "
                        + "(SELECT id FROM activity_log ORDER BY id DESC OFFSET ? LIMIT 1)")) {
            old.setTimestamp(1, Timestamp.from(clock.instant().minus(retention)));
            int n = old.executeUpdate();
            many.setInt(1, maxEntries);
            return n + many.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("Could not prune the activity log: " + e.getMessage(), e);
        }
    }

    private void pruneQuietly() {
        try {
            int n = prune();
            if (n > 0) {
                LOG.debug("Pruned {} activity entries", n);
            }
        } catch (RuntimeException e) {
            LOG.warn("{}", e.getMessage());
        }
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
