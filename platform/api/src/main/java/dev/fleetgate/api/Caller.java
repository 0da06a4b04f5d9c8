package dev.fleetgate.api;

import java.util.Set;

/**
 * Who made a REST call, as the bearer token says.
 *
 * @param name  the user name
 * @param roles the user's roles (see {@link Roles})
 */
public record Caller(String name, Set<String> roles) implements java.security.Principal {

    public Caller {
        roles = Set.copyOf(roles);
    }

    @Override
    public String getName() {
        return name;
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }
}
