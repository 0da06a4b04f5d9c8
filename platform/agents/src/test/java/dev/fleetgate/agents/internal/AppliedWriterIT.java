package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.fleetgate.persistence.testing.MutableClock;

class AppliedWriterIT {
    @RegisterExtension
    static final MigratedDatabase db = new MigratedDatabase();

    private final MutableClock clock = new MutableClock();

    @Test
    void concurrentWritesShareStatementsAndEveryCallerReturnsCommitted() throws Exception {
        int agents = 64;
        List<String> ids = new ArrayList<>();
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            for (int i = 0; i < agents; i++) {
                ids.add(core.enroll("writer-" + i).agentId());
            }
        }
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try (AppliedWriter writer = new AppliedWriter(db.dataSource(), clock)) {
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (String id : ids) {
                all.add(CompletableFuture.runAsync(
                        () -> {
                            await(go);
                            writer.write(id, Map.of("proxy", new ReportStore.AppliedRow(7, 0, null)));
                            // returned: committed, visible to any connection
                            assertEquals(7L, revision(id, "proxy"));
                        },
                        callers));
            }
            go.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            assertTrue(
                    writer.batches() < agents,
                    "writes were grouped: " + writer.batches() + " statements for " + agents);
            for (String id : ids) {
                assertEquals(7L, revision(id, "proxy"));
            }
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void anUnstorableReportFailsOnlyItsOwnCaller() throws Exception {
        String good;
        String bad;
        try (Core core = new Core(db.dataSource(), Settings.defaults(), clock)) {
            good = core.enroll("writer-good").agentId();
            bad = core.enroll("writer-bad").agentId();
        }
        try (AppliedWriter writer = new AppliedWriter(db.dataSource(), clock)) {
            // PostgreSQL refuses U+0000 in text: the batch fails and is written caller by caller.
            assertThrows(
                    RuntimeException.class,
                    () -> writer.write(bad, Map.of("proxy", new ReportStore.AppliedRow(1, 2, "nul \u0000 here"))));
            writer.write(good, Map.of("proxy", new ReportStore.AppliedRow(3, 0, null)));
            assertEquals(3L, revision(good, "proxy"));
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long revision(String agentId, String section) {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "SELECT revision FROM applied_state WHERE agent_id = ?::uuid AND section = ?")) {
            ps.setString(1, agentId);
            ps.setString(2, section);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
