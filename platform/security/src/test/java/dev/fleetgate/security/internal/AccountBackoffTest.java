package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

import dev.fleetgate.persistence.testing.MutableClock;

/** The per-account limit: doubling delays from many addresses, capped, cleared by a success. */
class AccountBackoffTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T08:00:00Z"));
    private final LoginThrottle throttle = new LoginThrottle(
            5, 20, Duration.ofSeconds(300), LoginThrottle.AccountBackoff.DEFAULT, 10_000, clock::millis);

    /** One failure from each of many addresses: the per-address limits never trigger. */
    private int address;

    private void failFromNewAddress() {
        address++;
        String from = "10.9." + (address / 250) + "." + (address % 250);
        assertTrue(throttle.retryAfterSeconds("admin", from).isEmpty(), "not locked before failure " + address);
        throttle.recordFailure("admin", from);
    }

    private OptionalLong waitFor(String from) {
        return throttle.retryAfterSeconds("admin", from);
    }

    @Test
    void tenFailuresFromDifferentAddressesLockTheAccountWithDoublingDelaysUpToTheCap() {
        for (int i = 0; i < 9; i++) {
            failFromNewAddress();
        }
        assertTrue(waitFor("192.0.2.1").isEmpty(), "9 failures: not yet");
        failFromNewAddress();
        assertEquals(OptionalLong.of(1), waitFor("192.0.2.1"), "10th failure: 1 s");
        long expected = 1;
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(expected));
            failFromNewAddress();
            expected = Math.min(expected * 2, 300);
            assertEquals(OptionalLong.of(expected), waitFor("192.0.2.1"), "after failure " + (11 + i));
        }
        assertEquals(OptionalLong.of(300), waitFor("192.0.2.1"), "capped at 5 minutes");
        clock.advance(Duration.ofSeconds(300));
        assertTrue(waitFor("192.0.2.1").isEmpty(), "the lock is temporary");
    }

    @Test
    void successClearsTheBackoff() {
        for (int i = 0; i < 12; i++) {
            clock.advance(Duration.ofSeconds(5));
            failFromNewAddress();
        }
        clock.advance(Duration.ofSeconds(3));
        assertTrue(waitFor("192.0.2.1").isPresent(), "12th failure: 4 s");
        clock.advance(Duration.ofSeconds(1));
        throttle.recordSuccess("admin", "192.0.2.1");
        assertTrue(waitFor("192.0.2.99").isEmpty(), "cleared for every address");
        failFromNewAddress();
        assertTrue(waitFor("192.0.2.99").isEmpty(), "counting starts again");
    }

    @Test
    void addressTheUserLoggedInFromBeforeIsNotLockedOut() {
        throttle.recordSuccess("admin", "192.0.2.7");
        for (int i = 0; i < 25; i++) {
            clock.advance(Duration.ofSeconds(i < 10 ? 1 : 300));
            failFromNewAddress();
        }
        assertTrue(waitFor("198.51.100.1").isPresent(), "a stranger waits");
        assertTrue(waitFor("192.0.2.7").isEmpty(), "the admin's usual address does not");
        clock.advance(Duration.ofDays(31));
        for (int i = 0; i < 10; i++) {
            failFromNewAddress();
        }
        assertTrue(waitFor("192.0.2.7").isPresent(), "known only for 30 days");
    }

    @Test
    void failuresOlderThanTheWindowStopCounting() {
        for (int i = 0; i < 9; i++) {
            failFromNewAddress();
        }
        clock.advance(Duration.ofMinutes(16));
        failFromNewAddress();
        assertTrue(waitFor("192.0.2.1").isEmpty());
    }

    @Test
    void delayDoublesFromTheThresholdAndIsCapped() {
        LoginThrottle.AccountBackoff b = LoginThrottle.AccountBackoff.DEFAULT;
        assertEquals(0, b.delayMillis(9));
        assertEquals(1_000, b.delayMillis(10));
        assertEquals(2_000, b.delayMillis(11));
        assertEquals(256_000, b.delayMillis(18));
        assertEquals(300_000, b.delayMillis(19));
        assertEquals(300_000, b.delayMillis(1_000));
    }
}
