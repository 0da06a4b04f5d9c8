package dev.fleetgate.security.internal;

import dev.fleetgate.api.ApiException;

/** 429: too many failed logins; carries the seconds for {@code Retry-After}. */
public final class LoginThrottledException extends ApiException {
    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public LoginThrottledException(long retryAfterSeconds) {
        super(429, "Too many failed logins; try again in " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
