package dev.fleetgate.agents.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Enrolment tokens and API keys: generation and hashing. */
public final class Secrets {
    /** Prefix of agent API keys, so a leaked key is recognisable. */
    public static final String KEY_PREFIX = "fga_";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** @return {@code bytes} random bytes, base64url without padding */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String newEnrollmentToken() {
        return randomToken(32);
    }

    public static String newApiKey() {
        return KEY_PREFIX + randomToken(32);
    }

    public static String sha256Hex(String text) {
        return sha256Hex(text.getBytes(StandardCharsets.UTF_8));
    }

    public static String sha256Hex(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison of the stored hash with the hash of what the caller presented. */
    public static boolean matches(String storedHashHex, String presented) {
        if (storedHashHex == null || presented == null) {
            return false;
        }
        byte[] expected = storedHashHex.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = sha256Hex(presented).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, actual);
    }
}
