package dev.fleetgate.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AuthFilterTest {
    private final InMemoryApi api = new InMemoryApi(new ThingsResource());

    @Test
    void permitAllNeedsNoToken() {
        assertEquals(200, api.get("things/public", null).status());
    }

    @Test
    void missingTokenIs401WithChallenge() {
        InMemoryApi.Answer a = api.get("things", null);
        assertEquals(401, a.status());
        assertEquals("Bearer", a.response().getHeaderString("WWW-Authenticate"));
        assertEquals(Problems.MEDIA_TYPE, a.type());
        assertEquals(401, a.json().get("status").asInt());
    }

    @Test
    void unknownTokenIs401() {
        assertEquals(401, api.get("things", "forged").status());
        assertEquals(401, api.call("GET", "things", null, null, null).status());
    }

    @Test
    void anyRoleMayRead() {
        assertEquals(200, api.get("things", "viewer").status());
    }

    @Test
    void writesNeedOperatorOrAdminByDefault() {
        String body = "{\"name\":\"shop\"}";
        assertEquals(403, api.send("POST", "things", "viewer", body).status());
        assertEquals(200, api.send("POST", "things", "operator", body).status());
        assertEquals(200, api.send("POST", "things", "admin", body).status());
    }

    @Test
    void rolesAllowedOnTheMethodWins() {
        assertEquals(403, api.call("DELETE", "things/1", "operator", null, null).status());
        assertEquals(204, api.call("DELETE", "things/1", "admin", null, null).status());
    }

    @Test
    void securityContextCarriesTheCaller() {
        assertEquals("\"olga:true\"", api.get("things/me", "operator").body());
        assertEquals("\"victor:false\"", api.get("things/me", "viewer").body());
    }

    @Test
    void withoutAuthenticatorProtectedCallsAre503() {
        InMemoryApi none = new InMemoryApi(() -> null, new ThingsResource());
        assertEquals(503, none.get("things", "admin").status());
        assertEquals(200, none.get("things/public", null).status());
    }

    @Test
    void authenticatorFailureIsA401NotA500() {
        InMemoryApi broken = new InMemoryApi(
                () -> token -> {
                    throw new IllegalArgumentException("garbage");
                },
                new ThingsResource());
        assertEquals(401, broken.get("things", "x").status());
    }

    @Test
    void bearerHeaderParsing() {
        assertEquals("abc", AuthFilter.token("Bearer abc").orElseThrow());
        assertEquals("abc", AuthFilter.token("bearer  abc ").orElseThrow());
        assertTrue(AuthFilter.token("Basic abc").isEmpty());
        assertTrue(AuthFilter.token("Bearer ").isEmpty());
        assertTrue(AuthFilter.token(null).isEmpty());
    }
}
