package dev.fleetgate.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.fleetgate.persistence.testing.TestDatabase;

/**
 * Findings of the security review against the real core and PostgreSQL: odd input never
 * gives a 500, bodies are limited, tokens are revoked by logout and password changes, and a
 * stranger's sync body is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecurityE2EIT {
    private static final int PORTS = 20530; // http, ssh, rmi registry, rmi server, https

    private TestDatabase db;
    private CoreProcess core;
    private Api admin;

    @BeforeAll
    void start() throws Exception {
        Path work = Files.createDirectories(
                Path.of("target/e2e").toAbsolutePath().resolve("security-" + System.currentTimeMillis()));
        db = TestDatabase.create();
        core = CoreProcess.install(work, PORTS, db, Map.of());
        core.start();
        admin = core.admin();
    }

    @AfterAll
    void stop() {
        if (core != null) {
            core.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void healthKeepsItsShapeWhenUp() {
        Api.Response r = core.api().get("/api/v1/health").expect(200);
        assertEquals("{\"status\":\"UP\"}", r.body().toString());
    }

    @Test
    void nulInTheLoginNameIs400NamingTheField() {
        Api.Response r = core.api()
                .call(
                        "POST",
                        "/api/v1/auth/login",
                        "{\"username\":\"ad\\u0000min\",\"password\":\"whatever-password\"}",
                        null);
        assertEquals(400, r.status(), r.body().toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("username", r.body().get("errors").get(0).get("field").asText());
    }

    @Test
    void nulInAPathParameterIs400() {
        // Refused before it reaches PostgreSQL (had it, the REST host would map SQLSTATE 22021 to 400 too).
        Api.Response r = admin.get("/api/v1/users/ad%00min");
        assertEquals(400, r.status(), r.body().toString());
    }

    @Test
    void deepAndLargeBodiesAreRefusedBeforeTheyHurt() {
        String deep = "{\"username\":" + "[".repeat(100_000) + "]".repeat(100_000) + ",\"password\":\"x\"}";
        Api.Response r = core.api().call("POST", "/api/v1/auth/login", deep, null);
        assertEquals(400, r.status(), r.body().toString());

        String large = "{\"username\":\"" + "a".repeat(2 << 20) + "\",\"password\":\"x\"}";
        r = core.api().call("POST", "/api/v1/auth/login", large, null);
        assertEquals(413, r.status(), r.body().toString());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    }

    @Test
    void logoutRevokesTheToken() {
        admin.post(
                        "/api/v1/users",
                        Map.of("username", "lou", "password", "lou-password-1", "roles", java.util.List.of("viewer")))
                .expect(201);
        Api lou = core.api().login("lou", "lou-password-1");
        lou.get("/api/v1/auth/me").expect(200);
        lou.post("/api/v1/auth/logout", null).expect(204);
        lou.get("/api/v1/auth/me").expect(401);
        core.api().login("lou", "lou-password-1").get("/api/v1/auth/me").expect(200);
    }

    @Test
    void ownPasswordChangeNeedsTheCurrentOneAndRevokesOldTokens() {
        admin.post(
                        "/api/v1/users",
                        Map.of("username", "pat", "password", "pat-password-1", "roles", java.util.List.of("operator")))
                .expect(201);
        Api pat = core.api().login("pat", "pat-password-1");
        JsonNode missing = pat.put("/api/v1/users/pat/password", Map.of("password", "pat-password-2"))
                .expect(400)
                .body();
        assertEquals(
                "currentPassword", missing.get("errors").get(0).get("field").asText());
        pat.put("/api/v1/users/pat/password", Map.of("password", "pat-password-2", "currentPassword", "nope"))
                .expect(403);
        pat.put("/api/v1/users/pat/password", Map.of("password", "pat-password-2", "currentPassword", "pat-password-1"))
                .expect(204);
        pat.get("/api/v1/auth/me").expect(401);
        core.api().login("pat", "pat-password-2").get("/api/v1/auth/me").expect(200);
    }

    @Test
    void strangersSyncWithABigBodyIs401() throws Exception {
        byte[] body =
                ("{\"metrics\":[" + "1,".repeat(2 << 20) + "1]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + PORTS + "/api/v1/agents/" + UUID.randomUUID() + "/sync"))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer fga_not-a-key")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        HttpResponse<String> r = HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
    }
}
