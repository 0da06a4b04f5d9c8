package dev.fleetgate.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class GroupCommitTest {

    @Test
    void concurrentWritersShareGroupsAndEachReturnsStored() throws Exception {
        List<Integer> stored = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer> commits = new GroupCommit<>("test-writer", i -> 1, 100, 10_000, items -> {
            firstStarted.countDown();
            release.await(); // the first group holds the writer while the others queue
            stored.addAll(items);
        })) {
            int writers = 32;
            List<Thread> threads = new ArrayList<>();
            AtomicInteger returned = new AtomicInteger();
            for (int i = 0; i < writers; i++) {
                int item = i;
                Thread t = new Thread(() -> {
                    commits.write(item);
                    assertTrue(stored.contains(item), "stored before write returns");
                    returned.incrementAndGet();
                });
                threads.add(t);
                t.start();
                if (i == 0) {
                    firstStarted.await();
                }
            }
            while (commits.queued() < writers - 1) {
                Thread.sleep(5);
            }
            release.countDown();
            for (Thread t : threads) {
                t.join(10_000);
            }
            assertEquals(writers, returned.get());
            assertEquals(writers, stored.size());
            assertEquals(2, commits.groups(), "the first alone, then the 31 that queued behind it in one group");
        }
    }

    @Test
    void aFailedGroupIsStoredItemByItemSoOnlyTheBadItemFails() throws Exception {
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<String> commits = new GroupCommit<>("test-writer", s -> 1, 100, 10_000, items -> {
            if (items.contains("hold")) {
                holding.countDown();
                release.await();
            }
            if (items.contains("bad")) {
                throw new IllegalArgumentException("bad item in " + items);
            }
            stored.addAll(items);
        })) {
            Thread holder = new Thread(() -> commits.write("hold"));
            holder.start();
            holding.await();
            List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
            Thread good = new Thread(() -> commits.write("good"));
            Thread bad = new Thread(() -> {
                try {
                    commits.write("bad");
                } catch (IllegalArgumentException e) {
                    failures.add(e);
                }
            });
            good.start();
            bad.start();
            while (commits.queued() < 2) { // both queue behind "hold", to share one group
                Thread.sleep(5);
            }
            release.countDown();
            holder.join(10_000);
            good.join(10_000);
            bad.join(10_000);
            assertEquals(List.of("hold", "good"), stored);
            assertEquals(1, failures.size());
            assertEquals("bad item in [bad]", failures.get(0).getMessage(), "the store's own exception, item alone");
        }
    }

    @Test
    void anItemAloneIsStoredOnItsCallersThreadAndItsFailureIsItsOwn() {
        List<Thread> storers = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<String> commits = new GroupCommit<>("test-writer", s -> 1, 10, 10_000, items -> {
            storers.add(Thread.currentThread());
            if (items.contains("bad")) {
                throw new java.sql.SQLException("refused: " + items);
            }
        })) {
            commits.write("a");
            assertEquals(List.of(Thread.currentThread()), storers, "no hand-off to the writer thread");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> commits.write("bad"));
            assertTrue(e.getCause() instanceof java.sql.SQLException, String.valueOf(e.getCause()));
            assertEquals("refused: [bad]", e.getCause().getMessage());
            commits.write("b");
            assertEquals(3, commits.groups());
        }
    }

    @Test
    void submittedItemsAreStoredByTheWriterAndTheirFuturesTellTheOutcome() throws Exception {
        List<Thread> storers = Collections.synchronizedList(new ArrayList<>());
        List<String> stored = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<String> commits = new GroupCommit<>("test-writer", s -> 1, 10, 10_000, items -> {
            storers.add(Thread.currentThread());
            if (items.contains("bad")) {
                throw new java.sql.SQLException("refused: " + items);
            }
            stored.addAll(items);
        })) {
            CompletableFuture<Void> a = commits.submit("a");
            CompletableFuture<Void> bad = commits.submit("bad");
            a.get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof java.sql.SQLException, String.valueOf(e.getCause()));
            assertEquals(List.of("a"), stored);
            assertTrue(storers.stream().noneMatch(t -> t == Thread.currentThread()), "never on the caller's thread");
        }
    }

    @Test
    void aClosedWriterRefusesAndAGroupStopsAtItsWeight() {
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer> commits =
                new GroupCommit<>("test-writer", i -> i, 10, 10_000, items -> sizes.add(items.size()));
        commits.write(50); // heavier than a group: goes alone
        assertEquals(List.of(1), sizes);
        commits.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> commits.write(1));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertTrue(commits.submit(1).isCompletedExceptionally(), "a submit to a closed writer fails at once");
    }
}
