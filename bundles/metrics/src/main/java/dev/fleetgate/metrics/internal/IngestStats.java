package dev.fleetgate.metrics.internal;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongSupplier;

/** Counters of the ingestion path, and the rows stored per second over the last minute. */
public final class IngestStats {
    private static final int WINDOW_SECONDS = 60;

    private final LongSupplier clockMillis;
    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private final AtomicLong rejectedPoints = new AtomicLong();
    private final AtomicLong rejectedSeries = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicLong syncReports = new AtomicLong();
    private final AtomicLong nanos = new AtomicLong();
    /** Per second slot: rows stored; the slot's second is kept beside it. */
    private final AtomicLongArray slotRows = new AtomicLongArray(WINDOW_SECONDS);

    private final AtomicLongArray slotSecond = new AtomicLongArray(WINDOW_SECONDS);

    public IngestStats(LongSupplier clockMillis) {
        this.clockMillis = clockMillis;
    }

    public void stored(int rowCount, int badSeries, int badPoints, long elapsedNanos) {
        batches.incrementAndGet();
        rows.addAndGet(rowCount);
        rejectedSeries.addAndGet(badSeries);
        rejectedPoints.addAndGet(badPoints);
        nanos.addAndGet(elapsedNanos);
        long second = clockMillis.getAsLong() / 1000;
        int slot = (int) Math.floorMod(second, (long) WINDOW_SECONDS);
        if (slotSecond.getAndSet(slot, second) != second) {
            slotRows.set(slot, 0);
        }
        slotRows.addAndGet(slot, rowCount);
    }

    public void failed() {
        errors.incrementAndGet();
    }

    public void syncReport() {
        syncReports.incrementAndGet();
    }

    /** @return rows stored per second, averaged over the last minute */
    public double rowsPerSecond() {
        long now = clockMillis.getAsLong() / 1000;
        long sum = 0;
        for (int i = 0; i < WINDOW_SECONDS; i++) {
            long s = slotSecond.get(i);
            if (s > now - WINDOW_SECONDS && s <= now) {
                sum += slotRows.get(i);
            }
        }
        return sum / (double) WINDOW_SECONDS;
    }

    public long batches() {
        return batches.get();
    }

    public long rows() {
        return rows.get();
    }

    public long rejectedPoints() {
        return rejectedPoints.get();
    }

    public long rejectedSeries() {
        return rejectedSeries.get();
    }

    public long errors() {
        return errors.get();
    }

    public long syncReports() {
        return syncReports.get();
    }

    /** @return seconds spent storing batches, in total */
    public double seconds() {
        return nanos.get() / 1e9;
    }
}
