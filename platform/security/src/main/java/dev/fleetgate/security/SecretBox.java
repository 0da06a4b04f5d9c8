package dev.fleetgate.security;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Encrypts short secrets (DNS TSIG keys, ACME account keys, notification channel tokens)
 * before a module stores them, with the core's master key.
 *
 * <p>The sealed form is text: {@code v1:} followed by base64 of a random 12-byte IV and the
 * AES-256-GCM ciphertext with its 16-byte tag. Sealing the same value twice gives different
 * texts. Opening detects any change to the text and a wrong key. All cores that share a
 * database must share the master key (configuration {@code dev.fleetgate.security},
 * key {@code masterKey}). Implementations are thread-safe.
 */
@ProviderType
public interface SecretBox {

    /**
     * @param plaintext the secret, UTF-8
     * @return the sealed text, safe to store in a {@code text} column
     */
    String encrypt(String plaintext);

    /**
     * @param sealed a text produced by {@link #encrypt(String)}
     * @return the secret
     * @throws IllegalArgumentException when the text is malformed, was changed, or was sealed
     *                                  with another key
     */
    String decrypt(String sealed);

    /** Same as {@link #encrypt(String)} for binary secrets. */
    String encryptBytes(byte[] plaintext);

    /** Same as {@link #decrypt(String)} for binary secrets. */
    byte[] decryptBytes(String sealed);
}
