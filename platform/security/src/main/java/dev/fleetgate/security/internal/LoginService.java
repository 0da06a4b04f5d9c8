package dev.fleetgate.security.internal;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;

/** Password login: throttle, check credentials, issue a token. */
@Component(service = LoginService.class, configurationPid = SecurityConfig.PID)
public final class LoginService {
    static final String BAD_CREDENTIALS = "Invalid user name or password";
    private static final int MAX_TRACKED_KEYS = 10_000;

    private final UserService users;
    private final TokenService tokens;
    private final LoginThrottle throttle;

    @Activate
    public LoginService(SecurityConfig config, @Reference UserService users, @Reference TokenService tokens) {
        this(
                users,
                tokens,
                new LoginThrottle(
                        config.loginMaxFailures(),
                        config.loginMaxFailuresPerAddress(),
                        Duration.ofSeconds(config.loginWindowSeconds()),
                        new LoginThrottle.AccountBackoff(
                                config.loginAccountMaxFailures(),
                                Duration.ofSeconds(config.loginAccountWindowSeconds()),
                                Duration.ofSeconds(1),
                                Duration.ofSeconds(Math.max(1, config.loginAccountMaxDelaySeconds())),
                                Duration.ofDays(30)),
                        MAX_TRACKED_KEYS,
                        System::currentTimeMillis));
    }

    /**
     * For tests and embedding. Not a second public constructor of the same arity as the
     * {@code @Activate} one: SCR picks constructors by parameter count and would try it.
     */
    public static LoginService of(UserService users, TokenService tokens, LoginThrottle throttle) {
        return new LoginService(users, tokens, throttle);
    }

    private LoginService(UserService users, TokenService tokens, LoginThrottle throttle) {
        this.users = users;
        this.tokens = tokens;
        this.throttle = throttle;
    }

    /**
     * @throws LoginThrottledException when this user name or address failed too often lately
     * @throws ApiException            401 on a wrong user name or password (the same for both)
     */
    public JwtCodec.IssuedToken login(String username, String password, String clientAddress) {
        OptionalLong wait = throttle.retryAfterSeconds(username, clientAddress);
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.getAsLong());
        }
        Optional<User> user = users.verify(username, password);
        if (user.isEmpty()) {
            throttle.recordFailure(username, clientAddress);
            throw new ApiException(401, BAD_CREDENTIALS);
        }
        throttle.recordSuccess(username, clientAddress);
        return tokens.issue(user.get());
    }

    /**
     * Checks a user's current password before a self-service change, under the same
     * throttle as a login.
     *
     * @return whether the password is right
     * @throws LoginThrottledException when this user name or address failed too often lately
     */
    public boolean checkPassword(String username, String password, String clientAddress) {
        OptionalLong wait = throttle.retryAfterSeconds(username, clientAddress);
        if (wait.isPresent()) {
            throw new LoginThrottledException(wait.getAsLong());
        }
        if (password == null || users.verify(username, password).isEmpty()) {
            throttle.recordFailure(username, clientAddress);
            return false;
        }
        return true;
    }

    /** Revokes every access token of the user (logout everywhere). */
    public void logout(String username) {
        users.revokeTokens(username);
        tokens.forget(username);
    }
}
