package dev.fleetgate.agents.internal;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.fleetgate.api.Threads;
import dev.fleetgate.persistence.Jdbc;

/**
 * Group commit of applied section states: callers queue their rows and wait; one thread writes
 * everything queued so far with one statement in one transaction, then wakes them. Alone, a write
 * goes out at once; under a burst, the batch grows while the previous one commits (at most
 * {@value #MAX_ROWS} rows a statement). A failed batch fails every caller in it, as their own
 * transaction would have.
 */
final class AppliedWriter implements AutoCloseable {
    static final int MAX_ROWS = 1000;

    private record Pending(String agentId, Map<String, ReportStore.AppliedRow> rows, CompletableFuture<Void> done) {}

    private final DataSource dataSource;
    private final Clock clock;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    /** Statements written so far (for tests). */
    volatile long batches;

    AppliedWriter(DataSource dataSource, Clock clock) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.thread = Threads.daemon("fleetgate-applied-writer").newThread(this::run);
        thread.start();
    }

    /** Stores these sections' states of one agent; returns once they are committed. */
    void write(String agentId, Map<String, ReportStore.AppliedRow> rows) {
        Pending p = new Pending(agentId, rows, new CompletableFuture<>());
        queue.add(p);
        if (!running) {
            failQueued(); // closed: the writer has drained, or will drain, the queue without storing it
        }
        try {
            p.done.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("Storing the applied state of agent " + agentId + " timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while storing the applied state", e);
        }
    }

    private void run() {
        while (running) {
            try {
                Pending first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                List<Pending> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.rows.size();
                for (Pending p; rows < MAX_ROWS && (p = queue.poll()) != null; ) {
                    batch.add(p);
                    rows += p.rows.size();
                }
                storeOrSplit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        failQueued();
    }

    private void failQueued() {
        for (Pending p; (p = queue.poll()) != null; ) {
            p.done.completeExceptionally(new IllegalStateException("The applied-state writer is closed"));
        }
    }

    /**
     * Writes the batch; if that fails, each caller's rows alone, so that one agent's unstorable
     * report (or a database hiccup) fails only the syncs it belongs to.
     */
    private void storeOrSplit(List<Pending> batch) {
        try {
            store(batch);
            batch.forEach(p -> p.done.complete(null));
            return;
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done.completeExceptionally(e);
                return;
            }
        }
        for (Pending p : batch) {
            try {
                store(List.of(p));
                p.done.complete(null);
            } catch (RuntimeException e) {
                p.done.completeExceptionally(e);
            }
        }
    }

    /** One upsert for the batch; a section reported twice in it keeps the later state. */
    private void store(List<Pending> batch) {
        // keyed by agent and section: a section reported twice keeps the later state
        Map<List<String>, ReportStore.AppliedRow> rows = new LinkedHashMap<>();
        for (Pending p : batch) {
            p.rows.forEach((section, row) -> rows.put(List.of(p.agentId, section), row));
        }
        int n = rows.size();
        String[] agents = new String[n];
        String[] sections = new String[n];
        Long[] revisions = new Long[n];
        Long[] failed = new Long[n];
        String[] errors = new String[n];
        int i = 0;
        for (Map.Entry<List<String>, ReportStore.AppliedRow> e : rows.entrySet()) {
            agents[i] = e.getKey().get(0);
            sections[i] = e.getKey().get(1);
            revisions[i] = e.getValue().revision();
            failed[i] = e.getValue().failedRevision();
            errors[i] = e.getValue().error();
            i++;
        }
        Jdbc.tx(dataSource, c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO applied_state (agent_id, section, revision,"
                    + " failed_revision, error, updated_at) SELECT v.a::uuid, v.s, v.r, v.f, v.e, ?"
                    + " FROM unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::text[]) AS v(a, s, r, f, e)"
                    + " ON CONFLICT (agent_id, section) DO UPDATE SET revision = EXCLUDED.revision,"
                    + " failed_revision = EXCLUDED.failed_revision, error = EXCLUDED.error,"
                    + " updated_at = EXCLUDED.updated_at")) {
                Jdbc.setInstant(ps, 1, clock.instant());
                ps.setArray(2, c.createArrayOf("text", agents));
                ps.setArray(3, c.createArrayOf("text", sections));
                ps.setArray(4, c.createArrayOf("bigint", revisions));
                ps.setArray(5, c.createArrayOf("bigint", failed));
                ps.setArray(6, c.createArrayOf("text", errors));
                ps.executeUpdate();
            }
            return null;
        });
        batches++;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
