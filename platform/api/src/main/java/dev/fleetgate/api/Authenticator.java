package dev.fleetgate.api;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Verifies access tokens. Provided by the security bundle; the REST host needs it and
 * serves nothing but 503 without it, so stopping security never leaves endpoints open.
 */
@ProviderType
public interface Authenticator {

    /**
     * @param bearerToken the token from {@code Authorization: Bearer ...}
     * @return the caller, or empty when the token is invalid or expired
     */
    Optional<Caller> authenticate(String bearerToken);
}
