package dev.fleetgate.security.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

import dev.fleetgate.api.ApiException;
import dev.fleetgate.api.FieldError;
import dev.fleetgate.security.internal.JwtCodec;
import dev.fleetgate.security.internal.LoginService;
import dev.fleetgate.security.internal.LoginThrottle;
import dev.fleetgate.security.internal.TokenService;
import dev.fleetgate.security.internal.UserLookupCache;

class AuthResourceTest {
    private final InMemoryUsers users = new InMemoryUsers();
    private final TokenService tokens = new TokenService(
            new JwtCodec(new byte[32], Duration.ofMinutes(60), Clock.systemUTC()),
            new UserLookupCache(users::find, Duration.ofSeconds(5), 100, System::nanoTime));
    private final AuthResource auth = new AuthResource(LoginService.of(
            users, tokens, new LoginThrottle(5, 20, Duration.ofSeconds(300), 100, System::currentTimeMillis)));

    AuthResourceTest() {
        users.create("alice", "alice-password", Set.of("operator"));
    }

    private static Bodies.LoginRequest body(String user, String password) {
        return new Bodies.LoginRequest(user, password);
    }

    @Test
    void loginGivesABearerTokenTheAuthenticatorAccepts() {
        Response r = auth.loginFrom(body("alice", "alice-password"), "127.0.0.1");
        assertEquals(200, r.getStatus());
        Bodies.LoginResponse token = (Bodies.LoginResponse) r.getEntity();
        assertEquals("Bearer", token.tokenType());
        assertEquals(3600, token.expiresIn());
        assertEquals(
                "alice", tokens.authenticate(token.accessToken()).orElseThrow().name());
    }

    @Test
    void unknownUserAndWrongPasswordGetTheSame401() {
        ApiException wrong = assertThrows(ApiException.class, () -> auth.loginFrom(body("alice", "nope"), "127.0.0.1"));
        ApiException unknown = assertThrows(ApiException.class, () -> auth.loginFrom(body("zed", "nope"), "127.0.0.1"));
        assertEquals(401, wrong.status());
        assertEquals(401, unknown.status());
        assertEquals(wrong.getMessage(), unknown.getMessage());
    }

    @Test
    void missingFieldsAre400WithFieldErrors() {
        ApiException e = assertThrows(ApiException.class, () -> auth.loginFrom(body(" ", null), "127.0.0.1"));
        assertEquals(400, e.status());
        assertEquals(
                List.of("username", "password"),
                e.errors().stream().map(FieldError::field).toList());
        assertEquals(
                400,
                assertThrows(ApiException.class, () -> auth.loginFrom(null, "127.0.0.1"))
                        .status());
    }

    @Test
    void fiveFailuresThrottleWith429AndRetryAfterEvenForTheRightPassword() {
        for (int i = 0; i < 5; i++) {
            assertThrows(ApiException.class, () -> auth.loginFrom(body("alice", "guess"), "10.1.1.1"));
        }
        Response r = auth.loginFrom(body("alice", "alice-password"), "10.1.1.1");
        assertEquals(429, r.getStatus());
        long retry = Long.parseLong(r.getHeaderString("Retry-After"));
        assertTrue(retry > 290 && retry <= 300, "Retry-After " + retry);
        assertEquals("application/problem+json", r.getMediaType().toString());
        assertEquals(429, ((Map<?, ?>) r.getEntity()).get("status"));
        assertEquals(
                200, auth.loginFrom(body("alice", "alice-password"), "10.1.1.2").getStatus(), "other address");
    }
}
