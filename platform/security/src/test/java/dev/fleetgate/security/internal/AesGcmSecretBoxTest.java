package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class AesGcmSecretBoxTest {
    private static byte[] key(int fill) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) fill);
        return k;
    }

    private final AesGcmSecretBox box = new AesGcmSecretBox(key(7));

    @Test
    void roundTripWithFormat() {
        String sealed = box.encrypt("hmac-sha256:tsig-key:c2VjcmV0 – ünïcode");
        assertTrue(sealed.startsWith("v1:"));
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        assertEquals(
                12
                        + "hmac-sha256:tsig-key:c2VjcmV0 – ünïcode"
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                                .length
                        + 16,
                raw.length,
                "iv + ciphertext + tag");
        assertEquals("hmac-sha256:tsig-key:c2VjcmV0 – ünïcode", box.decrypt(sealed));
        byte[] bin = {0, 1, 2, (byte) 0xff};
        assertArrayEquals(bin, box.decryptBytes(box.encryptBytes(bin)));
        assertEquals("", box.decrypt(box.encrypt("")));
    }

    @Test
    void sameSecretSealsDifferently() {
        assertNotEquals(box.encrypt("token"), box.encrypt("token"));
    }

    @Test
    void tamperingIsDetected() {
        String sealed = box.encrypt("bot123:telegram-token");
        byte[] raw = Base64.getDecoder().decode(sealed.substring(3));
        for (int i : new int[] {0, 12, raw.length - 1}) {
            byte[] t = raw.clone();
            t[i] ^= 0x01;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(t);
            assertThrows(IllegalArgumentException.class, () -> box.decrypt(tampered), "byte " + i);
        }
        assertThrows(IllegalArgumentException.class, () -> box.decrypt(sealed.substring(0, sealed.length() - 8)));
        assertThrows(IllegalArgumentException.class, () -> box.decrypt("v2:" + sealed.substring(3)));
        assertThrows(IllegalArgumentException.class, () -> box.decrypt("v1:not base64!"));
        assertThrows(IllegalArgumentException.class, () -> box.decrypt("v1:AAAA"));
    }

    @Test
    void anotherKeyCannotOpen() {
        String sealed = box.encrypt("acme account key");
        assertThrows(IllegalArgumentException.class, () -> new AesGcmSecretBox(key(8)).decrypt(sealed));
        assertEquals("acme account key", new AesGcmSecretBox(key(7)).decrypt(sealed));
    }

    @Test
    void keyMustBe32Bytes() {
        assertThrows(IllegalArgumentException.class, () -> new AesGcmSecretBox(new byte[16]));
    }
}
