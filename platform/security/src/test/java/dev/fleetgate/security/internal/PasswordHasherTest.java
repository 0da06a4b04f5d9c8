package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(1_000);

    @Test
    void defaultHashUsesTheDocumentedFormatAndVerifies() {
        String hash = new PasswordHasher().hash("correct horse battery");
        String[] parts = hash.split("\\$");
        assertEquals(4, parts.length);
        assertEquals("pbkdf2-sha512", parts[0]);
        assertEquals("210000", parts[1]);
        assertEquals(16, Base64.getDecoder().decode(parts[2]).length);
        assertEquals(64, Base64.getDecoder().decode(parts[3]).length);
        assertTrue(new PasswordHasher().verify("correct horse battery", hash));
    }

    @Test
    void rejectsAWrongPassword() {
        String hash = hasher.hash("correct horse battery");
        assertFalse(hasher.verify("correct horse batterY", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(null, hash));
    }

    @Test
    void sameSecretGetsDistinctSaltsAndHashes() {
        String a = hasher.hash("same password!");
        String b = hasher.hash("same password!");
        assertNotEquals(a.split("\\$")[2], b.split("\\$")[2]);
        assertNotEquals(a, b);
        assertTrue(hasher.verify("same password!", a));
        assertTrue(hasher.verify("same password!", b));
    }

    @Test
    void iterationsComeFromTheStoredHash() {
        String old = new PasswordHasher(500).hash("legacy password");
        assertTrue(hasher.verify("legacy password", old));
        assertTrue(hasher.needsRehash(old));
        assertFalse(hasher.needsRehash(hasher.hash("legacy password")));
    }

    @Test
    void malformedHashesNeverVerify() {
        for (String bad : new String[] {
            null,
            "",
            "plain",
            "pbkdf2-sha512$x$AAAA$AAAA",
            "bcrypt$10$a$b",
            "pbkdf2-sha512$1000$!!!$AAAAAAAAAAAAAAAAAAAAAA",
            "pbkdf2-sha512$0$AAAA$AAAAAAAAAAAAAAAAAAAAAA"
        }) {
            assertFalse(hasher.verify("whatever", bad), String.valueOf(bad));
        }
    }

    @Test
    void tamperedHashDoesNotVerify() {
        String hash = hasher.hash("correct horse battery");
        String[] p = hash.split("\\$");
        byte[] h = Base64.getDecoder().decode(p[3]);
        h[0] ^= 1;
        String tampered = p[0] + "$" + p[1] + "$" + p[2] + "$"
                + Base64.getEncoder().withoutPadding().encodeToString(h);
        assertFalse(hasher.verify("correct horse battery", tampered));
    }
}
