package dev.fleetgate.security.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import dev.fleetgate.api.FieldError;
import dev.fleetgate.api.Roles;

/** Validation of user input, shared by the REST resources and the shell commands. */
public final class UserRules {
    public static final int MIN_PASSWORD = 10;
    public static final int MAX_PASSWORD = 1024;
    private static final Pattern USERNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private UserRules() {}

    public static List<FieldError> checkNewUser(String username, String password, Collection<String> roles) {
        List<FieldError> errors = new ArrayList<>();
        if (username == null || username.isBlank()) {
            errors.add(new FieldError("username", "is required"));
        } else if (!USERNAME.matcher(username).matches()) {
            errors.add(new FieldError(
                    "username", "must be 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"));
        }
        errors.addAll(checkPassword("password", password));
        errors.addAll(checkRoles(roles));
        return errors;
    }

    public static List<FieldError> checkRoles(Collection<String> roles) {
        List<FieldError> errors = new ArrayList<>();
        if (roles == null || roles.isEmpty()) {
            errors.add(new FieldError("roles", "at least one role is required (admin, operator, viewer)"));
        } else {
            for (String role : roles) {
                if (!Roles.isValid(role)) {
                    errors.add(new FieldError("roles", "unknown role '" + role + "' (admin, operator, viewer)"));
                }
            }
        }
        return errors;
    }

    public static List<FieldError> checkPassword(String field, String password) {
        if (password == null || password.isEmpty()) {
            return List.of(new FieldError(field, "is required"));
        }
        if (password.length() < MIN_PASSWORD) {
            return List.of(new FieldError(field, "must have at least " + MIN_PASSWORD + " characters"));
        }
        if (password.length() > MAX_PASSWORD) {
            return List.of(new FieldError(field, "must have at most " + MAX_PASSWORD + " characters"));
        }
        return List.of();
    }
}
