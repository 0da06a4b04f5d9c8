package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import org.junit.jupiter.api.Test;

class JwtCodecTest {
    private static final byte[] KEY = key(1);
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private static JwtCodec at(Instant now, byte[] key) {
        return new JwtCodec(key, Duration.ofMinutes(60), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void roundTrip() {
        JwtCodec.IssuedToken t = at(T0, KEY).issue("alice", Set.of("admin", "viewer"));
        assertEquals(3600, t.expiresInSeconds());
        JwtCodec.Claims c = at(T0.plusSeconds(10), KEY).verify(t.token()).orElseThrow();
        assertEquals("alice", c.username());
        assertEquals(Set.of("admin", "viewer"), c.roles());
        assertEquals(T0, c.issuedAt());
        String payload = new String(Base64.getUrlDecoder().decode(t.token().split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"iss\":\"fleetgate\""), payload);
    }

    @Test
    void expiredTokenIsRejectedAfterTheClockSkew() {
        String token = at(T0, KEY).issue("alice", Set.of("viewer")).token();
        assertTrue(at(T0.plusSeconds(3600 + 20), KEY).verify(token).isPresent(), "within the skew");
        assertTrue(at(T0.plusSeconds(3600 + 31), KEY).verify(token).isEmpty());
    }

    @Test
    void tamperedTokenIsRejected() {
        String token = at(T0, KEY).issue("alice", Set.of("viewer")).token();
        String[] parts = token.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"viewer\"", "\"admin\"");
        String forged = parts[0] + "."
                + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + parts[2];
        assertTrue(at(T0, KEY).verify(forged).isEmpty());
        assertTrue(at(T0, KEY).verify(parts[0] + "." + parts[1] + ".").isEmpty(), "no signature");
        assertTrue(at(T0, KEY).verify("garbage").isEmpty());
        assertTrue(at(T0, KEY).verify("").isEmpty());
    }

    @Test
    void unsignedAlgNoneTokenIsRejected() {
        String header = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes());
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(("{\"iss\":\"fleetgate\",\"sub\":\"alice\",\"iat\":" + T0.getEpochSecond() + ",\"exp\":"
                                + T0.plusSeconds(60).getEpochSecond() + ",\"roles\":[\"admin\"]}")
                        .getBytes());
        assertTrue(at(T0, KEY).verify(header + "." + payload + ".").isEmpty());
    }

    @Test
    void tokenSignedWithAnotherKeyIsRejected() {
        String token = at(T0, key(2)).issue("alice", Set.of("viewer")).token();
        assertTrue(at(T0, KEY).verify(token).isEmpty());
    }

    @Test
    void shortKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> at(T0, new byte[31]));
    }
}
