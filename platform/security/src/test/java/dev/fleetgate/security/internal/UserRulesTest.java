package dev.fleetgate.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.FieldError;

class UserRulesTest {
    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void acceptsAValidUser() {
        assertTrue(UserRules.checkNewUser("ops.team_1-a", "0123456789", Set.of("operator", "viewer"))
                .isEmpty());
        assertTrue(UserRules.checkNewUser("a".repeat(64), "0123456789", Set.of("admin"))
                .isEmpty());
    }

    @Test
    void reportsEachBadField() {
        assertEquals(List.of("username", "password", "roles"), fields(UserRules.checkNewUser(null, null, null)));
        assertEquals(List.of("username"), fields(UserRules.checkNewUser("-dash", "0123456789", Set.of("admin"))));
        assertEquals(
                List.of("username"), fields(UserRules.checkNewUser("a".repeat(65), "0123456789", Set.of("admin"))));
        assertEquals(List.of("username"), fields(UserRules.checkNewUser("with space", "0123456789", Set.of("admin"))));
        assertEquals(List.of("password"), fields(UserRules.checkNewUser("ok", "012345678", Set.of("admin"))));
        assertEquals(List.of("roles"), fields(UserRules.checkNewUser("ok", "0123456789", Set.of())));
        assertEquals(List.of("roles"), fields(UserRules.checkNewUser("ok", "0123456789", Set.of("root"))));
    }
}
