package dev.fleetgate.proxy.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.fleetgate.security.SecretBox;

/** A SecretBox for tests: "sealed:" + base64 of the reversed bytes (never the plaintext), opened back. */
public final class FakeSecretBox implements SecretBox {
    @Override
    public String encrypt(String plaintext) {
        return encryptBytes(plaintext.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String decrypt(String sealed) {
        return new String(decryptBytes(sealed), StandardCharsets.UTF_8);
    }

    @Override
    public String encryptBytes(byte[] plaintext) {
        byte[] r = new byte[plaintext.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = plaintext[r.length - 1 - i];
        }
        return "sealed:" + Base64.getEncoder().encodeToString(r);
    }

    @Override
    public byte[] decryptBytes(String sealed) {
        if (!sealed.startsWith("sealed:")) {
            throw new IllegalArgumentException("not sealed");
        }
        byte[] r = Base64.getDecoder().decode(sealed.substring(7));
        byte[] out = new byte[r.length];
        for (int i = 0; i < r.length; i++) {
            out[i] = r[r.length - 1 - i];
        }
        return out;
    }
}
