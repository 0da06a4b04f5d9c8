package dev.fleetgate.metrics.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
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
import dev.fleetgate.persistence.Jdbc;
import dev.fleetgate.persistence.SchemaMigrator;

/**
 * The module's storage: schema, partitions, series ids, latest values, counters, and the
 * maintenance job (partitions ahead, retention, rollups) every
 * {@code maintenanceIntervalSeconds}. One core at a time runs the job (advisory lock);
 * every core refreshes its partition list and latest values after it.
 */
@Component(service = MetricsStorage.class, configurationPid = MetricsConfig.PID)
@Designate(ocd = MetricsConfig.class)
public final class MetricsStorage {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsStorage.class);
    /** {@code pg_try_advisory_lock} key of the maintenance job ("metrics" in ASCII). */
    static final long LOCK = 0x6d657472696373L;

    private final DataSource dataSource;
    private final Settings settings;
    private final Clock clock;
    private final PartitionManager partitions;
    private final SeriesRegistry series = new SeriesRegistry();
    private final SentSeries sent = new SentSeries();
    private final LatestCache latest = new LatestCache();
    private final IngestStats stats;
    private final Rollups rollups;
    private final ScheduledExecutorService timer;
    private final SampleWriter writer;
    private volatile long lastLatestRefresh;

    @Activate
    public MetricsStorage(
            @Reference(target = Database.TARGET) DataSource dataSource,
            @Reference SchemaMigrator migrator,
            BundleContext context,
            MetricsConfig config) {
        this(
                dataSource,
                Settings.of(config),
                Clock.systemUTC(),
                () -> migrator.migrate("metrics", context.getBundle(), "db/metrics"),
                true);
    }

    /** For tests and benchmarks: the schema must exist; no timer runs ({@link #maintain()} by hand). */
    public static MetricsStorage open(DataSource dataSource, Settings settings, Clock clock) {
        return new MetricsStorage(dataSource, settings, clock, () -> 0, false);
    }

    private MetricsStorage(
            DataSource dataSource,
            Settings settings,
            Clock clock,
            java.util.function.IntSupplier migrate,
            boolean schedule) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.clock = clock;
        this.stats = new IngestStats(clock::millis);
        this.partitions = new PartitionManager(settings);
        this.rollups = new Rollups(settings, partitions);
        migrate.getAsInt();
        this.writer = new SampleWriter(dataSource, clock);
        // Ingestion works at once; cores starting together take turns (CREATE … IF NOT EXISTS can race).
        Jdbc.auto(dataSource, c -> {
            lock(c, "pg_advisory_lock");
            try {
                return partitions.maintain(c, clock.instant());
            } finally {
                lock(c, "pg_advisory_unlock");
            }
        });
        lastLatestRefresh = clock.millis() - settings.latestMaxAgeSeconds() * 1000L;
        if (schedule) {
            timer = Threads.scheduler("fleetgate-metrics-maintenance");
            int every = settings.maintenanceIntervalSeconds();
            timer.scheduleWithFixedDelay(this::safeMaintain, 0, every, TimeUnit.SECONDS);
        } else {
            timer = null;
        }
    }

    @Deactivate
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
        writer.close();
    }

    private void safeMaintain() {
        try {
            maintain();
        } catch (RuntimeException e) {
            LOG.warn("Metrics maintenance failed; retrying in {} s", settings.maintenanceIntervalSeconds(), e);
        }
    }

    /**
     * One maintenance run: partitions and rollups when this core gets the lock, then a
     * refresh of the partition list and the latest values.
     *
     * @return the rollup run, or null when another core holds the lock
     */
    public Rollups.Run maintain() {
        Instant now = clock.instant();
        Rollups.Run run = Jdbc.auto(dataSource, c -> {
            if (!lock(c, "pg_try_advisory_lock")) {
                for (Resolution r : Resolution.values()) {
                    partitions.list(c, r);
                }
                return null;
            }
            try {
                partitions.maintain(c, now);
                c.setAutoCommit(false);
                try {
                    Rollups.Run r = rollups.run(c, now);
                    c.commit();
                    return r;
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
            } finally {
                lock(c, "pg_advisory_unlock");
            }
        });
        refreshLatest(now);
        return run;
    }

    /** Brings newest points other cores stored (through the 1-minute rollups) into the cache. */
    void refreshLatest(Instant now) {
        long since = Math.min(lastLatestRefresh, now.toEpochMilli()) - Rollups.MINUTE;
        Jdbc.auto(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT s.name, s.labels::text, r.last_ts, r.last_value"
                            + " FROM (SELECT DISTINCT ON (series_id) series_id, last_ts, last_value FROM metric_rollup_1m"
                            + " WHERE bucket >= ? ORDER BY series_id, bucket DESC) r JOIN metric_series s ON s.id = r.series_id")) {
                Jdbc.setInstant(ps, 1, Instant.ofEpochMilli(Rollups.floor(since, Rollups.MINUTE)));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        latest.offer(
                                Labels.key(rs.getString(1), rs.getString(2)),
                                Jdbc.instant(rs, "last_ts").toEpochMilli(),
                                rs.getDouble(4));
                    }
                }
            }
            return null;
        });
        lastLatestRefresh = now.toEpochMilli();
        latest.prune(now.toEpochMilli() - settings.latestMaxAgeSeconds() * 1000L);
    }

    private static boolean lock(Connection c, String function) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + function + "(?)")) {
            ps.setLong(1, LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && ("pg_advisory_lock".equals(function) || rs.getBoolean(1)); // the first is void
            }
        }
    }

    /** Writes samples by group commit. */
    SampleWriter writer() {
        return writer;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public Settings settings() {
        return settings;
    }

    public Clock clock() {
        return clock;
    }

    public PartitionManager partitions() {
        return partitions;
    }

    public SeriesRegistry series() {
        return series;
    }

    SentSeries sent() {
        return sent;
    }

    public LatestCache latest() {
        return latest;
    }

    public IngestStats stats() {
        return stats;
    }

    public Rollups rollups() {
        return rollups;
    }
}
