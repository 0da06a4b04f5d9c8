package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.Caller;
import dev.fleetgate.security.User;

class TokenServiceTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private final Map<String, User> db = new HashMap<>();
    private final AtomicInteger lookups = new AtomicInteger();
    private final AtomicLong nanos = new AtomicLong();
    private final UserLookupCache cache = new UserLookupCache(
            name -> {
                lookups.incrementAndGet();
                return Optional.ofNullable(db.get(name));
            },
            Duration.ofSeconds(5),
            100,
            nanos::get);
    private final TokenService tokens = new TokenService(
            new JwtCodec(new byte[32], Duration.ofMinutes(60), Clock.fixed(T0, ZoneOffset.UTC)), cache);

    @Test
    void validTokenOfAnExistingUserGivesTheCallerWithoutADatabaseHitPerRequest() {
        User alice = new User("alice", Set.of("operator"), T0.minusSeconds(3600));
        db.put("alice", alice);
        String token = tokens.issue(alice).token();
        for (int i = 0; i < 10; i++) {
            assertEquals(Optional.of(new Caller("alice", Set.of("operator"))), tokens.authenticate(token));
        }
        assertEquals(1, lookups.get());
        assertTrue(tokens.authenticate("Bearer-less garbage").isEmpty());
        assertTrue(tokens.authenticate(null).isEmpty());
    }

    @Test
    void tokenOfADeletedUserIsRejectedOnceTheCacheExpiresOrIsToldToForget() {
        User bob = new User("bob", Set.of("viewer"), T0.minusSeconds(60));
        db.put("bob", bob);
        String token = tokens.issue(bob).token();
        assertTrue(tokens.authenticate(token).isPresent());
        db.remove("bob");
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue(tokens.authenticate(token).isEmpty(), "after the cache TTL");

        db.put("bob", bob);
        nanos.addAndGet(Duration.ofSeconds(6).toNanos());
        assertTrue(tokens.authenticate(token).isPresent());
        db.remove("bob");
        tokens.forget("bob");
        assertTrue(tokens.authenticate(token).isEmpty(), "at once after forget");
    }

    @Test
    void tokenIssuedBeforeTheUserWasRecreatedIsRejected() {
        String token = tokens.issue(new User("carol", Set.of("admin"), T0.minusSeconds(600)))
                .token();
        db.put("carol", new User("carol", Set.of("viewer"), T0.plusSeconds(120)));
        assertTrue(tokens.authenticate(token).isEmpty());
    }

    @Test
    void rolesAreNeverMoreThanTheUserHasNow() {
        String token = tokens.issue(new User("dave", Set.of("admin", "viewer"), T0.minusSeconds(600)))
                .token();
        db.put("dave", new User("dave", Set.of("viewer"), T0.minusSeconds(600)));
        assertEquals(Set.of("viewer"), tokens.authenticate(token).orElseThrow().roles());
    }

    @Test
    void tokenWithAnOlderTokenVersionIsRejected() {
        User erin = new User("erin", Set.of("viewer"), T0.minusSeconds(600), 3);
        db.put("erin", erin);
        String token = tokens.issue(erin).token();
        assertTrue(tokens.authenticate(token).isPresent());
        db.put("erin", new User("erin", Set.of("viewer"), T0.minusSeconds(600), 4));
        tokens.forget("erin");
        assertTrue(tokens.authenticate(token).isEmpty(), "revoked");
        assertTrue(tokens.authenticate(tokens.issue(db.get("erin")).token()).isPresent(), "a new token is fine");
    }

    @Test
    void lookupFailureIsThrownForTheRestHostToAnswer503() {
        UserLookupCache failing = new UserLookupCache(
                name -> {
                    throw new IllegalStateException("Database error: connection refused");
                },
                Duration.ofSeconds(5),
                100,
                nanos::get);
        TokenService down = new TokenService(
                new JwtCodec(new byte[32], Duration.ofMinutes(60), Clock.fixed(T0, ZoneOffset.UTC)), failing);
        String token = down.issue(new User("frank", Set.of("viewer"), T0.minusSeconds(60)))
                .token();
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> down.authenticate(token));
    }
}
