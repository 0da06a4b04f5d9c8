package dev.fleetgate.security.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.fleetgate.api.Authenticator;
import dev.fleetgate.api.Caller;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;

/**
 * Issues access tokens and checks them for the REST host. A valid signature is not enough:
 * the user must still exist (looked up through a cache of {@link #LOOKUP_TTL}), must not have
 * been re-created after the token was issued, and the token must carry the user's current
 * token version (raised by a password change or a logout). A change made on this core is
 * seen at once ({@link #forget}); other cores sharing the database see it within the TTL.
 */
@Component(
        service = {TokenService.class, Authenticator.class},
        configurationPid = SecurityConfig.PID)
@Designate(ocd = SecurityConfig.class)
public final class TokenService implements Authenticator {
    private static final Logger LOG = LoggerFactory.getLogger(TokenService.class);
    static final Duration LOOKUP_TTL = Duration.ofSeconds(5);

    private final JwtCodec codec;
    private final UserLookupCache users;

    @Activate
    public TokenService(BundleContext context, SecurityConfig config, @Reference UserService users) {
        this(
                new JwtCodec(
                        LocalKeys.forBundle(context)
                                .resolve(config._jwtSecret(), ".jwtSecret", JwtCodec.MIN_KEY_BYTES, 1024, "jwt.key"),
                        Duration.ofMinutes(Math.max(1, config.tokenTtlMinutes())),
                        Clock.systemUTC()),
                new UserLookupCache(users::find, LOOKUP_TTL, 10_000, System::nanoTime));
    }

    public TokenService(JwtCodec codec, UserLookupCache users) {
        this.codec = codec;
        this.users = users;
    }

    public JwtCodec.IssuedToken issue(User user) {
        return codec.issue(user.username(), user.roles(), user.tokenVersion());
    }

    @Override
    public Optional<Caller> authenticate(String bearerToken) {
        Optional<JwtCodec.Claims> verified = codec.verify(bearerToken == null ? null : bearerToken.trim());
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        JwtCodec.Claims claims = verified.get();
        Optional<User> user;
        try {
            user = users.get(claims.username());
        } catch (RuntimeException e) {
            // Thrown on: the REST host answers 503 when the database is unreachable.
            LOG.debug("Cannot look up user {} to check a token: {}", claims.username(), e.toString());
            throw e;
        }
        if (user.isEmpty()
                || claims.issuedAt()
                        .plusSeconds(JwtCodec.CLOCK_SKEW_SECONDS)
                        .isBefore(user.get().createdAt())
                || claims.tokenVersion() != user.get().tokenVersion()) {
            return Optional.empty();
        }
        Set<String> roles = new HashSet<>(claims.roles());
        roles.retainAll(user.get().roles());
        return Optional.of(new Caller(claims.username(), roles));
    }

    /** Makes the next check of this user's tokens ask the database (after any change to the user). */
    public void forget(String username) {
        users.invalidate(username);
    }
}
