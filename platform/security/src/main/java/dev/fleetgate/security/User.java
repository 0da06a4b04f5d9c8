package dev.fleetgate.security;

import java.time.Instant;
import java.util.Set;

/**
 * A user as other code sees it; the password hash never leaves the security bundle.
 *
 * @param username  the login name, {@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}
 * @param roles     one or more of {@link dev.fleetgate.api.Roles}
 * @param createdAt when the user was created
 * @param tokenVersion raised whenever the user's access tokens are revoked (password change,
 *                  logout): a token carrying an older version is refused
 */
public record User(String username, Set<String> roles, Instant createdAt, long tokenVersion) {

    public User {
        roles = Set.copyOf(roles);
    }

    /** A user whose tokens were never revoked. */
    public User(String username, Set<String> roles, Instant createdAt) {
        this(username, roles, createdAt, 0);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
