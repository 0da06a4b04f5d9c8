package dev.fleetgate.security;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The users of the core and their roles.
 *
 * <p>Methods that change users throw {@link dev.fleetgate.api.ApiException}: 400 with field
 * errors ({@code username}, {@code password}, {@code roles}) for invalid input, 404 for an
 * unknown user, 409 for a name already taken or for removing the last admin.
 */
@ProviderType
public interface UserService {

    /** @return all users, by name */
    List<User> list();

    /** @return the user with exactly this name */
    Optional<User> find(String username);

    /**
     * Creates a user. Names are unique ignoring case; passwords need at least 10 characters;
     * roles must be non-empty and each one of {@link dev.fleetgate.api.Roles}.
     */
    User create(String username, String password, Set<String> roles);

    /** Deletes a user; refuses to delete the last user with the admin role. */
    void delete(String username);

    /**
     * Replaces a user's password (same rules as for {@link #create}) and revokes the user's
     * access tokens.
     */
    void changePassword(String username, String newPassword);

    /**
     * Replaces a user's roles (non-empty, each one of {@link dev.fleetgate.api.Roles}) and
     * revokes the user's access tokens, which carry the old roles. Refuses (409) to take the
     * admin role from the last admin.
     *
     * @return the user with the new roles
     */
    User changeRoles(String username, Set<String> roles);

    /**
     * Revokes every access token issued to the user so far (raises its token version).
     *
     * @throws dev.fleetgate.api.ApiException 404 for an unknown user
     */
    void revokeTokens(String username);

    /**
     * Checks a user name and password. Takes the same time whether or not the user exists.
     *
     * @return the user when the password is right, empty otherwise
     */
    Optional<User> verify(String username, String password);
}
