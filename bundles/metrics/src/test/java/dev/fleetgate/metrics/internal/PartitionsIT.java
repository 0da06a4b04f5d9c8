package dev.fleetgate.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.persistence.testing.MutableClock;

/** Partitions are created ahead of time and dropped by retention. */
class PartitionsIT {
    @RegisterExtension
    static final MetricsDatabase db = new MetricsDatabase();

    private static final long DAY = Resolution.DAY_MILLIS;

    private TreeSet<Long> list(PartitionManager pm, Resolution r) throws Exception {
        try (Connection c = db.dataSource().getConnection()) {
            return pm.list(c, r);
        }
    }

    @Test
    void createdAheadAndDroppedOnceTheirEndPassesTheRetention() throws Exception {
        Instant start = Instant.parse("2026-03-10T12:00:00Z");
        MutableClock clock = new MutableClock(start);
        MetricsStorage storage = MetricsStorage.open(db.dataSource(), Settings.defaults(), clock);
        PartitionManager pm = storage.partitions();
        long today = Resolution.RAW.spanStart(start.toEpochMilli());

        TreeSet<Long> raw = list(pm, Resolution.RAW);
        assertEquals(today - 2 * DAY, raw.first(), "back to the retention (2 days)");
        assertEquals(today + 2 * DAY, raw.last(), "two partitions ahead");
        assertEquals(5, raw.size());
        assertEquals(33, list(pm, Resolution.MINUTE).size(), "30 days back, today, 2 ahead");
        TreeSet<Long> hour = list(pm, Resolution.HOUR);
        assertTrue(hour.first() <= start.toEpochMilli() - 365 * DAY && hour.last() > start.toEpochMilli() + 30 * DAY);
        assertEquals("metric_sample_p20260310", PartitionManager.name(Resolution.RAW, today));
        assertEquals(1, db.count("SELECT count(*) FROM pg_class WHERE relname = 'metric_sample_p20260312'"));
        long[] range = pm.range(Resolution.RAW);
        assertEquals(today - 2 * DAY, range[0]);
        assertEquals(today + 3 * DAY, range[1]);

        db.exec("INSERT INTO metric_sample VALUES ('2026-03-08T01:00:00Z', 1, 1), ('2026-03-10T01:00:00Z', 1, 2)");
        clock.set(start.plus(Duration.ofDays(1))); // 2026-03-11T12: the 03-08 partition ends 03-09 < 03-09T12
        storage.maintain();
        raw = list(pm, Resolution.RAW);
        assertFalse(raw.contains(today - 2 * DAY), "dropped");
        assertTrue(raw.contains(today - DAY), "03-09 ends 03-10, after 03-09T12: kept");
        assertTrue(raw.contains(today + 3 * DAY), "a new one ahead");
        assertEquals(1, db.count("SELECT count(*) FROM metric_sample"), "the old partition's rows went with it");
        assertEquals(0, db.count("SELECT count(*) FROM pg_class WHERE relname = 'metric_sample_p20260308'"));

        clock.set(start.plus(Duration.ofDays(40)));
        storage.maintain();
        assertEquals(33, list(pm, Resolution.MINUTE).size(), "1m partitions slide too");
        assertEquals(
                Resolution.MINUTE.spanStart(start.toEpochMilli() + 10 * DAY),
                list(pm, Resolution.MINUTE).first());
        storage.close();
    }

    @Test
    void namesParseBackToTheirStart() {
        long t = Instant.parse("2026-01-07T00:00:00Z").toEpochMilli();
        assertEquals(t, PartitionManager.start(Resolution.HOUR, PartitionManager.name(Resolution.HOUR, t)));
        assertEquals(null, PartitionManager.start(Resolution.RAW, "metric_sample_default"));
        assertEquals(null, PartitionManager.start(Resolution.RAW, "metric_rollup_1m_p20260107"));
    }
}
