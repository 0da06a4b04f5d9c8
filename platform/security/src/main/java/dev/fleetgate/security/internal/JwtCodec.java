package dev.fleetgate.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;

/** Issues and checks HS256 access tokens: issuer {@code fleetgate}, subject = user name, claim {@code roles}. */
public final class JwtCodec {
    public static final String ISSUER = "fleetgate";
    public static final int CLOCK_SKEW_SECONDS = 30;
    static final String ROLES = "roles";
    /** The user's token version when the token was issued. */
    static final String TOKEN_VERSION = "tv";

    public static final int MIN_KEY_BYTES = 32;

    private final HmacKey key;
    private final Duration ttl;
    private final Clock clock;

    /** A freshly signed token. */
    public record IssuedToken(String token, long expiresInSeconds) {}

    /** What a valid token says. */
    public record Claims(String username, Set<String> roles, Instant issuedAt, long tokenVersion) {}

    public JwtCodec(byte[] key, Duration ttl, Clock clock) {
        if (key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("The token signing key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("Token lifetime must be positive");
        }
        this.key = new HmacKey(key.clone());
        this.ttl = ttl;
        this.clock = clock;
    }

    public IssuedToken issue(String username, Set<String> roles) {
        return issue(username, roles, 0);
    }

    public IssuedToken issue(String username, Set<String> roles, long tokenVersion) {
        long now = clock.millis();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ISSUER);
        claims.setSubject(username);
        claims.setStringListClaim(ROLES, new ArrayList<>(new TreeSet<>(roles)));
        claims.setIssuedAt(NumericDate.fromMilliseconds(now));
        claims.setClaim(TOKEN_VERSION, tokenVersion);
        claims.setExpirationTime(NumericDate.fromMilliseconds(now + ttl.toMillis()));
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setKey(key);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        try {
            return new IssuedToken(jws.getCompactSerialization(), ttl.toSeconds());
        } catch (JoseException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    /** @return the claims when the token is well signed by our key, from us, and not expired */
    public Optional<Claims> verify(String token) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setExpectedIssuer(ISSUER)
                .setAllowedClockSkewInSeconds(CLOCK_SKEW_SECONDS)
                .setEvaluationTime(NumericDate.fromMilliseconds(clock.millis()))
                .setVerificationKey(key)
                .setJwsAlgorithmConstraints(
                        new AlgorithmConstraints(ConstraintType.PERMIT, AlgorithmIdentifiers.HMAC_SHA256))
                .build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            List<String> roles = claims.getStringListClaimValue(ROLES);
            Object version = claims.getClaimValue(TOKEN_VERSION);
            long tv = version instanceof Number n ? n.longValue() : 0; // tokens from before versions: 0
            return Optional.of(new Claims(
                    claims.getSubject(),
                    roles == null ? Set.of() : Set.copyOf(roles),
                    Instant.ofEpochSecond(claims.getIssuedAt().getValue()),
                    tv));
        } catch (InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
