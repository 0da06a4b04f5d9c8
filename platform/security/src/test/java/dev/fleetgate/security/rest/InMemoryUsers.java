package dev.fleetgate.security.rest;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.User;
import dev.fleetgate.security.UserService;
import dev.fleetgate.security.internal.PasswordHasher;

/** A UserService in memory, for resource tests. */
final class InMemoryUsers implements UserService {
    private final PasswordHasher hasher = new PasswordHasher(1_000);
    private final Map<String, User> users = new TreeMap<>();
    private final Map<String, String> hashes = new TreeMap<>();

    @Override
    public List<User> list() {
        return new ArrayList<>(users.values());
    }

    @Override
    public Optional<User> find(String username) {
        return Optional.ofNullable(users.get(username));
    }

    @Override
    public User create(String username, String password, Set<String> roles) {
        if (users.containsKey(username)) {
            throw ApiException.conflict("exists");
        }
        User u = new User(username, roles, Instant.now());
        users.put(username, u);
        hashes.put(username, hasher.hash(password));
        return u;
    }

    @Override
    public void delete(String username) {
        users.remove(username);
    }

    @Override
    public void changePassword(String username, String newPassword) {
        hashes.put(username, hasher.hash(newPassword));
        revokeTokens(username);
    }

    @Override
    public User changeRoles(String username, Set<String> roles) {
        java.util.List<dev.fleetgate.api.FieldError> errors =
                dev.fleetgate.security.internal.UserRules.checkRoles(roles);
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        User u = users.get(username);
        if (u == null) {
            throw ApiException.notFound("User " + username);
        }
        User changed = new User(u.username(), roles, u.createdAt(), u.tokenVersion() + 1);
        users.put(username, changed);
        return changed;
    }

    @Override
    public void revokeTokens(String username) {
        User u = users.get(username);
        if (u == null) {
            throw ApiException.notFound("User " + username);
        }
        users.put(username, new User(u.username(), u.roles(), u.createdAt(), u.tokenVersion() + 1));
    }

    @Override
    public Optional<User> verify(String username, String password) {
        String hash = hashes.get(username);
        return hash != null && hasher.verify(password, hash) ? find(username) : Optional.empty();
    }
}
