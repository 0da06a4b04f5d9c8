package dev.fleetgate.metrics.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.fleetgate.persistence.GroupCommit;
import dev.fleetgate.persistence.Jdbc;

/**
 * Samples by group commit ({@link GroupCommit}): the batches of syncs that arrive while one
 * {@code COPY} commits go out together in the next one — one statement, one transaction, one WAL
 * flush and one pooled connection for many agents' syncs (10,000 agents at a 5 s interval send 2,000
 * small batches a second). Batches of {@value #ALONE_ROWS} rows or more are written by their callers. A late batch's range is recorded for the rollups in the same transaction
 * as its rows; a group that fails is written again batch by batch, so a bad batch fails only its own
 * sync.
 */
final class SampleWriter implements AutoCloseable {
    /** Rows a group takes at most (~7.6 MB of COPY data). */
    static final int MAX_ROWS = 200_000;

    /**
     * A batch this big is written by its own caller, on its own connection: it has no fixed cost
     * worth sharing, and big batches of several agents then load PostgreSQL in parallel (one writer
     * thread would write them one after the other, leaving PostgreSQL a CPU idle).
     */
    static final int ALONE_ROWS = 10_000;

    /** How long {@link #submit} stores at once after a commit it left to the writer failed. */
    static final long STORE_AT_ONCE_AFTER_FAILURE_MS = 30_000;

    /** Rows {@link #submit} lets wait for the writer (~5 MB) before it makes its callers wait. */
    static final int MAX_QUEUED_ROWS = 200_000;

    /**
     * One batch encoded by {@link CopyEncoder} (header, rows, trailer).
     *
     * @param late whether {@code [minTs, maxTs]} must be rolled up again
     */
    record Rows(byte[] copy, int length, long minTs, long maxTs, boolean late) {
        int count() {
            return (length - CopyEncoder.HEADER_BYTES - 2) / CopyEncoder.ROW_BYTES;
        }
    }

    private final DataSource dataSource;
    private final GroupCommit<Rows> commits;
    /** Rows handed to {@link #submit} and not yet committed. */
    private final AtomicLong queuedRows = new AtomicLong();

    private final Clock clock;
    /** Until when (epoch ms) {@link #submit} stores at once: a commit after its answer failed recently. */
    private volatile long storeAtOnceUntil;

    SampleWriter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.commits = new GroupCommit<>("fleetgate-metrics-writer", Rows::count, MAX_ROWS, 60_000, this::store);
    }

    /** Stores the rows with whatever else is waiting; returns once they are committed. */
    void write(Rows rows) throws SQLException {
        if (rows.count() >= ALONE_ROWS) {
            store(List.of(rows));
            return;
        }
        try {
            commits.write(rows);
        } catch (IllegalStateException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
    }

    /**
     * Stores the rows with whatever else is waiting, on the writer's thread, and returns at once (a batch of
     * {@value #ALONE_ROWS} rows or more, or one that would make more than {@value #MAX_QUEUED_ROWS} rows wait, is stored now, on
     * this thread: the caller then waits, which holds back an agent that sends faster than PostgreSQL stores). For
     * {@value #STORE_AT_ONCE_AFTER_FAILURE_MS} ms after a commit left to the writer failed, rows are stored now too: a
     * failure then reaches the caller (a 503 that holds the agent back), not a confirmation that has it resend at once.
     *
     * @return completes once the rows are committed, exceptionally when they were not
     * @throws SQLException when rows stored on this thread were not stored
     */
    CompletableFuture<Void> submit(Rows rows) throws SQLException {
        int count = rows.count();
        if (count >= ALONE_ROWS || queuedRows.get() + count > MAX_QUEUED_ROWS || clock.millis() < storeAtOnceUntil) {
            write(rows);
            return CompletableFuture.completedFuture(null);
        }
        queuedRows.addAndGet(count);
        return commits.submit(rows).whenComplete((ok, failure) -> {
            queuedRows.addAndGet(-count);
            if (failure != null) {
                storeAtOnceUntil = clock.millis() + STORE_AT_ONCE_AFTER_FAILURE_MS;
            }
        });
    }

    /** @return COPY statements so far (batches written together count once) */
    long groups() {
        return commits.groups();
    }

    private void store(List<Rows> group) throws SQLException {
        boolean late = group.stream().anyMatch(Rows::late);
        try (Connection c = dataSource.getConnection()) {
            if (late) {
                c.setAutoCommit(false);
            }
            try {
                CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(CopyEncoder.COPY_SAMPLES);
                try {
                    Rows first = group.get(0);
                    in.writeToCopy(first.copy(), 0, CopyEncoder.HEADER_BYTES);
                    for (Rows r : group) {
                        in.writeToCopy(r.copy(), CopyEncoder.HEADER_BYTES, r.length() - CopyEncoder.HEADER_BYTES - 2);
                    }
                    in.writeToCopy(first.copy(), first.length() - 2, 2); // the trailer
                    in.endCopy();
                } finally {
                    if (in.isActive()) {
                        in.cancelCopy();
                    }
                }
                if (late) {
                    for (Rows r : group) {
                        if (r.late()) {
                            markLate(c, r.minTs(), r.maxTs());
                        }
                    }
                    c.commit();
                }
            } catch (SQLException | RuntimeException e) {
                if (late) {
                    c.rollback();
                }
                throw e;
            } finally {
                if (late) {
                    c.setAutoCommit(true);
                }
            }
        }
    }

    private static void markLate(Connection c, long from, long to) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("INSERT INTO metric_rollup_pending (from_ts, to_ts) VALUES (?, ?)")) {
            Jdbc.setInstant(ps, 1, Instant.ofEpochMilli(from));
            Jdbc.setInstant(ps, 2, Instant.ofEpochMilli(to));
            ps.executeUpdate();
        }
    }

    @Override
    public void close() {
        commits.close();
    }
}
