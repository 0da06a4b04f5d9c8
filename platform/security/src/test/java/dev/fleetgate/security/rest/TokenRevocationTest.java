package dev.fleetgate.security.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.security.internal.JwtCodec;
import dev.fleetgate.security.internal.LoginService;
import dev.fleetgate.security.internal.LoginThrottle;
import dev.fleetgate.security.internal.TokenService;
import dev.fleetgate.security.internal.UserLookupCache;

/** Logout and password changes revoke the user's tokens; one's own change needs the current password. */
class TokenRevocationTest {
    private final InMemoryUsers users = new InMemoryUsers();
    private final TokenService tokens = new TokenService(
            new JwtCodec(new byte[32], Duration.ofMinutes(60), Clock.systemUTC()),
            new UserLookupCache(users::find, Duration.ofSeconds(5), 100, System::nanoTime));
    private final LoginService logins = LoginService.of(
            users, tokens, new LoginThrottle(5, 20, Duration.ofSeconds(300), 100, System::currentTimeMillis));
    private final AuthResource auth = new AuthResource(logins);
    private final UsersResource admin = new UsersResource(users, tokens, logins);

    TokenRevocationTest() {
        users.create("alice", "alice-password", Set.of("operator"));
        users.create("root", "root-password", Set.of("admin"));
    }

    private String login(String user, String password) {
        Response r = auth.loginFrom(new Bodies.LoginRequest(user, password), "127.0.0.1");
        return ((Bodies.LoginResponse) r.getEntity()).accessToken();
    }

    private static SecurityContext as(String name, String role) {
        return new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return () -> name;
            }

            @Override
            public boolean isUserInRole(String r) {
                return role.equals(r);
            }

            @Override
            public boolean isSecure() {
                return false;
            }

            @Override
            public String getAuthenticationScheme() {
                return "Bearer";
            }
        };
    }

    @Test
    void logoutRevokesEveryTokenOfTheCallerOnly() {
        String first = login("alice", "alice-password");
        String second = login("alice", "alice-password");
        String other = login("root", "root-password");
        assertTrue(tokens.authenticate(first).isPresent());
        assertEquals(204, auth.logout(as("alice", "operator")).getStatus());
        assertTrue(tokens.authenticate(first).isEmpty(), "old token after logout");
        assertTrue(tokens.authenticate(second).isEmpty(), "other device too");
        assertTrue(tokens.authenticate(other).isPresent(), "other users keep theirs");
        assertTrue(tokens.authenticate(login("alice", "alice-password")).isPresent(), "a new login works");
    }

    @Test
    void ownPasswordChangeNeedsTheCurrentPasswordAndRevokesOldTokens() {
        String old = login("alice", "alice-password");
        ApiException missing = assertThrows(
                ApiException.class,
                () -> admin.changePassword(
                        "alice", new Bodies.NewPassword("alice-new-password", null), as("alice", "operator"), null));
        assertEquals(400, missing.status());
        assertEquals("currentPassword", missing.errors().get(0).field());
        ApiException wrong = assertThrows(
                ApiException.class,
                () -> admin.changePassword(
                        "alice", new Bodies.NewPassword("alice-new-password", "guess"), as("alice", "operator"), null));
        assertEquals(403, wrong.status());
        assertEquals("The current password is wrong", wrong.getMessage());
        assertTrue(tokens.authenticate(old).isPresent(), "refused changes revoke nothing");

        assertEquals(
                204,
                admin.changePassword(
                                "alice",
                                new Bodies.NewPassword("alice-new-password", "alice-password"),
                                as("alice", "operator"),
                                null)
                        .getStatus());
        assertTrue(tokens.authenticate(old).isEmpty(), "old token after the password change");
        assertTrue(tokens.authenticate(login("alice", "alice-new-password")).isPresent());
    }

    @Test
    void adminResetOfAnotherUserNeedsNoCurrentPasswordAndRevokesTheirTokens() {
        String old = login("alice", "alice-password");
        assertEquals(
                204,
                admin.changePassword("alice", new Bodies.NewPassword("reset-by-admin", null), as("root", "admin"), null)
                        .getStatus());
        assertTrue(tokens.authenticate(old).isEmpty());
    }

    @Test
    void wrongCurrentPasswordsAreThrottledLikeLogins() {
        for (int i = 0; i < 5; i++) {
            assertThrows(
                    ApiException.class,
                    () -> admin.changePassword(
                            "alice",
                            new Bodies.NewPassword("alice-new-password", "guess"),
                            as("alice", "operator"),
                            null));
        }
        Response r = admin.changePassword(
                "alice", new Bodies.NewPassword("alice-new-password", "alice-password"), as("alice", "operator"), null);
        assertEquals(429, r.getStatus());
        assertTrue(Long.parseLong(r.getHeaderString("Retry-After")) > 0);
    }

    @Test
    void roleChangeRevokesTheUsersTokensAndTheNewLoginCarriesTheNewRoles() {
        String old = login("alice", "alice-password");
        String other = login("root", "root-password");
        Bodies.UserView v = admin.changeRoles("alice", new Bodies.NewRoles(java.util.List.of("viewer")));
        assertEquals(java.util.List.of("viewer"), v.roles());
        assertTrue(tokens.authenticate(old).isEmpty(), "the operator token must not outlive the demotion");
        assertTrue(tokens.authenticate(other).isPresent());
        assertEquals(
                Set.of("viewer"),
                tokens.authenticate(login("alice", "alice-password"))
                        .orElseThrow()
                        .roles());
        ApiException bad = assertThrows(
                ApiException.class, () -> admin.changeRoles("alice", new Bodies.NewRoles(java.util.List.of("root"))));
        assertEquals(400, bad.status());
        assertEquals("roles", bad.errors().get(0).field());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> admin.changeRoles("alice", null))
                        .status());
        assertEquals(
                404,
                assertThrows(
                                ApiException.class,
                                () -> admin.changeRoles("nobody", new Bodies.NewRoles(java.util.List.of("viewer"))))
                        .status());
    }
}
