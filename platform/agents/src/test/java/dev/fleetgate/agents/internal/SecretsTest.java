package dev.fleetgate.agents.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void apiKeyHasPrefixAnd256RandomBits() {
        String key = Secrets.newApiKey();
        assertTrue(key.matches("fga_[A-Za-z0-9_-]{43}"), key);
        assertNotEquals(key, Secrets.newApiKey());
    }

    @Test
    void enrollmentTokenIs32BytesBase64Url() {
        assertTrue(Secrets.newEnrollmentToken().matches("[A-Za-z0-9_-]{43}"));
    }

    @Test
    void sha256HexIsTheKnownDigest() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256Hex("abc"));
    }

    @Test
    void matchesOnlyTheRightKey() {
        String key = Secrets.newApiKey();
        String stored = Secrets.sha256Hex(key);
        assertTrue(Secrets.matches(stored, key));
        assertFalse(Secrets.matches(stored, key + "x"));
        assertFalse(Secrets.matches(stored, null));
        assertFalse(Secrets.matches(null, key));
    }
}
