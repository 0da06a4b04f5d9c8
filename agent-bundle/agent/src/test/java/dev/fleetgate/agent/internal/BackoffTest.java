package dev.fleetgate.agent.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFromOneSecondUpToThirtyWithoutJitterAtMidpoint() {
        Backoff backoff = new Backoff(() -> 0.5);
        List<Long> delays = java.util.stream.IntStream.range(0, 8)
                .mapToObj(i -> backoff.next().toMillis())
                .toList();
        assertEquals(List.of(1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L), delays);
    }

    @Test
    void jitterStaysWithinTwentyPercent() {
        Backoff low = new Backoff(() -> 0.0);
        Backoff high = new Backoff(() -> 0.999_999);
        assertEquals(800, low.next().toMillis());
        assertEquals(1_200, high.next().toMillis());
        assertEquals(24_000, low.max().toMillis());
        assertEquals(36_000, high.max().toMillis());

        Backoff random = new Backoff();
        for (int i = 0; i < 200; i++) {
            long base = Math.min(30_000, 1_000L << Math.min(i, 5));
            Duration delay = random.next();
            assertTrue(delay.toMillis() >= base * 0.8 && delay.toMillis() <= base * 1.2, i + ": " + delay);
        }
    }

    @Test
    void resetStartsOverAndMaxStaysAtMax() {
        Backoff backoff = new Backoff(() -> 0.5);
        backoff.next();
        backoff.next();
        backoff.reset();
        assertEquals(1_000, backoff.next().toMillis());
        assertEquals(30_000, backoff.max().toMillis());
        assertEquals(30_000, backoff.next().toMillis());
    }
}
