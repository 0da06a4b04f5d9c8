package dev.fleetgate.dns;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A TSIG key (RFC 8945) signing updates and queries. {@link #toString()} never shows the
 * secret.
 *
 * @param name      the key's name as the server knows it (e.g. {@code fleetgate})
 * @param algorithm {@code hmac-sha256}, {@code hmac-sha384} or {@code hmac-sha512}
 * @param secret    the shared secret (a copy is kept and handed out)
 */
public record TsigKey(String name, String algorithm, byte[] secret) {
    /** The algorithms accepted. */
    public static final Set<String> ALGORITHMS = Set.of("hmac-sha256", "hmac-sha384", "hmac-sha512");
    /** The algorithm used when none is given. */
    public static final String DEFAULT_ALGORITHM = "hmac-sha256";
    /** Shortest secret accepted, in bytes. */
    public static final int MIN_SECRET_BYTES = 16;

    public TsigKey {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(secret, "secret");
        algorithm = algorithm.toLowerCase(Locale.ROOT);
        if (!ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("Unsupported TSIG algorithm " + algorithm + "; use one of "
                    + String.join(", ", ALGORITHMS.stream().sorted().toList()));
        }
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("A TSIG secret must have at least " + MIN_SECRET_BYTES + " bytes");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TsigKey k
                && name.equals(k.name)
                && algorithm.equals(k.algorithm)
                && Arrays.equals(secret, k.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, algorithm, Arrays.hashCode(secret));
    }

    @Override
    public String toString() {
        return "TsigKey[name=" + name + ", algorithm=" + algorithm + ", secret=(" + secret.length + " bytes)]";
    }
}
