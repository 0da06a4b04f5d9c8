package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final LoginThrottle throttle = new LoginThrottle(5, 20, Duration.ofSeconds(300), 1_000, now::get);

    private void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(user, address);
        }
    }

    @Test
    void blocksAUserFromAnAddressAfterTheLimitForTheRestOfTheWindow() {
        fail("alice", "10.0.0.1", 4);
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.1").isEmpty());
        now.addAndGet(100_000);
        fail("alice", "10.0.0.1", 1);
        assertEquals(
                OptionalLong.of(200),
                throttle.retryAfterSeconds("alice", "10.0.0.1"),
                "until the first failure leaves the window");
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.2").isEmpty(), "other address");
        assertTrue(throttle.retryAfterSeconds("bob", "10.0.0.1").isEmpty(), "other user");
        now.addAndGet(199_000);
        assertEquals(OptionalLong.of(1), throttle.retryAfterSeconds("alice", "10.0.0.1"));
        now.addAndGet(1_000);
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.1").isEmpty(), "sliding window moved on");
        fail("alice", "10.0.0.1", 3);
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.1").isEmpty(), "1 left in the window + 3 new");
        fail("alice", "10.0.0.1", 1);
        assertEquals(OptionalLong.of(100), throttle.retryAfterSeconds("alice", "10.0.0.1"));
    }

    @Test
    void userNamesAreCountedIgnoringCase() {
        fail("Alice", "10.0.0.1", 3);
        fail("ALICE", "10.0.0.1", 2);
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.1").isPresent());
    }

    @Test
    void blocksAnAddressThatTriesManyUsers() {
        for (int i = 0; i < 20; i++) {
            throttle.recordFailure("user" + i, "10.0.0.9");
        }
        assertEquals(OptionalLong.of(300), throttle.retryAfterSeconds("someone-else", "10.0.0.9"));
        assertTrue(throttle.retryAfterSeconds("someone-else", "10.0.0.8").isEmpty());
    }

    @Test
    void successClearsTheUserCounterButNotTheAddressCounter() {
        fail("alice", "10.0.0.1", 4);
        throttle.recordSuccess("alice", "10.0.0.1");
        fail("alice", "10.0.0.1", 4);
        assertTrue(throttle.retryAfterSeconds("alice", "10.0.0.1").isEmpty());
        fail("mallory", "10.0.0.1", 12);
        assertTrue(throttle.retryAfterSeconds("bob", "10.0.0.1").isPresent(), "8 + 12 failures from the address");
    }

    @Test
    void keysAreBoundedAndExpiredOnesArePurged() {
        LoginThrottle small = new LoginThrottle(5, 20, Duration.ofSeconds(300), 10, now::get);
        for (int i = 0; i < 100; i++) {
            small.recordFailure("u" + i, "10.0.1." + i);
        }
        assertEquals(20, small.trackedKeys(), "10 per map");
        now.addAndGet(301_000);
        small.recordFailure("late", "10.0.2.1");
        assertEquals(2, small.trackedKeys(), "expired keys purged");
    }
}
