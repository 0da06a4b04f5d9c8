package dev.fleetgate.security.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

import dev.fleetgate.security.SecretBox;

/** AES-256-GCM with a random 96-bit IV per message; the format prefix is authenticated too. */
@Component(service = SecretBox.class, configurationPid = SecurityConfig.PID)
public final class AesGcmSecretBox implements SecretBox {
    static final String PREFIX = "v1:";
    private static final byte[] AAD = "fleetgate-secretbox-v1".getBytes(StandardCharsets.US_ASCII);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEY_BYTES = 32;

    private final SecretKey key;
    private final SecureRandom random = new SecureRandom();

    @Activate
    public AesGcmSecretBox(BundleContext context, SecurityConfig config) {
        this(LocalKeys.forBundle(context)
                .resolve(config._masterKey(), ".masterKey", KEY_BYTES, KEY_BYTES, "secret.key"));
    }

    /** @param key exactly 32 bytes */
    public AesGcmSecretBox(byte[] key) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("The master key must be " + KEY_BYTES + " bytes");
        }
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

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
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(AAD);
            byte[] ct = cipher.doFinal(plaintext);
            byte[] out =
                    ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    @Override
    public byte[] decryptBytes(String sealed) {
        if (sealed == null || !sealed.startsWith(PREFIX)) {
            throw new IllegalArgumentException("Not a sealed secret (expected prefix " + PREFIX + ")");
        }
        byte[] all;
        try {
            all = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Sealed secret is not valid base64");
        }
        if (all.length < IV_BYTES + TAG_BITS / 8) {
            throw new IllegalArgumentException("Sealed secret is too short");
        }
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            cipher.updateAAD(AAD);
            return cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES);
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("Sealed secret was altered or sealed with another key");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }
}
