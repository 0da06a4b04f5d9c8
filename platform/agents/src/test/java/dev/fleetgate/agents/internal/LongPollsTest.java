package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LongPollsTest {
    private final LongPolls polls = new LongPolls();

    @AfterEach
    void close() {
        polls.close();
    }

    /** Records how a held request ended. */
    static final class Probe implements LongPolls.Waiter {
        final AtomicBoolean hasWork = new AtomicBoolean();
        final AtomicInteger answers = new AtomicInteger();
        final AtomicInteger empties = new AtomicInteger();
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public boolean recheck() {
            if (!hasWork.get()) {
                return false;
            }
            answers.incrementAndGet();
            done.countDown();
            return true;
        }

        @Override
        public void answerEmpty() {
            empties.incrementAndGet();
            done.countDown();
        }
    }

    @Test
    void wakeAnswersAtOnceWhenThereIsWork() throws Exception {
        Probe p = new Probe();
        polls.hold("a", polls.ticket("a"), Duration.ofSeconds(30), p);
        p.hasWork.set(true);
        polls.wake("a");
        assertTrue(p.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, p.answers.get());
        assertEquals(0, p.empties.get());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (polls.heldCount() > 0 && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the answered request leaves the map right after answering
        }
        assertEquals(0, polls.heldCount());
    }

    @Test
    void aWakeOfManyPreparesBatchesAndAnswersEveryHeldRequest() throws Exception {
        java.util.List<Integer> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger closed = new AtomicInteger();
        polls.batch(waiters -> {
            batches.add(waiters.size());
            return closed::incrementAndGet;
        });
        java.util.List<Probe> probes = new java.util.ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Probe p = new Probe();
            p.hasWork.set(true);
            polls.hold("a" + i, polls.ticket("a" + i), Duration.ofSeconds(30), p);
            probes.add(p);
        }
        polls.wakeAll();
        for (Probe p : probes) {
            assertTrue(p.done.await(10, TimeUnit.SECONDS));
            assertEquals(1, p.answers.get());
        }
        assertEquals(1000, batches.stream().mapToInt(Integer::intValue).sum(), "each held request once");
        assertTrue(batches.size() <= 1000 / 2, "woken together, re-checked in batches: " + batches);
        assertTrue(batches.stream().allMatch(n -> n <= LongPolls.BATCH));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (closed.get() < batches.size() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(batches.size(), closed.get(), "every prepared batch is closed");
    }

    @Test
    void aFailingBatchPreparationStillReChecksEachRequest() throws Exception {
        polls.batch(waiters -> {
            throw new IllegalStateException("database down");
        });
        Probe p = new Probe();
        p.hasWork.set(true);
        polls.hold("a", polls.ticket("a"), Duration.ofSeconds(30), p);
        polls.wake("a");
        assertTrue(p.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, p.answers.get());
    }

    @Test
    void wakeWithoutWorkKeepsHolding() throws Exception {
        Probe p = new Probe();
        polls.hold("a", polls.ticket("a"), Duration.ofSeconds(30), p);
        polls.wake("a");
        polls.wake("b");
        assertTrue(!p.done.await(300, TimeUnit.MILLISECONDS));
        assertEquals(1, polls.heldCount());
    }

    @Test
    void timeoutAnswersEmpty() throws Exception {
        Probe p = new Probe();
        polls.hold("a", polls.ticket("a"), Duration.ofMillis(100), p);
        assertTrue(p.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, p.empties.get());
        assertEquals(0, p.answers.get());
    }

    @Test
    void newRequestReplacesAndAnswersTheOldOneEmpty() throws Exception {
        Probe first = new Probe();
        Probe second = new Probe();
        polls.hold("a", polls.ticket("a"), Duration.ofSeconds(30), first);
        polls.hold("a", polls.ticket("a"), Duration.ofSeconds(30), second);
        assertTrue(first.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, first.empties.get());
        second.hasWork.set(true);
        polls.wake("a");
        assertTrue(second.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, second.answers.get());
        assertEquals(0, first.answers.get());
    }

    @Test
    void changeBetweenAnswerAndHoldIsNotLost() throws Exception {
        Probe p = new Probe();
        long ticket = polls.ticket("a");
        p.hasWork.set(true);
        polls.wake("a"); // arrives before the request is held
        polls.hold("a", ticket, Duration.ofSeconds(30), p);
        assertTrue(p.done.await(5, TimeUnit.SECONDS));
        assertEquals(1, p.answers.get());
    }

    @Test
    void answeredOnlyOnceUnderManyWakes() throws Exception {
        Probe p = new Probe();
        polls.hold("a", polls.ticket("a"), Duration.ofMillis(200), p);
        p.hasWork.set(true);
        for (int i = 0; i < 50; i++) {
            polls.wake("a");
        }
        assertTrue(p.done.await(5, TimeUnit.SECONDS));
        Thread.sleep(400); // past the timeout: it must not answer a second time
        assertEquals(1, p.answers.get() + p.empties.get());
    }
}
