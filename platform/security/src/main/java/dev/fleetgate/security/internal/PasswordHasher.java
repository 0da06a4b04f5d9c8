package dev.fleetgate.security.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * PBKDF2-HMAC-SHA512 password hashes in a self-describing text form,
 * {@code pbkdf2-sha512$<iterations>$<base64 salt>$<base64 hash>}, so the iteration count can
 * be raised later while old hashes still verify (and get re-hashed on the next login).
 */
public final class PasswordHasher {
    public static final int DEFAULT_ITERATIONS = 210_000;
    static final String SCHEME = "pbkdf2-sha512";
    private static final String ALGORITHM = "PBKDF2WithHmacSHA512";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 64;
    private static final int MAX_ITERATIONS = 10_000_000;

    private final int iterations;
    private final SecureRandom random = new SecureRandom();
    private volatile String dummy;

    public PasswordHasher() {
        this(DEFAULT_ITERATIONS);
    }

    /** @param iterations PBKDF2 rounds for new hashes; lower only in tests */
    public PasswordHasher(int iterations) {
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations out of range: " + iterations);
        }
        this.iterations = iterations;
    }

    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] hash = derive(password, salt, iterations, HASH_BYTES);
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + b64.encodeToString(salt) + "$" + b64.encodeToString(hash);
    }

    /** @return whether {@code password} matches {@code stored}; false for a malformed hash */
    public boolean verify(String password, String stored) {
        Parsed p = parse(stored);
        if (p == null || password == null) {
            return false;
        }
        byte[] actual = derive(password, p.salt, p.iterations, p.hash.length);
        return MessageDigest.isEqual(actual, p.hash);
    }

    /**
     * Does the work of one verification against a hash nobody knows the password of, so that
     * a login for an unknown user costs as much as one for a known user.
     */
    public void verifyNothing(String password) {
        String d = dummy;
        if (d == null) {
            byte[] secret = new byte[24];
            random.nextBytes(secret);
            d = hash(Base64.getEncoder().encodeToString(secret));
            dummy = d;
        }
        verify(password == null ? "" : password, d);
    }

    /** @return whether {@code stored} uses fewer iterations than new hashes (or is unreadable) */
    public boolean needsRehash(String stored) {
        Parsed p = parse(stored);
        return p == null || p.iterations < iterations;
    }

    private static byte[] derive(String password, byte[] salt, int iterations, int bytes) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bytes * 8);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(ALGORITHM + " is not available", e);
        } finally {
            spec.clearPassword();
        }
    }

    private static Parsed parse(String stored) {
        if (stored == null) {
            return null;
        }
        String[] parts = stored.split("\\$", -1);
        if (parts.length != 4 || !SCHEME.equals(parts[0])) {
            return null;
        }
        try {
            int iterations = Integer.parseInt(parts[1]);
            byte[] salt = Base64.getDecoder().decode(parts[2]);
            byte[] hash = Base64.getDecoder().decode(parts[3]);
            if (iterations < 1 || iterations > MAX_ITERATIONS || salt.length == 0 || hash.length < 16) {
                return null;
            }
            return new Parsed(iterations, salt, hash);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private record Parsed(int iterations, byte[] salt, byte[] hash) {}
}
